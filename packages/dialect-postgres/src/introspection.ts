/**
 * PostgreSQL reflection over typed `pg_catalog` tables, written with Athanor's expression
 * language (values bound). Each `getMulti*` is a fixed number of statements for any number
 * of tables. Index element lists and CHECK bodies come from `pg_get_indexdef` /
 * `pg_get_constraintdef`, the catalog's own rendering.
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
  Uuid,
  and,
  func,
  groupBy,
  parenGroup,
  select,
  soleIdentifier,
  splitTopLevel,
} from '@athanor/core';

const pg = new MetaData({ schema: 'pg_catalog' });
const any = NullTypeOf();
const nsp = new Table('pg_namespace', pg, { oid: Column(Integer), nspname: Column(Text) });
const cls = new Table('pg_class', pg, { oid: Column(Integer), relname: Column(Text), relnamespace: Column(Integer), relkind: Column(Text) });
const att = new Table('pg_attribute', pg, {
  attrelid: Column(Integer),
  attname: Column(Text),
  attnum: Column(SmallInteger),
  atttypid: Column(Integer),
  atttypmod: Column(Integer),
  attnotnull: Column(BooleanT),
  attisdropped: Column(BooleanT),
  attidentity: Column(Text),
});
const attrdef = new Table('pg_attrdef', pg, { adrelid: Column(Integer), adnum: Column(SmallInteger), adbin: Column(any) });
const typ = new Table('pg_type', pg, { oid: Column(Integer), typname: Column(Text), typtype: Column(Text) });
const enm = new Table('pg_enum', pg, { enumtypid: Column(Integer), enumlabel: Column(Text), enumsortorder: Column(Float) });
const con = new Table('pg_constraint', pg, {
  oid: Column(Integer),
  conname: Column(Text),
  contype: Column(Text),
  conrelid: Column(Integer),
  confrelid: Column(Integer),
  conkey: Column(any),
  confkey: Column(any),
  confupdtype: Column(Text),
  confdeltype: Column(Text),
});
const indexes = new Table('pg_indexes', pg, { schemaname: Column(Text), tablename: Column(Text), indexname: Column(Text), indexdef: Column(Text) });
const views = new Table('pg_views', pg, { schemaname: Column(Text), viewname: Column(Text), definition: Column(Text) });

const inSchema = (col: ColumnElement<any, any>, schema?: string) => (schema ? col.eq(schema) : col.eq(func.current_schema()));
const forTables = (col: ColumnElement<any, any>, tables?: readonly string[]) => (tables ? [col.in(tables as string[])] : []);

/** Maps `format_type()` output back to an Athanor type; unknown names become `NullType(raw)`. */
export function postgresType(raw: string, enumLabels?: string[], typname?: string): TypeEngine<any> {
  if (enumLabels?.length) return Enum(enumLabels, { name: typname });
  const m = /^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?( with(?:out)? time zone)?(\[\])?$/.exec(raw);
  if (!m || m[5]) return NullTypeOf(raw);
  const a = m[2] !== undefined ? Number(m[2]) : undefined;
  const b = m[3] !== undefined ? Number(m[3]) : undefined;
  switch (m[1]) {
    case 'integer':
      return Integer();
    case 'smallint':
      return SmallInteger();
    case 'bigint':
      return BigInteger();
    case 'double precision':
    case 'real':
      return Float();
    case 'numeric':
      return Numeric(a, b);
    case 'character varying':
    case 'character':
      return StringT(a);
    case 'text':
      return Text();
    case 'boolean':
      return BooleanT();
    case 'date':
      return DateT();
    case 'timestamp':
      return DateTime({ timezone: m[4] === ' with time zone' });
    case 'time':
      return m[4] === ' with time zone' ? NullTypeOf(raw) : Time();
    case 'json':
    case 'jsonb':
      return JSONT();
    case 'uuid':
      return Uuid();
    case 'bytea':
      return LargeBinary();
    default:
      return NullTypeOf(raw);
  }
}

const ACTIONS: Record<string, ReferentialAction | undefined> = { c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT', r: 'RESTRICT', a: undefined };

interface ConstraintRow {
  name: string;
  type: string;
  table: string;
  columns: string[];
  refTable?: string;
  refSchema?: string;
  refColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  def: string;
}

/** Every constraint of the given kinds: three statements (constraints, own columns, referred columns). */
async function constraints(conn: Connection, schema: string | undefined, tables: readonly string[] | undefined, kinds: string[]): Promise<ConstraintRow[]> {
  const rc = cls.alias('rc');
  const rn = nsp.alias('rn');
  const base = and(inSchema(nsp.c.nspname, schema), con.c.contype.in(kinds), ...forTables(cls.c.relname, tables));
  const rows = (
    await conn.execute(
      select(con.c.conname, con.c.contype, cls.c.relname, nsp.c.nspname, rc.c.relname.label('ref'), rn.c.nspname.label('refschema'), con.c.confupdtype, con.c.confdeltype, func.pg_get_constraintdef(con.c.oid).label('def'))
        .selectFrom(con)
        .join(cls, cls.c.oid.eq(con.c.conrelid))
        .join(nsp, nsp.c.oid.eq(cls.c.relnamespace))
        .join(rc, rc.c.oid.eq(con.c.confrelid), { isOuter: true })
        .join(rn, rn.c.oid.eq(rc.c.relnamespace), { isOuter: true })
        .where(base)
        .orderBy(cls.c.relname, con.c.conname),
    )
  ).all() as any[];
  const keyCols = async (key: 'conkey' | 'confkey', rel: 'conrelid' | 'confrelid') => {
    const pos = func.array_position(con.c[key], att.c.attnum);
    const r = (
      await conn.execute(
        select(cls.c.relname, con.c.conname, att.c.attname, pos.label('pos'))
          .selectFrom(con)
          .join(cls, cls.c.oid.eq(con.c.conrelid))
          .join(nsp, nsp.c.oid.eq(cls.c.relnamespace))
          .join(att, and(att.c.attrelid.eq(con.c[rel]), pos.isNotNull()))
          .where(base)
          .orderBy(cls.c.relname, con.c.conname, pos),
      )
    ).all() as any[];
    return groupBy(r, (x) => `${x.relname}\u0000${x.conname}`, (x) => x.attname as string);
  };
  const own = await keyCols('conkey', 'conrelid');
  const referred = kinds.includes('f') ? await keyCols('confkey', 'confrelid') : new Map<string, string[]>();
  return rows.map((r) => ({
    name: r.conname,
    type: r.contype,
    table: r.relname,
    columns: own.get(`${r.relname}\u0000${r.conname}`) ?? [],
    refTable: r.ref ?? undefined,
    // Read from the default schema (no schema given), a table there is named without one, as
    // the reflected tables themselves are: one Table per table, and its key is the plain name.
    refSchema: r.refschema === null || (schema === undefined && r.refschema === r.nspname) ? undefined : r.refschema,
    refColumns: referred.get(`${r.relname}\u0000${r.conname}`) ?? [],
    onDelete: ACTIONS[r.confdeltype],
    onUpdate: ACTIONS[r.confupdtype],
    def: r.def,
  }));
}

/** `(x)` -> `x`, once. */
function unwrap(s: string): string {
  const t = s.trim();
  const g = t.startsWith('(') ? parenGroup(t) : undefined;
  return g && g.end === t.length ? g.body.trim() : t;
}

/** Reflection on PostgreSQL: schemas, tables, views, columns, keys, indexes, constraints and comments read from the system catalogs. */
export const postgresIntrospection: DialectIntrospection = {
  async getSchemaNames(conn) {
    const q = select(nsp.c.nspname).where(nsp.c.nspname.notLike('pg\\_%'), nsp.c.nspname.ne('information_schema')).orderBy(nsp.c.nspname);
    return (await conn.execute(q)).scalars().all() as string[];
  },
  async getTableNames(conn, schema) {
    const q = select(cls.c.relname).selectFrom(cls).join(nsp, nsp.c.oid.eq(cls.c.relnamespace)).where(inSchema(nsp.c.nspname, schema), cls.c.relkind.in(['r', 'p'])).orderBy(cls.c.relname);
    return (await conn.execute(q)).scalars().all() as string[];
  },
  async getViewNames(conn, schema) {
    const q = select(cls.c.relname).selectFrom(cls).join(nsp, nsp.c.oid.eq(cls.c.relnamespace)).where(inSchema(nsp.c.nspname, schema), cls.c.relkind.in(['v', 'm'])).orderBy(cls.c.relname);
    return (await conn.execute(q)).scalars().all() as string[];
  },
  async getViewDefinition(conn, name, schema) {
    const q = select(views.c.definition).where(inSchema(views.c.schemaname, schema), views.c.viewname.eq(name));
    return ((await conn.execute(q)).scalars().all()[0] as string | undefined) ?? undefined;
  },
  async getMultiColumns(conn, schema, tables) {
    const rows = (
      await conn.execute(
        select(
          cls.c.relname,
          att.c.attname,
          func.format_type(att.c.atttypid, att.c.atttypmod).label('type'),
          att.c.attnotnull,
          att.c.attidentity,
          func.pg_get_expr(attrdef.c.adbin, attrdef.c.adrelid).label('dflt'),
          func.col_description(att.c.attrelid, att.c.attnum).label('comment'),
          typ.c.typname,
          typ.c.typtype,
          att.c.atttypid,
        )
          .selectFrom(att)
          .join(cls, cls.c.oid.eq(att.c.attrelid))
          .join(nsp, nsp.c.oid.eq(cls.c.relnamespace))
          .join(typ, typ.c.oid.eq(att.c.atttypid))
          .join(attrdef, and(attrdef.c.adrelid.eq(att.c.attrelid), attrdef.c.adnum.eq(att.c.attnum)), { isOuter: true })
          .where(inSchema(nsp.c.nspname, schema), cls.c.relkind.in(['r', 'p', 'v', 'm', 'f']), att.c.attnum.gt(0), att.c.attisdropped.eq(false), ...forTables(cls.c.relname, tables))
          .orderBy(cls.c.relname, att.c.attnum),
      )
    ).all() as any[];
    const enumIds = [...new Set(rows.filter((r) => r.typtype === 'e').map((r) => r.atttypid))];
    const labels = enumIds.length
      ? groupBy(
          (await conn.execute(select(enm.c.enumtypid, enm.c.enumlabel).where(enm.c.enumtypid.in(enumIds)).orderBy(enm.c.enumtypid, enm.c.enumsortorder))).all() as any[],
          (r) => String(r.enumtypid),
          (r) => r.enumlabel as string,
        )
      : new Map<string, string[]>();
    return groupBy(
      rows,
      (r) => r.relname,
      (r): ReflectedColumn => {
        const serial = typeof r.dflt === 'string' && r.dflt.startsWith('nextval(');
        const autoincrement = r.attidentity === 'a' || r.attidentity === 'd' || serial;
        return {
          name: r.attname,
          rawType: r.type,
          type: postgresType(r.type, labels.get(String(r.atttypid)), r.typname),
          nullable: !r.attnotnull,
          ...(r.dflt !== null && !serial ? { serverDefault: r.dflt } : {}),
          autoincrement,
          ...(r.comment !== null ? { comment: r.comment } : {}),
        };
      },
    );
  },
  async getMultiPkConstraint(conn, schema, tables) {
    const out = new Map<string, ReflectedPrimaryKey>();
    for (const c of await constraints(conn, schema, tables, ['p'])) out.set(c.table, { name: c.name, columns: c.columns });
    return out;
  },
  async getMultiForeignKeys(conn, schema, tables) {
    const list = await constraints(conn, schema, tables, ['f']);
    return groupBy(
      list,
      (c) => c.table,
      (c): ReflectedForeignKey => ({
        name: c.name,
        columns: c.columns,
        referredSchema: c.refSchema,
        referredTable: c.refTable!,
        referredColumns: c.refColumns,
        ...(c.onDelete ? { onDelete: c.onDelete } : {}),
        ...(c.onUpdate ? { onUpdate: c.onUpdate } : {}),
      }),
    );
  },
  async getMultiUniqueConstraints(conn, schema, tables) {
    return groupBy(await constraints(conn, schema, tables, ['u']), (c) => c.table, (c): ReflectedUniqueConstraint => ({ name: c.name, columns: c.columns }));
  },
  async getMultiCheckConstraints(conn, schema, tables) {
    return groupBy(
      await constraints(conn, schema, tables, ['c']),
      (c) => c.table,
      (c): ReflectedCheckConstraint => ({ name: c.name, sqltext: unwrap(unwrap(c.def.replace(/^CHECK\s*/i, ''))) }),
    );
  },
  async getMultiIndexes(conn, schema, tables) {
    const backing = select(con.c.conname).where(con.c.contype.in(['p', 'u', 'x']));
    const rows = (
      await conn.execute(
        select(indexes.c.tablename, indexes.c.indexname, indexes.c.indexdef)
          .where(inSchema(indexes.c.schemaname, schema), indexes.c.indexname.notIn(backing), ...forTables(indexes.c.tablename, tables))
          .orderBy(indexes.c.tablename, indexes.c.indexname),
      )
    ).all() as any[];
    return groupBy(
      rows,
      (r) => r.tablename,
      (r): ReflectedIndex => {
        const def = r.indexdef as string;
        const g = parenGroup(def, def.search(/ USING /));
        const parts = g ? splitTopLevel(g.body) : [];
        const cols = parts.map((p) => soleIdentifier(p) ?? null);
        return {
          name: r.indexname,
          unique: /^CREATE UNIQUE/i.test(def),
          columns: cols,
          ...(cols.some((c) => c === null) ? { expressions: parts.map((p, i) => (cols[i] === null ? unwrap(p) : null)) } : {}),
        };
      },
    );
  },
  async getMultiTableComment(conn, schema, tables) {
    const rows = (
      await conn.execute(
        select(cls.c.relname, func.obj_description(cls.c.oid, 'pg_class').label('comment'))
          .selectFrom(cls)
          .join(nsp, nsp.c.oid.eq(cls.c.relnamespace))
          .where(inSchema(nsp.c.nspname, schema), cls.c.relkind.in(['r', 'p', 'v', 'm', 'f']), ...forTables(cls.c.relname, tables)),
      )
    ).all() as any[];
    return new Map(rows.filter((r) => r.comment !== null).map((r) => [r.relname as string, r.comment as string]));
  },
};
