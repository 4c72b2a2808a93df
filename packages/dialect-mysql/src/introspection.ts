/**
 * MySQL/MariaDB reflection over typed `information_schema` tables, written with Athanor's
 * expression language (values bound). Each `getMulti*` is one statement for any number of
 * tables. MariaDB and MySQL differ in a few columns (MariaDB's CHECK_CONSTRAINTS has
 * TABLE_NAME and LEVEL; MySQL 8's STATISTICS has EXPRESSION), so queries branch on the
 * connected server.
 */
import {
  BigInteger,
  Boolean as BooleanT,
  Column,
  type ColumnElement,
  type Connection,
  type DialectIntrospection,
  Date as DateT,
  DateTime,
  Enum,
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
  type ReflectedPrimaryKey,
  type ReflectedUniqueConstraint,
  type ReferentialAction,
  SmallInteger,
  String as StringT,
  Table,
  Text,
  Time,
  type TypeEngine,
  and,
  func,
  groupBy,
  select,
} from '@athanor/core';
import type { MySQLDialect } from './dialect';

const is = new MetaData({ schema: 'information_schema' });
const schemata = new Table('schemata', is, { schema_name: Column(Text) });
const tablesT = new Table('tables', is, { table_schema: Column(Text), table_name: Column(Text), table_type: Column(Text), table_comment: Column(Text) });
const columnsT = new Table('columns', is, {
  table_schema: Column(Text),
  table_name: Column(Text),
  column_name: Column(Text),
  ordinal_position: Column(Integer),
  column_type: Column(Text),
  data_type: Column(Text),
  is_nullable: Column(Text),
  column_default: Column(Text),
  extra: Column(Text),
  column_comment: Column(Text),
});
const kcu = new Table('key_column_usage', is, {
  constraint_schema: Column(Text),
  constraint_name: Column(Text),
  table_schema: Column(Text),
  table_name: Column(Text),
  column_name: Column(Text),
  ordinal_position: Column(Integer),
  referenced_table_schema: Column(Text),
  referenced_table_name: Column(Text),
  referenced_column_name: Column(Text),
});
const refc = new Table('referential_constraints', is, {
  constraint_schema: Column(Text),
  constraint_name: Column(Text),
  table_name: Column(Text),
  update_rule: Column(Text),
  delete_rule: Column(Text),
});
const tc = new Table('table_constraints', is, { constraint_schema: Column(Text), constraint_name: Column(Text), table_schema: Column(Text), table_name: Column(Text), constraint_type: Column(Text) });
/** `table_name` and `level` exist on MariaDB only (MySQL's check names are unique per schema). */
const checks = new Table('check_constraints', is, { constraint_schema: Column(Text), constraint_name: Column(Text), table_name: Column(Text), level: Column(Text), check_clause: Column(Text) });
/** `expression` exists on MySQL 8.0.13+ only (functional index parts). */
const stats = new Table('statistics', is, {
  table_schema: Column(Text),
  table_name: Column(Text),
  index_name: Column(Text),
  non_unique: Column(Integer),
  seq_in_index: Column(Integer),
  column_name: Column(Text),
  expression: Column(Text),
});
const viewsT = new Table('views', is, { table_schema: Column(Text), table_name: Column(Text), view_definition: Column(Text) });

/**
 * MySQL names hold only Basic Multilingual Plane characters (no emoji): a name with a
 * surrogate pair names nothing, and comparing it with the utf8mb3 catalog is a collation
 * error, so it matches no row instead.
 */
const canExist = (name: string) => !/[\uD800-\uDFFF]/.test(name);
const inSchema = (col: ColumnElement<any, any>, schema?: string) => (schema ? (canExist(schema) ? col.eq(schema) : col.in([])) : col.eq(func.database()));
const forTables = (col: ColumnElement<any, any>, tables?: readonly string[]) => (tables ? [col.in(tables.filter(canExist))] : []);
const dialectOf = (conn: Connection) => conn.engine.dialect as MySQLDialect;

/** The quoted values of `enum('a','b''c')`, unescaped. */
function enumValues(body: string): string[] {
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => m[1].replace(/''/g, "'").replace(/\\(.)/g, '$1'));
}

/**
 * Maps `COLUMN_TYPE` (`int(11)`, `decimal(10,2)`, `enum('a','b')`, `bigint(20) unsigned`) back to
 * an Athanor type; unknown names become `NullType(raw)`. `json` marks a MariaDB LONGTEXT whose
 * column check is `json_valid(col)` (MariaDB's JSON alias).
 */
export function mysqlType(raw: string, json = false): TypeEngine<any> {
  const m = /^([a-z]+)(?:\((.*)\))?((?: unsigned| zerofill| signed)*)$/i.exec(raw.trim());
  if (!m) return NullTypeOf(raw);
  const name = m[1].toLowerCase();
  const args = m[2];
  const nums = args !== undefined && /^\d+(,\d+)?$/.test(args.replace(/\s/g, '')) ? args.split(',').map((x) => Number(x.trim())) : undefined;
  switch (name) {
    case 'tinyint':
      // BOOL is TINYINT(1); MySQL 8.0.19+ drops display widths except this one.
      return nums?.[0] === 1 && !m[3] ? BooleanT() : SmallInteger();
    case 'bool':
    case 'boolean':
      return BooleanT();
    case 'smallint':
      return SmallInteger();
    case 'mediumint':
    case 'int':
    case 'integer':
      return Integer();
    case 'bigint':
      return BigInteger();
    case 'decimal':
    case 'numeric':
      return nums ? Numeric(nums[0], nums[1] ?? 0) : Numeric();
    case 'double':
    case 'float':
    case 'real':
      return Float();
    case 'varchar':
    case 'char':
      return StringT(nums?.[0]);
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return json ? JSONT() : Text();
    case 'json':
      return JSONT();
    case 'datetime':
    case 'timestamp':
      return DateTime();
    case 'date':
      return DateT();
    case 'time':
      return Time();
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return LargeBinary();
    case 'varbinary':
      return LargeBinary(nums?.[0]);
    case 'enum':
      return args !== undefined ? Enum(enumValues(args)) : NullTypeOf(raw);
    default:
      return NullTypeOf(raw);
  }
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'double', 'float', 'real', 'bit']);

/**
 * The default as SQL text. MariaDB stores it as SQL already (`'x'`, `7`, `current_timestamp(6)`,
 * and `NULL` for "no default"); MySQL stores literals unquoted and marks expressions DEFAULT_GENERATED.
 */
function serverDefault(raw: string | null, extra: string, dataType: string, maria: boolean): string | undefined {
  if (raw === null) return undefined;
  if (maria) return raw === 'NULL' ? undefined : raw;
  if (/DEFAULT_GENERATED/i.test(extra)) return /^current_timestamp/i.test(raw) ? raw : `(${raw})`;
  return NUMERIC_TYPES.has(dataType.toLowerCase()) ? raw : `'${raw.replace(/'/g, "''")}'`;
}

/** InnoDB treats RESTRICT and NO ACTION alike and reports RESTRICT for "none given": both are the default. */
function action(rule: string | null): ReferentialAction | undefined {
  const up = (rule ?? '').toUpperCase();
  return up === 'CASCADE' || up === 'SET NULL' || up === 'SET DEFAULT' ? (up as ReferentialAction) : undefined;
}

const isJsonCheck = (clause: string | null, column: string) => !!clause && clause.replace(/[`\s]/g, '').toLowerCase() === `json_valid(${column.toLowerCase()})`;

/** `(x)` -> `x`, once; MySQL 8 wraps CHECK bodies in parentheses. */
function unwrap(s: string): string {
  const t = s.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) return t;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0 && i < t.length - 1) return t;
  }
  return t.slice(1, -1).trim();
}

/**
 * Whether an index is the one InnoDB adds for a foreign key that had none: it carries the
 * constraint's name, or for an unnamed key its first column's name (`ref`, `ref_2`), over
 * exactly the key's columns. It comes back with the foreign key, so it is not an `Index`.
 */
function implicitFkIndex(parts: any[], fkCols: any[]): boolean {
  if (Number(parts[0].non_unique) === 0) return false;
  const name: string = parts[0].index_name;
  const byFk = groupBy(fkCols, (r) => r.constraint_name as string, (r) => r.column_name as string);
  const cols = parts.map((p) => p.column_name).join('\u0000');
  for (const [fk, fc] of byFk) {
    if (fc.join('\u0000') !== cols) continue;
    const suffix = name.startsWith(`${fc[0]}_`) ? name.slice(fc[0].length + 1) : '';
    if (name === fk || name === fc[0] || /^\d+$/.test(suffix)) return true;
  }
  return false;
}

/** Names of the tables in the schema of the given type ('BASE TABLE' or 'VIEW'). */
async function names(conn: Connection, schema: string | undefined, type: string): Promise<string[]> {
  const q = select(tablesT.c.table_name).where(inSchema(tablesT.c.table_schema, schema), tablesT.c.table_type.eq(type)).orderBy(tablesT.c.table_name);
  return (await conn.execute(q)).scalars().all() as string[];
}

/** Key columns of constraints of one type (PRIMARY KEY or UNIQUE), in key order: one statement. */
async function keyColumns(conn: Connection, schema: string | undefined, tables: readonly string[] | undefined, type: string) {
  const rows = (
    await conn.execute(
      select(kcu.c.table_name, kcu.c.constraint_name, kcu.c.column_name)
        .selectFrom(kcu)
        .join(tc, and(tc.c.constraint_schema.eq(kcu.c.constraint_schema), tc.c.constraint_name.eq(kcu.c.constraint_name), tc.c.table_name.eq(kcu.c.table_name)))
        .where(inSchema(kcu.c.table_schema, schema), tc.c.constraint_type.eq(type), ...forTables(kcu.c.table_name, tables))
        .orderBy(kcu.c.table_name, kcu.c.constraint_name, kcu.c.ordinal_position),
    )
  ).all() as any[];
  return groupBy(rows, (r) => `${r.table_name}\u0000${r.constraint_name}`, (r) => ({ table: r.table_name as string, name: r.constraint_name as string, column: r.column_name as string }));
}

/** Reflection on MySQL/MariaDB: schemas, tables, views, columns, keys, indexes and constraints read from `information_schema`. */
export const mysqlIntrospection: DialectIntrospection = {
  async getSchemaNames(conn) {
    const q = select(schemata.c.schema_name).where(schemata.c.schema_name.notIn(['information_schema', 'mysql', 'performance_schema', 'sys'])).orderBy(schemata.c.schema_name);
    return (await conn.execute(q)).scalars().all() as string[];
  },
  getTableNames: (conn, schema) => names(conn, schema, 'BASE TABLE'),
  getViewNames: (conn, schema) => names(conn, schema, 'VIEW'),
  async getViewDefinition(conn, name, schema) {
    const q = select(viewsT.c.view_definition).where(inSchema(viewsT.c.table_schema, schema), viewsT.c.table_name.eq(name));
    return ((await conn.execute(q)).scalars().all()[0] as string | undefined) ?? undefined;
  },
  async getMultiColumns(conn, schema, tables) {
    const maria = dialectOf(conn).isMariaDB;
    // MariaDB's JSON is LONGTEXT plus a column-level CHECK (json_valid(col)) named after the column.
    const cols = [
      columnsT.c.table_name,
      columnsT.c.column_name,
      columnsT.c.column_type,
      columnsT.c.data_type,
      columnsT.c.is_nullable,
      columnsT.c.column_default,
      columnsT.c.extra,
      columnsT.c.column_comment,
      ...(maria ? [checks.c.check_clause.label('colcheck')] : []),
    ];
    let q = select(...cols).selectFrom(columnsT);
    if (maria) {
      q = q.join(
        checks,
        and(checks.c.constraint_schema.eq(columnsT.c.table_schema), checks.c.table_name.eq(columnsT.c.table_name), checks.c.constraint_name.eq(columnsT.c.column_name), checks.c.level.eq('Column')),
        { isOuter: true },
      );
    }
    const rows = (
      await conn.execute(q.where(inSchema(columnsT.c.table_schema, schema), ...forTables(columnsT.c.table_name, tables)).orderBy(columnsT.c.table_name, columnsT.c.ordinal_position))
    ).all() as any[];
    return groupBy(
      rows,
      (r) => r.table_name,
      (r): ReflectedColumn => {
        const dflt = serverDefault(r.column_default, r.extra ?? '', r.data_type ?? '', maria);
        return {
          name: r.column_name,
          rawType: r.column_type,
          type: mysqlType(r.column_type, isJsonCheck(r.colcheck ?? null, r.column_name)),
          nullable: r.is_nullable === 'YES',
          ...(dflt !== undefined ? { serverDefault: dflt } : {}),
          autoincrement: /auto_increment/i.test(r.extra ?? ''),
          ...(r.column_comment ? { comment: r.column_comment } : {}),
        };
      },
    );
  },
  async getMultiPkConstraint(conn, schema, tables) {
    const out = new Map<string, ReflectedPrimaryKey>();
    // MySQL names every primary key PRIMARY and refuses that name in DDL: report it unnamed.
    for (const parts of (await keyColumns(conn, schema, tables, 'PRIMARY KEY')).values()) out.set(parts[0].table, { columns: parts.map((p) => p.column) });
    return out;
  },
  async getMultiUniqueConstraints(conn, schema, tables) {
    const byKey = await keyColumns(conn, schema, tables, 'UNIQUE');
    return groupBy([...byKey.values()], (p) => p[0].table, (p): ReflectedUniqueConstraint => ({ name: p[0].name, columns: p.map((x) => x.column) }));
  },
  async getMultiForeignKeys(conn, schema, tables) {
    const rows = (
      await conn.execute(
        select(
          kcu.c.table_schema,
          kcu.c.table_name,
          kcu.c.constraint_name,
          kcu.c.column_name,
          kcu.c.referenced_table_schema,
          kcu.c.referenced_table_name,
          kcu.c.referenced_column_name,
          refc.c.update_rule,
          refc.c.delete_rule,
        )
          .selectFrom(kcu)
          .join(refc, and(refc.c.constraint_schema.eq(kcu.c.constraint_schema), refc.c.constraint_name.eq(kcu.c.constraint_name), refc.c.table_name.eq(kcu.c.table_name)))
          .where(inSchema(kcu.c.table_schema, schema), kcu.c.referenced_table_name.isNotNull(), ...forTables(kcu.c.table_name, tables))
          .orderBy(kcu.c.table_name, kcu.c.constraint_name, kcu.c.ordinal_position),
      )
    ).all() as any[];
    const byFk = groupBy(rows, (r) => `${r.table_name}\u0000${r.constraint_name}`, (r) => r);
    return groupBy(
      [...byFk.values()],
      (p) => p[0].table_name,
      (p): ReflectedForeignKey => {
        const r = p[0];
        const onDelete = action(r.delete_rule);
        const onUpdate = action(r.update_rule);
        return {
          name: r.constraint_name,
          columns: p.map((x) => x.column_name),
          // Same database and none was asked for: leave it implicit so targets resolve in the caller's MetaData.
          ...(schema !== undefined || r.referenced_table_schema !== r.table_schema ? { referredSchema: r.referenced_table_schema } : {}),
          referredTable: r.referenced_table_name,
          referredColumns: p.map((x) => x.referenced_column_name),
          ...(onDelete ? { onDelete } : {}),
          ...(onUpdate ? { onUpdate } : {}),
        };
      },
    );
  },
  async getMultiIndexes(conn, schema, tables) {
    const d = dialectOf(conn);
    const withExpr = !d.isMariaDB && d.serverVersionAtLeast(8, 0, 13);
    const rows = (
      await conn.execute(
        select(stats.c.table_name, stats.c.index_name, stats.c.non_unique, stats.c.column_name, ...(withExpr ? [stats.c.expression] : []))
          .where(inSchema(stats.c.table_schema, schema), stats.c.index_name.ne('PRIMARY'), ...forTables(stats.c.table_name, tables))
          .orderBy(stats.c.table_name, stats.c.index_name, stats.c.seq_in_index),
      )
    ).all() as any[];
    const fkCols = (
      await conn.execute(
        select(kcu.c.table_name, kcu.c.constraint_name, kcu.c.column_name)
          .where(inSchema(kcu.c.table_schema, schema), kcu.c.referenced_table_name.isNotNull(), ...forTables(kcu.c.table_name, tables))
          .orderBy(kcu.c.table_name, kcu.c.constraint_name, kcu.c.ordinal_position),
      )
    ).all() as any[];
    const fks = groupBy(fkCols, (r) => r.table_name, (r) => r);
    const byIndex = groupBy(rows, (r) => `${r.table_name}\u0000${r.index_name}`, (r) => r);
    return groupBy(
      [...byIndex.values()].filter((p) => !implicitFkIndex(p, fks.get(p[0].table_name) ?? [])),
      (p) => p[0].table_name,
      (p): ReflectedIndex => {
        const cols = p.map((x) => (x.column_name ?? null) as string | null);
        return {
          name: p[0].index_name,
          unique: Number(p[0].non_unique) === 0,
          columns: cols,
          ...(cols.some((c) => c === null) ? { expressions: p.map((x) => (x.column_name === null ? ((x.expression as string | undefined) ?? null) : null)) } : {}),
        };
      },
    );
  },
  async getMultiCheckConstraints(conn, schema, tables) {
    const maria = dialectOf(conn).isMariaDB;
    const on = [checks.c.constraint_schema.eq(tc.c.constraint_schema), checks.c.constraint_name.eq(tc.c.constraint_name), ...(maria ? [checks.c.table_name.eq(tc.c.table_name)] : [])];
    const rows = (
      await conn.execute(
        select(tc.c.table_name, tc.c.constraint_name, checks.c.check_clause)
          .selectFrom(tc)
          .join(checks, and(...on))
          .where(inSchema(tc.c.table_schema, schema), tc.c.constraint_type.eq('CHECK'), ...forTables(tc.c.table_name, tables))
          .orderBy(tc.c.table_name, tc.c.constraint_name),
      )
    ).all() as any[];
    return groupBy(
      // MariaDB's JSON columns bring their own json_valid() check: it belongs to the column's type.
      rows.filter((r) => !(maria && isJsonCheck(r.check_clause, r.constraint_name))),
      (r) => r.table_name,
      (r): ReflectedCheckConstraint => ({ name: r.constraint_name, sqltext: unwrap(r.check_clause) }),
    );
  },
  async getMultiTableComment(conn, schema, tables) {
    const rows = (
      await conn.execute(
        select(tablesT.c.table_name, tablesT.c.table_comment).where(inSchema(tablesT.c.table_schema, schema), tablesT.c.table_type.ne('VIEW'), ...forTables(tablesT.c.table_name, tables)),
      )
    ).all() as any[];
    return new Map(rows.filter((r) => r.table_comment).map((r) => [r.table_name as string, r.table_comment as string]));
  },
};
