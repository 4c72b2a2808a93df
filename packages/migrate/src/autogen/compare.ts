import { type Connection, type Engine, ForeignKeyConstraint, type Index, MetaData, PrimaryKeyConstraint, type SQLCompiler, type Table, type TableColumn, UniqueConstraint, CheckConstraint, reflectMetadata } from '@athanor/core';
import { MigrateError } from '../errors';
import { castNeeded, normaliseDefault, normaliseSQL, normaliseType, typeChange } from './normalise';

export interface FkShape {
  name: string | undefined;
  columns: string[];
  referredTable: string;
  referredColumns: string[];
  onDelete?: string;
  onUpdate?: string;
}

export interface IndexShape {
  name: string;
  unique: boolean;
  /** Column names, or an expression's SQL. */
  elements: (string | { expression: string })[];
}

/** One difference between the metadata (what the models say) and the database; `schema` on PostgreSQL outside the default one. */
export type DiffOp = (
  | { kind: 'addTable'; table: Table<any, any> }
  | { kind: 'dropTable'; table: Table<any, any> }
  | { kind: 'addColumn'; table: string; column: TableColumn<any, any> }
  | { kind: 'dropColumn'; table: string; column: TableColumn<any, any> }
  | { kind: 'alterColumn'; table: string; column: string; model: TableColumn<any, any>; db: TableColumn<any, any>; changes: ('type' | 'nullable' | 'serverDefault' | 'comment')[]; narrowing: boolean; /** PostgreSQL: the type change needs an explicit cast (USING), to and back. */ cast?: { up: boolean; down: boolean } }
  | { kind: 'addIndex'; table: string; index: IndexShape }
  | { kind: 'dropIndex'; table: string; index: IndexShape }
  | { kind: 'addUnique'; table: string; name: string | undefined; columns: string[] }
  | { kind: 'dropUnique'; table: string; name: string | undefined; columns: string[] }
  | { kind: 'addForeignKey'; table: string; fk: FkShape }
  | { kind: 'dropForeignKey'; table: string; fk: FkShape }
  | { kind: 'addCheck'; table: string; name: string | undefined; sqltext: string }
  | { kind: 'dropCheck'; table: string; name: string | undefined; sqltext: string }
  /** Names as the database has them (dbName) and as the models give them (modelName), where known. */
  | { kind: 'primaryKey'; table: string; model: string[]; db: string[]; modelName?: string; dbName?: string }
  /** A PostgreSQL enum type (CREATE TYPE ... AS ENUM) whose values differ, with the columns of that type. */
  | { kind: 'enumValues'; name: string; model: string[]; db: string[]; columns: [string, string][] }
  | { kind: 'tableComment'; table: string; model: string | undefined; db: string | undefined }
) & { schema?: string };

/** The differences between the models and the database: the operations that would align the database, and likely column renames to check by hand. */
export interface SchemaDiff {
  ops: DiffOp[];
  /** A column dropped and one added in the same table with the same type: perhaps a rename. */
  possibleRenames: { table: string; from: string; to: string }[];
}

export interface CompareOptions {
  /** Tables the comparison leaves alone (the version table always). */
  exclude?: readonly string[];
}

const sig = (cols: readonly string[]) => cols.join(',');

export function indexShapes(t: Table<any, any>, c: SQLCompiler): IndexShape[] {
  return t.indexes.map((idx: Index) => ({
    name: c.indexName(idx),
    unique: idx.unique,
    elements: idx.elements.map((e: any) => (e.kind === 'column' ? e.name : { expression: c.process(e, { literalBinds: true, unqualified: true }) })),
  }));
}

export function fkShapes(t: Table<any, any>): FkShape[] {
  const out: FkShape[] = [];
  for (const col of t.columns) {
    for (const fk of col.foreignKeys) {
      const target = fk.targetTableName.split('.').pop()!;
      out.push({ name: fk.options.name, columns: [col.name], referredTable: target, referredColumns: [fk.targetColumnName], onDelete: fk.options.onDelete, onUpdate: fk.options.onUpdate });
    }
  }
  for (const c of t.constraints) {
    if (!(c instanceof ForeignKeyConstraint)) continue;
    const parts = c.targets.map((x) => x.split('.'));
    out.push({ name: c.name, columns: c.columns.map((x) => x.name), referredTable: parts[0].at(-2)!, referredColumns: parts.map((p) => p.at(-1)!), onDelete: c.options.onDelete, onUpdate: c.options.onUpdate });
  }
  return out;
}

const fkSig = (f: FkShape) => `${sig(f.columns)}->${f.referredTable}(${sig(f.referredColumns)}) ${f.onDelete ?? ''}/${f.onUpdate ?? ''}`;
export const uniqueShapes = (t: Table<any, any>) => t.constraints.filter((c): c is UniqueConstraint => c instanceof UniqueConstraint).map((u) => ({ name: u.name, columns: u.columns.map((x) => x.name) }));
/** Check constraints, named or not, without MariaDB's own json_valid checks. */
export const checkShapes = (t: Table<any, any>, c: SQLCompiler) =>
  t.constraints
    .filter((x): x is CheckConstraint => x instanceof CheckConstraint)
    .map((x) => ({ name: x.name, sqltext: typeof x.condition === 'string' ? x.condition : c.process(x.condition, { literalBinds: true, unqualified: true }) }))
    .filter((x) => !/json_valid/i.test(x.sqltext));

function compareColumns(model: Table<any, any>, db: Table<any, any>, c: SQLCompiler, dialect: string, out: SchemaDiff): void {
  const dbCols = new Map(db.columns.map((x) => [x.name, x]));
  const modelNames = new Set(model.columns.map((x) => x.name));
  const added: TableColumn<any, any>[] = [];
  const dropped: TableColumn<any, any>[] = [];
  for (const col of model.columns) {
    const have = dbCols.get(col.name);
    if (!have) {
      added.push(col);
      out.ops.push({ kind: 'addColumn', table: model.name, column: col });
      continue;
    }
    const changes: ('type' | 'nullable' | 'serverDefault' | 'comment')[] = [];
    // A PostgreSQL enum type is compared by its values (both sides spell it VARCHAR(n) otherwise).
    const nativeEnum = dialect === 'postgresql' ? pgEnum(have, col) : undefined;
    if (nativeEnum) noteEnumValues(out, nativeEnum, model.name, col.name);
    const change = nativeEnum ? 'same' : typeChange(normaliseType(c.typeName(have.type), dialect), normaliseType(c.typeName(col.type), dialect));
    if (change !== 'same') changes.push('type');
    if (col.nullable !== have.nullable) changes.push('nullable');
    const isAuto = (have.options as { autoincrement?: boolean }).autoincrement === true;
    const typeName = c.typeName(col.type);
    if (!isAuto && normaliseDefault(defaultText(c, have), typeName) !== normaliseDefault(defaultText(c, col), typeName)) changes.push('serverDefault');
    if (dialect !== 'sqlite' && (col.options.comment ?? null) !== (have.options.comment ?? null)) changes.push('comment');
    if (!changes.length) continue;
    const alter: DiffOp = { kind: 'alterColumn', table: model.name, column: col.name, model: col, db: have, changes, narrowing: change === 'narrowing' };
    if (dialect === 'postgresql' && changes.includes('type')) {
      const [from, to] = [normaliseType(c.typeName(have.type), dialect), normaliseType(c.typeName(col.type), dialect)];
      const cast = { up: castNeeded(from, to), down: castNeeded(to, from) };
      if (cast.up || cast.down) alter.cast = cast;
    }
    out.ops.push(alter);
  }
  for (const col of db.columns) {
    if (modelNames.has(col.name)) continue;
    dropped.push(col);
    out.ops.push({ kind: 'dropColumn', table: model.name, column: col });
  }
  for (const d of dropped) {
    const a = added.find((x) => c.typeName(x.type) === c.typeName(d.type));
    if (a) out.possibleRenames.push({ table: model.name, from: d.name, to: a.name });
  }
}

interface EnumPair {
  name: string;
  model: string[];
  db: string[];
}

/** The database column's type is a PostgreSQL enum type and the model's is an Enum: their values. */
function pgEnum(db: TableColumn<any, any>, model: TableColumn<any, any>): EnumPair | undefined {
  const [d, m] = [db.type.impl as any, model.type.impl as any];
  if (d.typeName !== 'Enum' || !d.name || m.typeName !== 'Enum') return undefined;
  return { name: d.name, model: [...m.values], db: [...d.values] };
}

/** One enumValues op per enum type, listing every column of that type. */
function noteEnumValues(out: SchemaDiff, e: EnumPair, table: string, column: string): void {
  if (sig(e.model) === sig(e.db)) return;
  const existing = out.ops.find((o): o is Extract<DiffOp, { kind: 'enumValues' }> => o.kind === 'enumValues' && o.name === e.name);
  if (existing) existing.columns.push([table, column]);
  else out.ops.push({ kind: 'enumValues', name: e.name, model: e.model, db: e.db, columns: [[table, column]] });
}

/** The default as DDL text (through Core's column specification), or undefined. */
export function defaultText(c: SQLCompiler, col: TableColumn<any, any>): string | undefined {
  if (col.options.serverDefault === undefined) return undefined;
  const spec = c.columnSpecification(col);
  const at = spec.indexOf(' DEFAULT ');
  if (at < 0) return undefined;
  return spec.slice(at + 9).replace(/ NOT NULL.*$| AUTO_INCREMENT.*$| PRIMARY KEY.*$/, '');
}

function compareTable(model: Table<any, any>, db: Table<any, any>, c: SQLCompiler, dialect: string, out: SchemaDiff): void {
  const name = model.name;
  compareColumns(model, db, c, dialect, out);
  const mpk = model.primaryKey.map((x) => x.name);
  const dpk = db.primaryKey.map((x) => x.name);
  const pkName = (t: Table<any, any>) => t.constraints.find((x): x is PrimaryKeyConstraint => x instanceof PrimaryKeyConstraint)?.name;
  if (sig(mpk) !== sig(dpk)) out.ops.push({ kind: 'primaryKey', table: name, model: mpk, db: dpk, modelName: pkName(model), dbName: pkName(db) });
  // SQLite keeps no table comments; MariaDB reports a table without one as ''.
  const [mComment, dComment] = [model.comment || undefined, db.comment || undefined];
  if (dialect !== 'sqlite' && mComment !== dComment) out.ops.push({ kind: 'tableComment', table: name, model: mComment, db: dComment });

  const dbFks = fkShapes(db);
  const modelFks = fkShapes(model);
  for (const f of modelFks) if (!dbFks.some((d) => fkSig(d) === fkSig(f))) out.ops.push({ kind: 'addForeignKey', table: name, fk: f });
  for (const f of dbFks) if (!modelFks.some((m) => fkSig(m) === fkSig(f))) out.ops.push({ kind: 'dropForeignKey', table: name, fk: f });

  const mu = uniqueShapes(model);
  const du = uniqueShapes(db);
  const mi = indexShapes(model, c);
  // MariaDB/MySQL keep an index per foreign key under the key's name; SQLite its autoindexes.
  const di = indexShapes(db, c).filter((i) => !i.name.startsWith('sqlite_autoindex_') && !(dialect === 'mysql' && dbFks.some((f) => f.name === i.name) && !mi.some((m) => m.name === i.name)));
  // A unique index and a unique constraint over the same columns are the same thing to most databases.
  const uniqueIndexSig = (list: IndexShape[]) => list.filter((i) => i.unique && i.elements.every((e) => typeof e === 'string')).map((i) => sig(i.elements as string[]));
  for (const u of mu) if (!du.some((d) => sig(d.columns) === sig(u.columns)) && !uniqueIndexSig(di).includes(sig(u.columns))) out.ops.push({ kind: 'addUnique', table: name, name: u.name, columns: u.columns });
  for (const u of du) if (!mu.some((m) => sig(m.columns) === sig(u.columns)) && !uniqueIndexSig(mi).includes(sig(u.columns))) out.ops.push({ kind: 'dropUnique', table: name, name: u.name, columns: u.columns });

  // Expressions compare by their normalised text (PostgreSQL reports lower(name) as lower((name)::text)).
  const shape = (i: IndexShape) => `${i.unique}:${i.elements.map((e) => (typeof e === 'string' ? e : `expr:${normaliseSQL(e.expression)}`)).join(',')}`;
  for (const m of mi) {
    const d = di.find((x) => x.name === m.name);
    if (d && shape(d) === shape(m)) continue;
    if (d) out.ops.push({ kind: 'dropIndex', table: name, index: d });
    else if (m.unique && du.some((u) => u.name === m.name || sig(u.columns) === sig(m.elements.filter((e): e is string => typeof e === 'string')))) continue;
    out.ops.push({ kind: 'addIndex', table: name, index: m });
  }
  for (const d of di) {
    if (mi.some((m) => m.name === d.name)) continue;
    if (d.unique && mu.some((u) => sig(u.columns) === sig(d.elements.filter((e): e is string => typeof e === 'string')))) continue;
    out.ops.push({ kind: 'dropIndex', table: name, index: d });
  }

  const mc = checkShapes(model, c);
  const dc = checkShapes(db, c);
  // A named check matches by name; an unnamed one (the database names it: items_check, CONSTRAINT_1)
  // by its normalised text.
  const matched = new Set<(typeof dc)[number]>();
  for (const m of mc) {
    const d = dc.find((x) => !matched.has(x) && (m.name !== undefined ? x.name === m.name : normaliseSQL(x.sqltext) === normaliseSQL(m.sqltext)));
    if (d) matched.add(d);
    else out.ops.push({ kind: 'addCheck', table: name, name: m.name, sqltext: m.sqltext });
  }
  for (const d of dc) if (!matched.has(d)) out.ops.push({ kind: 'dropCheck', table: name, name: d.name, sqltext: d.sqltext });
}

/**
 * Compares the models' MetaData with the database read through Core's reflection. Tables are
 * matched by name in the default schema; see the docs for what each database can report.
 */
export async function compareMetadata(metadata: MetaData, bind: Engine | Connection, options: CompareOptions = {}): Promise<SchemaDiff> {
  const exclude = new Set(options.exclude ?? []);
  const only = (n: string) => !exclude.has(n) && !n.startsWith('_athanor_batch_');
  const reflected = new MetaData();
  await reflectMetadata(reflected, bind, { only });
  const dialect = 'dialect' in bind ? bind.dialect : (bind as Engine).dialect;
  const c = dialect.createCompiler();
  const out: SchemaDiff = { ops: [], possibleRenames: [] };
  const isDefault = (schema: string | undefined) => schema === undefined || schema === metadata.schema;
  const modelTables = metadata.sortedTables.filter((t) => !exclude.has(t.name));
  compareGroup(modelTables.filter((t) => isDefault(t.schema)), [...reflected.sortedTables].filter((t) => t.schema === undefined), c, dialect.name, out, undefined);
  // PostgreSQL: each other schema the models name is read and compared on its own (tables the
  // models have there, and tables there the models lack); ops carry the schema.
  const elsewhere = modelTables.filter((t) => !isDefault(t.schema));
  if (elsewhere.length && dialect.name !== 'postgresql') {
    const t = elsewhere[0];
    throw new MigrateError(`Autogenerate compares tables outside the default schema on PostgreSQL only; '${t.schema}.${t.name}' is in the models on ${dialect.name}. Leave it out of the config's metadata (or pass exclude) and migrate it by hand.`);
  }
  if (dialect.name === 'postgresql') {
    for (const schema of new Set(modelTables.map((t) => t.schema).filter((x): x is string => !isDefault(x)))) {
      const inSchema = new MetaData();
      await reflectMetadata(inSchema, bind, { only, schema, resolveForeignKeys: false });
      compareGroup(modelTables.filter((t) => t.schema === schema), [...inSchema.sortedTables].filter((t) => t.schema === schema), c, dialect.name, out, schema);
    }
  }
  return out;
}

/** Compares the models' tables of one schema with the database's tables of that schema. */
function compareGroup(modelTables: Table<any, any>[], dbSorted: Table<any, any>[], c: SQLCompiler, dialect: string, out: SchemaDiff, schema: string | undefined): void {
  const first = out.ops.length;
  const dbTables = new Map(dbSorted.map((t) => [t.name, t]));
  for (const t of modelTables) {
    const db = dbTables.get(t.name);
    if (!db) out.ops.push({ kind: 'addTable', table: t });
    else compareTable(t, db, c, dialect, out);
  }
  const modelNames = new Set(modelTables.map((t) => t.name));
  for (const t of [...dbSorted].reverse()) if (!modelNames.has(t.name)) out.ops.push({ kind: 'dropTable', table: t });
  if (schema !== undefined) for (const op of out.ops.slice(first)) op.schema = schema;
}

/** One line per difference, for `athanor check`. */
export function describeDiff(op: DiffOp): string {
  switch (op.kind) {
    case 'addTable':
      return `table '${op.table.name}' is in the models but not in the database`;
    case 'dropTable':
      return `table '${op.table.name}' is in the database but not in the models`;
    case 'addColumn':
      return `column '${op.table}.${op.column.name}' is in the models but not in the database`;
    case 'dropColumn':
      return `column '${op.table}.${op.column.name}' is in the database but not in the models`;
    case 'alterColumn':
      return `column '${op.table}.${op.column}' differs: ${op.changes.join(', ')}`;
    case 'addIndex':
      return `index '${op.index.name}' on '${op.table}' is missing from the database`;
    case 'dropIndex':
      return `index '${op.index.name}' on '${op.table}' is not in the models`;
    case 'addUnique':
      return `unique constraint on '${op.table}' (${op.columns.join(', ')}) is missing from the database`;
    case 'dropUnique':
      return `unique constraint on '${op.table}' (${op.columns.join(', ')}) is not in the models`;
    case 'addForeignKey':
      return `foreign key '${op.table}' (${op.fk.columns.join(', ')}) -> ${op.fk.referredTable} is missing from the database`;
    case 'dropForeignKey':
      return `foreign key '${op.table}' (${op.fk.columns.join(', ')}) -> ${op.fk.referredTable} is not in the models`;
    case 'addCheck':
      return `check constraint ${op.name ? `'${op.name}'` : `(${op.sqltext})`} on '${op.table}' is missing from the database`;
    case 'dropCheck':
      return `check constraint ${op.name ? `'${op.name}'` : `(${op.sqltext})`} on '${op.table}' is not in the models`;
    case 'enumValues':
      return `enum type '${op.name}' has values (${op.model.join(', ')}) in the models, (${op.db.join(', ')}) in the database`;
    case 'tableComment':
      return `comment of table '${op.table}' is ${op.model === undefined ? 'none' : `'${op.model}'`} in the models, ${op.db === undefined ? 'none' : `'${op.db}'`} in the database`;
    case 'primaryKey':
      return `primary key of '${op.table}' is (${op.model.join(', ')}) in the models, (${op.db.join(', ')}) in the database`;
  }
}
