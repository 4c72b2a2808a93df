import { ArgumentError } from '../errors';
import type { Connection } from '../engine/connection';
import { Column, type ColumnDef, type ColumnOptions } from '../schema/column';
import { CheckConstraint, type Constraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint } from '../schema/constraints';
import type { MetaData } from '../schema/metadata';
import { type ColumnDefs, Table } from '../schema/table';
import { literalColumn } from '../sql/text';
import { type Inspectable, Inspector } from './inspector';
import type { ByTable, ReflectedCheckConstraint, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey, ReflectedUniqueConstraint } from './interface';

/** Options of `metadata.reflect()`: which tables, which schema, views too, and whether to follow foreign keys to other tables. */
export interface ReflectOptions {
  /** Table names to reflect, or a predicate over names; default every table. */
  only?: readonly string[] | ((name: string) => boolean);
  /** The schema to read (default: the MetaData's schema, else the connection's default). */
  schema?: string;
  /** Reflect views as tables too (columns only). */
  views?: boolean;
  /** Reflect tables that foreign keys refer to, even when `only` leaves them out (default true). */
  resolveForeignKeys?: boolean;
}

/** Options of `Table.reflect()`: the schema, and columns given by hand that replace the reflected ones. */
export interface TableReflectOptions {
  schema?: string;
  /** Columns given explicitly, keyed like `new Table()`'s; they replace reflected columns of the same SQL name. */
  columns?: ColumnDefs;
}

/** Everything one bulk pass reads for a set of tables in one schema. */
interface Snapshot {
  columns: ByTable<ReflectedColumn[]>;
  pks: ByTable<ReflectedPrimaryKey>;
  fks: ByTable<ReflectedForeignKey[]>;
  indexes: ByTable<ReflectedIndex[]>;
  uniques: ByTable<ReflectedUniqueConstraint[]>;
  checks: ByTable<ReflectedCheckConstraint[]>;
  comments: ByTable<string | undefined>;
}

async function readSnapshot(insp: Inspector, conn: Connection, schema: string | undefined, tables: readonly string[]): Promise<Snapshot> {
  const i = insp.introspection;
  // Sequential: one connection runs one statement at a time.
  const columns = await i.getMultiColumns(conn, schema, tables);
  const pks = await i.getMultiPkConstraint(conn, schema, tables);
  const fks = await i.getMultiForeignKeys(conn, schema, tables);
  const indexes = await i.getMultiIndexes(conn, schema, tables);
  const uniques = await i.getMultiUniqueConstraints(conn, schema, tables);
  const checks = await i.getMultiCheckConstraints(conn, schema, tables);
  const comments = await i.getMultiTableComment(conn, schema, tables);
  return { columns, pks, fks, indexes, uniques, checks, comments };
}

function columnDef(col: ReflectedColumn, pk: ReflectedPrimaryKey | undefined): ColumnDef<any, any> {
  const options: ColumnOptions<any> = { nullable: col.nullable, autoincrement: col.autoincrement };
  if (pk?.columns.includes(col.name)) options.primaryKey = true;
  // literalColumn, not text(): a default such as 'a:b' must not turn into a bind parameter.
  if (col.serverDefault !== undefined) options.serverDefault = literalColumn(col.serverDefault);
  if (col.comment !== undefined) options.comment = col.comment;
  return Column(col.type, options);
}

function fkTarget(fk: ReflectedForeignKey, i: number, ownSchema: string | undefined): string {
  const schema = fk.referredSchema ?? ownSchema;
  return `${schema ? `${schema}.` : ''}${fk.referredTable}.${fk.referredColumns[i]}`;
}

/** A column named `__proto__` is an own key like any other (a plain assignment would set the prototype). */
function setOwn(defs: ColumnDefs, key: string, def: ColumnDefs[string]): void {
  Object.defineProperty(defs, key, { value: def, enumerable: true, writable: true, configurable: true });
}

/** Builds one `Table` from a snapshot; explicit columns replace reflected ones by SQL name. */
function buildTable(metadata: MetaData, name: string, schema: string | undefined, snap: Snapshot, overrides: ColumnDefs = {}): Table<any, any> {
  const cols = snap.columns.get(name) ?? [];
  const pk = snap.pks.get(name);
  const overrideByName = new Map(Object.entries(overrides).map(([key, def]) => [def.options.name ?? key, [key, def] as const]));
  const defs: ColumnDefs = {};
  for (const col of cols) {
    const o = overrideByName.get(col.name);
    if (o) {
      setOwn(defs, o[0], o[1]);
      overrideByName.delete(col.name);
    } else setOwn(defs, col.name, columnDef(col, pk));
  }
  for (const [key, def] of overrideByName.values()) setOwn(defs, key, def);
  const args: (Constraint | Index)[] = [];
  if (pk?.columns.length && pk.name) args.push(new PrimaryKeyConstraint(pk.columns, { name: pk.name }));
  for (const fk of snap.fks.get(name) ?? []) {
    args.push(new ForeignKeyConstraint(fk.columns, fk.columns.map((_, i) => fkTarget(fk, i, schema)), { name: fk.name, onDelete: fk.onDelete, onUpdate: fk.onUpdate }));
  }
  const uniqueNames = new Set<string>();
  for (const u of snap.uniques.get(name) ?? []) {
    if (u.name) uniqueNames.add(u.name);
    args.push(new UniqueConstraint(u.columns, { name: u.name }));
  }
  for (const ck of snap.checks.get(name) ?? []) args.push(new CheckConstraint(ck.sqltext, { name: ck.name }));
  for (const ix of snap.indexes.get(name) ?? []) {
    if (uniqueNames.has(ix.name) || (pk?.name && ix.name === pk.name)) continue;
    const elements = ix.columns.map((c, k) => {
      const expr = ix.expressions?.[k];
      return c ?? (expr ? literalColumn(expr) : undefined);
    });
    // An element the database does not describe cannot be rebuilt: leave that index out.
    if (elements.some((e) => e === undefined)) continue;
    args.push(new Index(ix.name, elements as (string | ReturnType<typeof literalColumn>)[], { unique: ix.unique }));
  }
  const comment = snap.comments.get(name);
  return new Table(name, metadata, defs, ...args, { schema, ...(comment !== undefined ? { comment } : {}) });
}

function wanted(only: ReflectOptions['only'], name: string): boolean {
  if (!only) return true;
  return typeof only === 'function' ? only(name) : only.includes(name);
}

/**
 * Reads tables (and views, if asked) from the database into `metadata`, in a fixed number
 * of queries per schema. Tables already in the MetaData are kept as they are.
 */
export async function reflectMetadata(metadata: MetaData, bind: Inspectable, options: ReflectOptions = {}): Promise<Table<any, any>[]> {
  const insp = new Inspector(bind);
  const schema = options.schema ?? metadata.schema;
  return insp.run(async (conn) => {
    const i = insp.introspection;
    const names = (await i.getTableNames(conn, schema)).filter((n) => wanted(options.only, n));
    if (options.views) for (const v of await i.getViewNames(conn, schema)) if (wanted(options.only, v)) names.push(v);
    if (options.only && Array.isArray(options.only)) {
      const missing = (options.only as readonly string[]).filter((n) => !names.includes(n));
      if (missing.length) throw new ArgumentError(`reflect(): no table${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')} in ${schema ? `schema '${schema}'` : 'the default schema'}.`);
    }
    const out: Table<any, any>[] = [];
    // Rounds: the requested tables, then any tables their foreign keys refer to.
    let pending: { schema: string | undefined; names: string[] }[] = [{ schema, names }];
    while (pending.length) {
      const next: typeof pending = [];
      for (const batch of pending) {
        const todo = batch.names.filter((n) => !metadata.tables.has(batch.schema ? `${batch.schema}.${n}` : n));
        if (!todo.length) continue;
        const snap = await readSnapshot(insp, conn, batch.schema, todo);
        for (const n of todo) {
          if (!snap.columns.has(n)) continue;
          out.push(buildTable(metadata, n, batch.schema, snap));
          if (options.resolveForeignKeys === false) continue;
          for (const fk of snap.fks.get(n) ?? []) {
            const s = fk.referredSchema ?? batch.schema;
            if (metadata.tables.has(s ? `${s}.${fk.referredTable}` : fk.referredTable) || (todo.includes(fk.referredTable) && s === batch.schema)) continue;
            let b = next.find((x) => x.schema === s);
            if (!b) next.push((b = { schema: s, names: [] }));
            if (!b.names.includes(fk.referredTable)) b.names.push(fk.referredTable);
          }
        }
      }
      pending = next;
    }
    return out;
  });
}

/** `Table.reflect('users', metadata, engine, { columns })`: one table read from the database. */
export async function reflectTable(name: string, metadata: MetaData, bind: Inspectable, options: TableReflectOptions = {}): Promise<Table<any, any>> {
  const insp = new Inspector(bind);
  const schema = options.schema ?? metadata.schema;
  return insp.run(async (conn) => {
    const snap = await readSnapshot(insp, conn, schema, [name]);
    if (!snap.columns.get(name)?.length) throw new ArgumentError(`Table.reflect(): no table '${schema ? `${schema}.` : ''}${name}' in the database.`);
    return buildTable(metadata, name, schema, snap, options.columns);
  });
}
