/**
 * SQLite reflection: `sqlite_master` as a typed table, and the PRAGMA table-valued functions
 * (`pragma_table_info(...)` etc.) joined to it through `text()`, since no table exists for
 * them. One query per kind covers every table. Constraint names and CHECK bodies are only
 * kept in the CREATE TABLE text, so they are read from there.
 */
import {
  BigInteger,
  Boolean as BooleanT,
  Column,
  type Connection,
  type DialectIntrospection,
  Date as DateT,
  DateTime,
  Float,
  Integer,
  JSON as JSONT,
  LargeBinary,
  MetaData,
  NullTypeOf,
  Numeric,
  type ReflectedCheckConstraint,
  type ReflectedColumn,
  type ReflectedForeignKey,
  type ReflectedIndex,
  type ReflectedUniqueConstraint,
  SmallInteger,
  String as StringT,
  Table,
  Text,
  Time,
  type TypeArg,
  type TypeEngine,
  groupBy,
  parenGroup,
  readIdentifier,
  referentialAction,
  select,
  splitTopLevel,
} from '@athanor/core';

const catalog = new MetaData();
/** `sqlite_master` of the main database; attached schemas get their own copy below. */
function master(schema?: string) {
  const key = schema ? `${schema}.sqlite_master` : 'sqlite_master';
  return (catalog.tables.get(key) as ReturnType<typeof defineMaster> | undefined) ?? defineMaster(schema);
}
function defineMaster(schema?: string) {
  return new Table('sqlite_master', catalog, { type: Column(Text), name: Column(Text), tbl_name: Column(Text), sql: Column(Text) }, { schema });
}

const schemaArg = (schema?: string) => schema ?? 'main';

/** Maps a declared SQLite type back to an Athanor type; unknown names become `NullType(raw)`. */
export function sqliteType(raw: string): TypeEngine<any> {
  const m = /^\s*([A-Za-z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(raw);
  if (!m) return NullTypeOf(raw);
  const name = m[1].toUpperCase();
  const a = m[2] !== undefined ? Number(m[2]) : undefined;
  const b = m[3] !== undefined ? Number(m[3]) : undefined;
  switch (name) {
    case 'INTEGER':
    case 'INT':
      return Integer();
    case 'SMALLINT':
      return SmallInteger();
    case 'BIGINT':
      return BigInteger();
    case 'REAL':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return Float();
    case 'DECIMAL_TEXT':
    case 'NUMERIC':
    case 'DECIMAL':
      return Numeric(a, a !== undefined ? (b ?? 0) : undefined);
    case 'VARCHAR':
    case 'CHAR':
    case 'NVARCHAR':
    case 'CHARACTER':
      return StringT(a);
    case 'TEXT':
    case 'CLOB':
      return Text();
    case 'BOOLEAN':
      return BooleanT();
    case 'DATE':
      return DateT();
    case 'DATETIME':
    case 'TIMESTAMP':
      return DateTime();
    case 'TIME':
      return Time();
    case 'JSON':
      return JSONT();
    case 'BLOB':
      return LargeBinary();
    default:
      return NullTypeOf(raw);
  }
}

interface ParsedConstraint {
  name?: string;
  kind: 'check' | 'unique' | 'foreignKey' | 'primaryKey';
  body: string;
}

/** Table-level constraints of a CREATE TABLE statement, with their names. */
export function parseTableConstraints(createSql: string | null): ParsedConstraint[] {
  const group = createSql ? parenGroup(createSql) : undefined;
  if (!group) return [];
  const out: ParsedConstraint[] = [];
  for (const part of splitTopLevel(group.body)) {
    let rest = part;
    let name: string | undefined;
    if (/^CONSTRAINT\s/i.test(rest)) {
      const id = readIdentifier(rest.slice('CONSTRAINT'.length));
      if (!id) continue;
      name = id.name;
      rest = id.rest.trimStart();
    }
    const kw = /^(CHECK|UNIQUE|FOREIGN\s+KEY|PRIMARY\s+KEY)\s*/i.exec(rest);
    if (!kw) continue;
    const kind = ({ CHECK: 'check', UNIQUE: 'unique', FOREIGN: 'foreignKey', PRIMARY: 'primaryKey' } as const)[kw[1].split(/\s/)[0].toUpperCase() as 'CHECK'];
    const g = parenGroup(rest);
    if (g) out.push({ name, kind, body: g.body.trim() });
  }
  return out;
}

function columnsOf(body: string): string[] {
  return splitTopLevel(body).map((p) => readIdentifier(p)?.name ?? p);
}

const sameCols = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function tableSql(conn: Connection, schema: string | undefined, tables?: readonly string[]): Promise<Map<string, string | null>> {
  const m = master(schema);
  let q = select(m.c.name, m.c.sql).where(m.c.type.eq('table'));
  if (tables) q = q.where(m.c.name.in(tables as string[]));
  const rows = await conn.execute(q);
  return new Map(rows.all().map((r) => [r.name as string, r.sql]));
}

type Cols = Record<string, TypeArg<any>>;

/**
 * Runs a statement over PRAGMA table-valued functions: no typed table exists for them, and
 * typed `text()` statements do not return rows yet, so this goes through `execDriverSQL`
 * with the SQL fixed in this file and every value bound.
 */
async function pragmaQuery(conn: Connection, sql: string, columns: Cols, params: unknown[]): Promise<Record<string, any>[]> {
  const keys = Object.keys(columns);
  const { rows } = await conn.execDriverSQL(sql, params);
  return rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]])));
}

/** Rows of a PRAGMA function joined to every table of the schema: one statement. */
async function pragmaRows(conn: Connection, pragma: string, columns: Cols, schema: string | undefined, tables?: readonly string[]): Promise<Record<string, any>[]> {
  const list = Object.keys(columns).map((k) => `p."${k}"`).join(', ');
  const sql = `SELECT l.name AS tbl, ${list} FROM pragma_table_list AS l JOIN ${pragma}(l.name, l.schema) AS p WHERE l.schema = ? AND l.type IN ('table', 'view') AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY l.name`;
  const rows = await pragmaQuery(conn, sql, { tbl: Text, ...columns }, [schemaArg(schema)]);
  return tables ? rows.filter((r) => tables.includes(r.tbl)) : rows;
}

/** `(lower(s))` -> `lower(s)`: the compiler adds the parentheses back. */
function unwrap(expr: string | undefined): string | null {
  if (!expr) return null;
  const g = expr.startsWith('(') ? parenGroup(expr) : undefined;
  return g && g.end === expr.length ? g.body.trim() : expr;
}

/** Reflection on SQLite: attached databases, tables, views, columns, keys, indexes and constraints read through its PRAGMAs and `sqlite_schema`. */
export const sqliteIntrospection: DialectIntrospection = {
  async getSchemaNames(conn) {
    const rows = await pragmaQuery(conn, 'SELECT name FROM pragma_database_list ORDER BY seq', { name: Text }, []);
    return rows.map((r) => r.name).filter((n) => n !== 'temp');
  },
  async getTableNames(conn, schema) {
    const m = master(schema);
    const q = select(m.c.name).where(m.c.type.eq('table'), m.c.name.notLike('sqlite\\_%', { escape: '\\' })).orderBy(m.c.name);
    return (await conn.execute(q)).scalars().all() as string[];
  },
  async getViewNames(conn, schema) {
    const m = master(schema);
    return (await conn.execute(select(m.c.name).where(m.c.type.eq('view')).orderBy(m.c.name))).scalars().all() as string[];
  },
  async getViewDefinition(conn, name, schema) {
    const m = master(schema);
    const row = (await conn.execute(select(m.c.sql).where(m.c.type.eq('view'), m.c.name.eq(name)))).all()[0];
    return row?.sql ?? undefined;
  },
  async getMultiColumns(conn, schema, tables) {
    const rows = await pragmaRows(conn, 'pragma_table_xinfo', { cid: Integer, name: Text, type: Text, notnull: Integer, dflt_value: Text, pk: Integer, hidden: Integer }, schema, tables);
    const pkCount = new Map<string, number>();
    for (const r of rows) if (r.pk) pkCount.set(r.tbl, (pkCount.get(r.tbl) ?? 0) + 1);
    return groupBy(
      rows.filter((r) => r.hidden === 0),
      (r) => r.tbl,
      (r): ReflectedColumn => ({
        name: r.name,
        rawType: r.type,
        type: sqliteType(r.type),
        nullable: !Number(r.notnull) && !Number(r.pk),
        ...(r.dflt_value !== null ? { serverDefault: r.dflt_value } : {}),
        // Only a lone INTEGER PRIMARY KEY is the rowid alias the database fills in.
        autoincrement: Number(r.pk) === 1 && pkCount.get(r.tbl) === 1 && String(r.type).toUpperCase() === 'INTEGER',
      }),
    );
  },
  async getMultiPkConstraint(conn, schema, tables) {
    const rows = (await pragmaRows(conn, 'pragma_table_info', { name: Text, pk: Integer }, schema, tables)).filter((r) => Number(r.pk) > 0);
    rows.sort((a, b) => (a.tbl === b.tbl ? Number(a.pk) - Number(b.pk) : 0));
    const sqls = await tableSql(conn, schema, tables);
    const out = new Map<string, { name?: string; columns: string[] }>();
    for (const [tbl, cols] of groupBy(rows, (r) => r.tbl, (r) => r.name as string)) {
      const named = parseTableConstraints(sqls.get(tbl) ?? null).find((c) => c.kind === 'primaryKey' && c.name);
      out.set(tbl, { ...(named ? { name: named.name } : {}), columns: cols });
    }
    return out;
  },
  async getMultiForeignKeys(conn, schema, tables) {
    const rows = await pragmaRows(conn, 'pragma_foreign_key_list', { id: Integer, seq: Integer, table: Text, from: Text, to: Text, on_update: Text, on_delete: Text }, schema, tables);
    const sqls = await tableSql(conn, schema, tables);
    const out = new Map<string, ReflectedForeignKey[]>();
    for (const [tbl, list] of groupBy(rows, (r) => r.tbl, (r) => r)) {
      const byId = groupBy(list.sort((a, b) => Number(a.id) - Number(b.id) || Number(a.seq) - Number(b.seq)), (r) => String(r.id), (r) => r);
      const named = parseTableConstraints(sqls.get(tbl) ?? null).filter((c) => c.kind === 'foreignKey');
      const fks: ReflectedForeignKey[] = [];
      // PRAGMA lists foreign keys in reverse declaration order.
      for (const parts of [...byId.values()].reverse()) {
        const columns = parts.map((p) => p.from as string);
        const name = named.find((c) => sameCols(columnsOf(c.body), columns))?.name;
        fks.push({
          ...(name ? { name } : {}),
          columns,
          referredTable: parts[0].table,
          referredColumns: parts.map((p) => p.to as string),
          onDelete: referentialAction(parts[0].on_delete),
          onUpdate: referentialAction(parts[0].on_update),
        });
      }
      out.set(tbl, fks);
    }
    return out;
  },
  async getMultiIndexes(conn, schema, tables) {
    const rows = await pragmaRows(conn, 'pragma_index_list', { name: Text, unique: Integer, origin: Text }, schema, tables);
    const idxRows = await pragmaQuery(
      conn,
      `SELECT il.name AS idx, ii.seqno, ii.cid, ii.name AS col FROM pragma_table_list AS l JOIN pragma_index_list(l.name, l.schema) AS il JOIN pragma_index_xinfo(il.name, l.schema) AS ii WHERE l.schema = ? AND ii."key" = 1 ORDER BY il.name, ii.seqno`,
      { idx: Text, seqno: Integer, cid: Integer, col: Text },
      [schemaArg(schema)],
    );
    const m = master(schema);
    const idxSql = new Map((await conn.execute(select(m.c.name, m.c.sql).where(m.c.type.eq('index')))).all().map((r) => [r.name as string, r.sql as string | null]));
    const elements = groupBy(idxRows, (r) => r.idx, (r) => r);
    return groupBy(
      rows.filter((r) => r.origin === 'c'),
      (r) => r.tbl,
      (r): ReflectedIndex => {
        const els = elements.get(r.name) ?? [];
        const createSql = idxSql.get(r.name) ?? '';
        const on = createSql ? parenGroup(createSql, createSql.search(/\sON\s/i)) : undefined;
        const texts = on ? splitTopLevel(on.body) : [];
        const hasExpr = els.some((e) => Number(e.cid) === -2);
        return {
          name: r.name,
          unique: Number(r.unique) === 1,
          columns: els.map((e) => (Number(e.cid) === -2 ? null : e.col)),
          ...(hasExpr ? { expressions: els.map((e, i) => (Number(e.cid) === -2 ? unwrap(texts[i]) : null)) } : {}),
        };
      },
    );
  },
  async getMultiUniqueConstraints(conn, schema, tables) {
    const sqls = await tableSql(conn, schema, tables);
    const out = new Map<string, ReflectedUniqueConstraint[]>();
    for (const [tbl, sql] of sqls) {
      const list = parseTableConstraints(sql)
        .filter((c) => c.kind === 'unique')
        .map((c) => ({ ...(c.name ? { name: c.name } : {}), columns: columnsOf(c.body) }));
      if (list.length) out.set(tbl, list);
    }
    return out;
  },
  async getMultiCheckConstraints(conn, schema, tables) {
    const sqls = await tableSql(conn, schema, tables);
    const out = new Map<string, ReflectedCheckConstraint[]>();
    for (const [tbl, sql] of sqls) {
      const list = parseTableConstraints(sql)
        .filter((c) => c.kind === 'check')
        .map((c) => ({ ...(c.name ? { name: c.name } : {}), sqltext: c.body }));
      if (list.length) out.set(tbl, list);
    }
    return out;
  },
  async getMultiTableComment() {
    // SQLite stores no comments.
    return new Map();
  },
};

