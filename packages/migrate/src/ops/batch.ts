import { type ColumnDef, type ColumnElement, type ColumnOptions, CreateTable, ForeignKeyConstraint, type ForeignKeyOptions, Index, MetaData, PrimaryKeyConstraint, Table, type TypeEngine, UniqueConstraint, CheckConstraint, Column, toType } from '@athanor/core';
import { normaliseSQL } from '../autogen/normalise';
import { MigrateError } from '../errors';
import type { AlterColumnOptions } from './alter-column';
import type { ConstraintType, DdlRenderer, ForeignKeyOps, IndexElement } from './ddl';
import type { Operations } from './operations';
import type { SqlSink } from './sink';

/** Options of `op.batchAlterTable()`: the table's schema, and its current definition when SQLite's copy-and-move is rendered offline. */
export interface BatchOptions {
  schema?: string;
  /** The table as it is now: required offline on SQLite (online it is read from the database). */
  copyFrom?: Table<any, any>;
}

/** One recorded change of a batch (SQLite): applied to a model of the table, then rebuilt. */
export type BatchChange =
  | { op: 'addColumn'; name: string; column: ColumnDef<any, any> }
  | { op: 'dropColumn'; name: string }
  | { op: 'alterColumn'; name: string; options: AlterColumnOptions }
  | { op: 'createIndex'; name: string; columns: readonly IndexElement[]; unique: boolean }
  | { op: 'dropIndex'; name: string }
  | { op: 'createForeignKey'; name: string | undefined; referent: string; local: readonly string[]; remote: readonly string[]; options: ForeignKeyOps }
  | { op: 'createUniqueConstraint'; name: string | undefined; columns: readonly string[] }
  | { op: 'createCheckConstraint'; name: string | undefined; condition: string | ColumnElement<boolean, any> }
  | { op: 'createPrimaryKey'; name: string | undefined; columns: readonly string[] }
  | { op: 'dropConstraint'; name: string }
  | { op: 'dropUnnamedCheck'; sqltext: string };

/**
 * `batch` inside `op.batchAlterTable(table, (batch) => ...)`: the table-level operations without
 * the table argument. On SQLite they are recorded and the table rebuilt once; elsewhere each
 * runs at once as an ALTER through `direct`.
 */
export class BatchOperations {
  readonly changes: BatchChange[] = [];

  constructor(
    readonly table: string,
    private readonly schema?: string,
    private readonly direct?: Operations,
  ) {}

  private record(change: BatchChange, run: (op: Operations) => Promise<void>): Promise<void> {
    if (this.direct) return run(this.direct);
    this.changes.push(change);
    return Promise.resolve();
  }

  addColumn(name: string, column: ColumnDef<any, any>): Promise<void> {
    return this.record({ op: 'addColumn', name, column }, (op) => op.addColumn(this.table, name, column, { schema: this.schema }));
  }
  dropColumn(name: string): Promise<void> {
    return this.record({ op: 'dropColumn', name }, (op) => op.dropColumn(this.table, name, { schema: this.schema }));
  }
  alterColumn(name: string, options: AlterColumnOptions): Promise<void> {
    return this.record({ op: 'alterColumn', name, options }, (op) => op.alterColumn(this.table, name, { schema: this.schema, ...options }));
  }
  createIndex(name: string, columns: readonly IndexElement[], options: { unique?: boolean } = {}): Promise<void> {
    return this.record({ op: 'createIndex', name, columns, unique: options.unique ?? false }, (op) => op.createIndex(name, this.table, columns, { ...options, schema: this.schema }));
  }
  dropIndex(name: string): Promise<void> {
    return this.record({ op: 'dropIndex', name }, (op) => op.dropIndex(name, this.table, { schema: this.schema }));
  }
  createForeignKey(name: string | undefined, referent: string, local: readonly string[], remote: readonly string[], options: ForeignKeyOps = {}): Promise<void> {
    return this.record({ op: 'createForeignKey', name, referent, local, remote, options }, (op) => op.createForeignKey(name, this.table, referent, local, remote, { schema: this.schema, ...options }));
  }
  createUniqueConstraint(name: string | undefined, columns: readonly string[]): Promise<void> {
    return this.record({ op: 'createUniqueConstraint', name, columns }, (op) => op.createUniqueConstraint(name, this.table, columns, { schema: this.schema }));
  }
  createCheckConstraint(name: string | undefined, condition: string | ColumnElement<boolean, any>): Promise<void> {
    return this.record({ op: 'createCheckConstraint', name, condition }, (op) => op.createCheckConstraint(name, this.table, condition, { schema: this.schema }));
  }
  createPrimaryKey(name: string | undefined, columns: readonly string[]): Promise<void> {
    return this.record({ op: 'createPrimaryKey', name, columns }, (op) => op.createPrimaryKey(name, this.table, columns, { schema: this.schema }));
  }
  dropConstraint(name: string, options: { type?: ConstraintType } = {}): Promise<void> {
    return this.record({ op: 'dropConstraint', name }, (op) => op.dropConstraint(name, this.table, { ...options, schema: this.schema }));
  }
  /**
   * SQLite: drops a check that has no name, found by its SQL (compared as autogenerate does:
   * case, quotes, spaces and parentheses aside). Elsewhere the database names every check: use dropConstraint.
   */
  dropUnnamedCheck(sqltext: string): Promise<void> {
    return this.record({ op: 'dropUnnamedCheck', sqltext }, async () => {
      throw new MigrateError(`batch.dropUnnamedCheck('${sqltext}') on '${this.table}': only SQLite keeps checks without a name; elsewhere drop it with dropConstraint(<the name the database gave it>, { type: 'check' }).`);
    });
  }
}

interface ColumnModel {
  name: string;
  /** The column's name in the old table (undefined for an added column): what the copy reads. */
  from: string | undefined;
  type: TypeEngine<any>;
  options: ColumnOptions<any>;
}

interface FkModel {
  name: string | undefined;
  columns: string[];
  targets: string[];
  options: ForeignKeyOptions;
}

/** A table as plain data, so a batch's changes can be applied one by one. */
interface TableModel {
  columns: ColumnModel[];
  pk: { name: string | undefined; columns: string[] };
  fks: FkModel[];
  uniques: { name: string | undefined; columns: string[] }[];
  checks: { name: string | undefined; condition: string | ColumnElement<boolean, any> }[];
  indexes: { name: string; elements: IndexElement[]; unique: boolean }[];
}

function modelOf(t: Table<any, any>, reflected: boolean): TableModel {
  const pkc = t.constraints.find((c) => c instanceof PrimaryKeyConstraint);
  const m: TableModel = {
    columns: t.columns.map((c) => {
      const { name: _n, primaryKey: _p, ...options } = c.options as ColumnOptions<any> & { name?: string };
      // A reflected rowid alias reports autoincrement: keep plain INTEGER PRIMARY KEY (no AUTOINCREMENT).
      if (reflected) delete (options as { autoincrement?: unknown }).autoincrement;
      return { name: c.name, from: c.name, type: c.type, options: { ...options, nullable: c.nullable } };
    }),
    pk: { name: pkc?.name, columns: t.primaryKey.map((c) => c.name) },
    fks: [],
    uniques: [],
    checks: [],
    indexes: [],
  };
  for (const c of t.columns) {
    for (const fk of c.foreignKeys) m.fks.push({ name: fk.options.name, columns: [c.name], targets: [`${fk.targetTableName}.${fk.targetColumnName}`], options: fk.options });
  }
  for (const c of t.constraints) {
    if (c instanceof ForeignKeyConstraint) m.fks.push({ name: c.name, columns: c.columns.map((x) => x.name), targets: [...c.targets], options: c.options });
    else if (c instanceof UniqueConstraint) m.uniques.push({ name: c.name, columns: c.columns.map((x) => x.name) });
    else if (c instanceof CheckConstraint) m.checks.push({ name: c.name, condition: c.condition });
  }
  for (const idx of t.indexes) {
    // SQLite's own indexes behind UNIQUE/PRIMARY KEY come back with the constraint.
    if (idx.name?.startsWith('sqlite_autoindex_')) continue;
    if (!idx.name) throw new MigrateError(`batchAlterTable('${t.name}'): index without a name in copyFrom; name it so the rebuilt table keeps it.`);
    m.indexes.push({ name: idx.name, unique: idx.unique, elements: idx.elements.map((e: any) => (e.kind === 'column' ? e.name : e)) });
  }
  return m;
}

function column(m: TableModel, table: string, name: string): ColumnModel {
  const c = m.columns.find((x) => x.name === name);
  if (!c) throw new MigrateError(`batchAlterTable('${table}'): no column '${name}' (columns: ${m.columns.map((x) => x.name).join(', ')}).`);
  return c;
}

const renameIn = (list: string[], from: string, to: string) => list.map((x) => (x === from ? to : x));

function apply(m: TableModel, table: string, ch: BatchChange): void {
  switch (ch.op) {
    case 'addColumn': {
      if (m.columns.some((c) => c.name === ch.name)) throw new MigrateError(`batchAlterTable('${table}'): column '${ch.name}' exists already.`);
      const { primaryKey, ...options } = ch.column.options;
      m.columns.push({ name: ch.name, from: undefined, type: ch.column.type, options });
      if (primaryKey) m.pk.columns.push(ch.name);
      for (const fk of ch.column.foreignKeys) m.fks.push({ name: fk.options.name, columns: [ch.name], targets: [typeof fk.target === 'string' ? fk.target : `${fk.targetTableName}.${fk.targetColumnName}`], options: fk.options });
      return;
    }
    case 'dropColumn': {
      column(m, table, ch.name);
      m.columns = m.columns.filter((c) => c.name !== ch.name);
      m.pk.columns = m.pk.columns.filter((c) => c !== ch.name);
      // Constraints and indexes over the dropped column go with it (as the database would refuse them).
      m.fks = m.fks.filter((f) => !f.columns.includes(ch.name));
      m.uniques = m.uniques.filter((u) => !u.columns.includes(ch.name));
      m.indexes = m.indexes.filter((i) => !i.elements.includes(ch.name));
      return;
    }
    case 'alterColumn': {
      const c = column(m, table, ch.name);
      const o = ch.options;
      if (o.type !== undefined) c.type = toType(o.type);
      if (o.nullable !== undefined) c.options = { ...c.options, nullable: o.nullable };
      if (o.serverDefault !== undefined) {
        const { serverDefault: _d, ...rest } = c.options;
        c.options = o.serverDefault === null ? rest : { ...rest, serverDefault: o.serverDefault as any };
      }
      if (o.comment !== undefined) throw new MigrateError(`SQLite has no column comments ('${table}.${ch.name}'): leave the comment out on SQLite.`);
      if (o.newName !== undefined) {
        const to = o.newName;
        m.pk.columns = renameIn(m.pk.columns, c.name, to);
        for (const f of m.fks) f.columns = renameIn(f.columns, c.name, to);
        for (const u of m.uniques) u.columns = renameIn(u.columns, c.name, to);
        for (const i of m.indexes) i.elements = i.elements.map((e) => (e === c.name ? to : e));
        c.name = to;
      }
      return;
    }
    case 'createIndex':
      m.indexes.push({ name: ch.name, elements: [...ch.columns], unique: ch.unique });
      return;
    case 'dropIndex':
      if (!m.indexes.some((i) => i.name === ch.name)) throw new MigrateError(`batchAlterTable('${table}'): no index '${ch.name}'.`);
      m.indexes = m.indexes.filter((i) => i.name !== ch.name);
      return;
    case 'createForeignKey':
      m.fks.push({ name: ch.name, columns: [...ch.local], targets: ch.remote.map((r) => `${ch.referent}.${r}`), options: { onDelete: ch.options.onDelete as any, onUpdate: ch.options.onUpdate as any } });
      return;
    case 'createUniqueConstraint':
      m.uniques.push({ name: ch.name, columns: [...ch.columns] });
      return;
    case 'createCheckConstraint':
      m.checks.push({ name: ch.name, condition: ch.condition });
      return;
    case 'createPrimaryKey':
      m.pk = { name: ch.name, columns: [...ch.columns] };
      return;
    case 'dropUnnamedCheck': {
      const at = m.checks.findIndex((c) => c.name === undefined && typeof c.condition === 'string' && normaliseSQL(c.condition) === normaliseSQL(ch.sqltext));
      if (at < 0) throw new MigrateError(`batchAlterTable('${table}'): no unnamed check constraint (${ch.sqltext}).`);
      m.checks.splice(at, 1);
      return;
    }
    case 'dropConstraint': {
      const before = m.fks.length + m.uniques.length + m.checks.length + (m.pk.name === ch.name ? 1 : 0);
      m.fks = m.fks.filter((f) => f.name !== ch.name);
      m.uniques = m.uniques.filter((u) => u.name !== ch.name);
      m.checks = m.checks.filter((c) => c.name !== ch.name);
      if (m.pk.name === ch.name) m.pk = { name: undefined, columns: [] };
      if (m.fks.length + m.uniques.length + m.checks.length === before) {
        throw new MigrateError(`batchAlterTable('${table}'): no constraint named '${ch.name}' (an unnamed constraint cannot be dropped by name; SQLite reflection names only those declared with CONSTRAINT <name>).`);
      }
      return;
    }
  }
}

/** The Table a model describes, under `name`, in a fresh MetaData (for Core's CREATE TABLE). */
function tableOf(r: DdlRenderer, m: TableModel, name: string, schema: string | undefined, withIndexes: boolean): Table<any, any> {
  const defs: Record<string, ColumnDef<any, any>> = {};
  const inlinePk = m.pk.columns.length === 1 && !m.pk.name;
  for (const c of m.columns) defs[c.name] = Column(c.type, { ...c.options, ...(inlinePk && m.pk.columns[0] === c.name ? { primaryKey: true } : {}) });
  const args: any[] = [];
  if (m.pk.columns.length && !inlinePk) args.push(new PrimaryKeyConstraint(m.pk.columns, { name: m.pk.name }));
  for (const f of m.fks) args.push(new ForeignKeyConstraint(f.columns, f.targets, { ...f.options, name: f.name }));
  for (const u of m.uniques) args.push(new UniqueConstraint(u.columns, { name: u.name }));
  for (const c of m.checks) args.push(new CheckConstraint(c.condition, { name: c.name }));
  if (withIndexes) for (const i of m.indexes) args.push(new Index(i.name, i.elements as any, { unique: i.unique }));
  if (schema) args.push({ schema });
  return r.scratch(schema).table(name, defs, args);
}

/** SQLite's rebuild: new table, copy rows, drop the old, rename the new, recreate the indexes. */
export async function recreateTableSQL(r: DdlRenderer, sink: SqlSink, table: string, changes: readonly BatchChange[], options: BatchOptions): Promise<string[]> {
  let current = options.copyFrom;
  if (!current) {
    if (!sink.connection) throw new MigrateError(`batchAlterTable('${table}') offline (--sql) on SQLite cannot read the table: pass { copyFrom: <the Table as it is now> }.`);
    current = await Table.reflect(table, new MetaData(), sink.connection, { schema: options.schema });
  }
  const m = modelOf(current, !options.copyFrom);
  for (const ch of changes) apply(m, table, ch);
  if (m.columns.length === 0) throw new MigrateError(`batchAlterTable('${table}') would leave the table without columns.`);
  const temp = `_athanor_batch_${table}`;
  const c = r.compiler();
  const copied = m.columns.filter((x) => x.from !== undefined);
  const out = [
    c.process(new CreateTable(tableOf(r, m, temp, options.schema, false))),
    `INSERT INTO ${r.table(temp, options.schema)} (${copied.map((x) => r.quote(x.name)).join(', ')}) SELECT ${copied.map((x) => r.quote(x.from!)).join(', ')} FROM ${r.table(table, options.schema)}`,
    `DROP TABLE ${r.table(table, options.schema)}`,
    `ALTER TABLE ${r.table(temp, options.schema)} RENAME TO ${r.quote(table)}`,
  ];
  const final = tableOf(r, m, table, options.schema, true);
  for (const idx of final.indexes) out.push(r.createIndexOf(idx));
  return out;
}
