import type { SQLCompiler, Table, TableColumn } from '@athanor/core';
import { typeSource } from '../codegen/type-source';
import type { DialectKind } from '../ops/ddl';
import { tsKey, tsString, tsStringList } from '../source';
import { type DiffOp, type FkShape, type IndexShape, type SchemaDiff, checkShapes, defaultText, fkShapes, indexShapes, uniqueShapes } from './compare';

/** Writes `op` calls for a diff: the upgrade, its exact reverse as the downgrade, and the imports both need. */
export interface RenderedRevision {
  upgradeBody: string;
  downgradeBody: string;
  coreImports: string[];
}

export interface Ctx {
  imports: Set<string>;
  c: SQLCompiler;
  kind: DialectKind;
}

function defaultSource(col: TableColumn<any, any>, ctx: Ctx): string | undefined {
  const d = col.options.serverDefault;
  if (d === undefined) return undefined;
  if (typeof d === 'string') return tsString(d);
  if (typeof d === 'number' || typeof d === 'boolean') return String(d);
  ctx.imports.add('literalColumn');
  return `literalColumn(${tsString(defaultText(ctx.c, col) ?? '')})`;
}

/** `Column(String(50), { nullable: false, ... })` for a column of the models or of the database. */
export function columnSource(col: TableColumn<any, any>, ctx: Ctx, inlinePk: boolean): string {
  ctx.imports.add('Column');
  const opts: string[] = [];
  if (inlinePk && col.primaryKey) opts.push('primaryKey: true');
  if (!col.nullable && !(inlinePk && col.primaryKey)) opts.push('nullable: false');
  if (col.nullable && inlinePk && col.primaryKey) opts.push('nullable: true');
  // A key column the models keep from auto-numbering (MySQL's AUTO_INCREMENT, PostgreSQL's identity).
  if (col.primaryKey && col.options.autoincrement === false) opts.push('autoincrement: false');
  const def = defaultSource(col, ctx);
  if (def !== undefined) opts.push(`serverDefault: ${def}`);
  if (col.options.comment !== undefined && ctx.kind !== 'sqlite') opts.push(`comment: ${tsString(col.options.comment)}`);
  return `Column(${typeSource(col.type, ctx.imports)}${opts.length ? `, { ${opts.join(', ')} }` : ''})`;
}

function fkArgs(fk: FkShape): string {
  const o: string[] = [];
  if (fk.onDelete) o.push(`onDelete: ${tsString(fk.onDelete)}`);
  if (fk.onUpdate) o.push(`onUpdate: ${tsString(fk.onUpdate)}`);
  return o.length ? `, { ${o.join(', ')} }` : '';
}

function elementsSource(i: IndexShape, ctx: Ctx): string {
  return `[${i.elements
    .map((e) => {
      if (typeof e === 'string') return tsString(e);
      ctx.imports.add('literalColumn');
      return `literalColumn(${tsString(e.expression)})`;
    })
    .join(', ')}]`;
}

/** A Table's column lines (`name: Column(...)`) and its constraint and index arguments, as source. */
export function tableParts(t: Table<any, any>, ctx: Ctx): { columns: string[]; args: string[] } {
  const shapes = tableShapes(t, ctx);
  const inlinePk = t.primaryKey.length === 1;
  const columns = t.columns.map((col) => `${tsKey(col.name)}: ${columnSource(col, ctx, inlinePk)},`);
  const args: string[] = [];
  if (t.primaryKey.length > 1) {
    ctx.imports.add('PrimaryKeyConstraint');
    args.push(`new PrimaryKeyConstraint(${tsStringList(t.primaryKey.map((c) => c.name))})`);
  }
  for (const f of shapes.fks) {
    ctx.imports.add('ForeignKeyConstraint');
    const o = [f.name ? `name: ${tsString(f.name)}` : '', f.onDelete ? `onDelete: ${tsString(f.onDelete)}` : '', f.onUpdate ? `onUpdate: ${tsString(f.onUpdate)}` : ''].filter(Boolean);
    args.push(`new ForeignKeyConstraint(${tsStringList(f.columns)}, ${tsStringList(f.referredColumns.map((c) => `${f.referredTable}.${c}`))}${o.length ? `, { ${o.join(', ')} }` : ''})`);
  }
  for (const u of shapes.uniques) {
    ctx.imports.add('UniqueConstraint');
    args.push(`new UniqueConstraint(${tsStringList(u.columns)}${u.name ? `, { name: ${tsString(u.name)} }` : ''})`);
  }
  for (const k of shapes.checks) {
    ctx.imports.add('CheckConstraint');
    args.push(`new CheckConstraint(${tsString(k.sqltext)}${k.name ? `, { name: ${tsString(k.name)} }` : ''})`);
  }
  for (const i of shapes.indexes) {
    ctx.imports.add('Index');
    args.push(`new Index(${tsString(i.name)}, ${elementsSource(i, ctx)}${i.unique ? ', { unique: true }' : ''})`);
  }
  return { columns, args };
}

/** `await op.createTable(...)` for a Table of the models or the database. */
function createTableSource(t: Table<any, any>, ctx: Ctx): string[] {
  const { columns, args } = tableParts(t, ctx);
  const tableOptions = [t.comment && ctx.kind !== 'sqlite' ? `comment: ${tsString(t.comment)}` : '', t.schema ? `schema: ${tsString(t.schema)}` : ''].filter(Boolean);
  if (tableOptions.length) args.push(`{ ${tableOptions.join(', ')} }`);
  return [`await op.createTable(${tsString(t.name)}, {`, ...columns.map((l) => `  ${l}`), args.length ? `}, ${args.join(', ')});` : '});'];
}

const q = tsString;

interface Pair {
  up: string[];
  down: string[];
  /** SQLite: made inside batchAlterTable (ALTER TABLE cannot). */
  batch?: string;
}

function mysqlExisting(col: TableColumn<any, any>, ctx: Ctx): string {
  if (ctx.kind !== 'mysql') return '';
  const def = defaultSource(col, ctx);
  return `, existingType: ${typeSource(col.type, ctx.imports)}, existingNullable: ${col.nullable}, existingServerDefault: ${def ?? 'null'}, existingComment: ${col.options.comment === undefined ? 'null' : q(col.options.comment)}`;
}

function alterSource(col: string, target: TableColumn<any, any>, from: TableColumn<any, any>, changes: readonly string[], ctx: Ctx, cast = false): string {
  const o: string[] = [];
  if (changes.includes('type')) o.push(`type: ${typeSource(target.type, ctx.imports)}`);
  // PostgreSQL converts the stored values only with an explicit cast (text -> integer...).
  if (cast) o.push(`using: ${q(`${ctx.c.quote(col)}::${ctx.c.typeName(target.type)}`)}`);
  if (changes.includes('nullable')) o.push(`nullable: ${target.nullable}`);
  if (changes.includes('serverDefault')) o.push(`serverDefault: ${defaultSource(target, ctx) ?? 'null'}`);
  if (changes.includes('comment')) o.push(`comment: ${target.options.comment === undefined ? 'null' : q(target.options.comment)}`);
  return `${q(col)}, { ${o.join(', ')}${mysqlExisting(from, ctx)} }`;
}

/**
 * PostgreSQL, a table outside the default schema: each one-line `await op.x(...)` call gets the
 * schema in its options (a trailing options object gains it, or one is added); a foreign key's
 * referent is taken to be in the same schema. createTable carries it in its table options.
 */
function withSchema(line: string, schema: string): string {
  if (!line.startsWith('await op.') || !line.endsWith(');') || line.startsWith('await op.createTable(')) return line;
  const extra = `schema: ${tsString(schema)}${line.startsWith('await op.createForeignKey(') ? `, referentSchema: ${tsString(schema)}` : ''}`;
  if (line.endsWith(' });')) return `${line.slice(0, -4)}, ${extra} });`;
  return `${line.slice(0, -2)}, { ${extra} });`;
}

function pairFor(op: DiffOp, ctx: Ctx, diff: SchemaDiff): Pair {
  const pair = pairForDefaultSchema(op, ctx, diff);
  if (!op.schema) return pair;
  const schema = op.schema;
  return { ...pair, up: pair.up.map((l) => withSchema(l, schema)), down: pair.down.map((l) => withSchema(l, schema)) };
}

function pairForDefaultSchema(op: DiffOp, ctx: Ctx, diff: SchemaDiff): Pair {
  const sqlite = ctx.kind === 'sqlite';
  switch (op.kind) {
    case 'addTable':
    case 'dropTable': {
      const t = op.table;
      const create = createTableSource(t, ctx);
      const drop = [`await op.dropTable(${q(t.name)});`];
      return op.kind === 'addTable' ? { up: create, down: drop } : { up: [`// destructive: drops table '${t.name}' and its rows`, ...drop], down: create };
    }
    case 'addColumn':
    case 'dropColumn': {
      const inlinePk = false;
      const add = `await op.addColumn(${q(op.table)}, ${q(op.column.name)}, ${columnSource(op.column, ctx, inlinePk)});`;
      const dropLine = sqlite ? `await batch.dropColumn(${q(op.column.name)});` : `await op.dropColumn(${q(op.table)}, ${q(op.column.name)});`;
      const rename = diff.possibleRenames.find((r) => r.table === op.table && (r.to === op.column.name || r.from === op.column.name));
      const note = rename && op.kind === 'addColumn' ? [`// possible rename: '${op.table}.${rename.from}' disappeared and '${rename.to}' appeared with the same type; if so, replace this pair with`, `//   await op.alterColumn(${q(op.table)}, ${q(rename.from)}, { newName: ${q(rename.to)} });`] : [];
      if (op.kind === 'addColumn') return { up: [...note, add], down: [sqlite ? `await op.dropColumn(${q(op.table)}, ${q(op.column.name)});` : dropLine] };
      const readd = sqlite ? `await batch.addColumn(${q(op.column.name)}, ${columnSource(op.column, ctx, inlinePk)});` : add;
      return { up: [`// destructive: drops column '${op.table}.${op.column.name}' and its values`, dropLine], down: [readd], batch: sqlite ? op.table : undefined };
    }
    case 'alterColumn': {
      const mark = op.narrowing ? [`// destructive: narrows ${op.table}.${op.column} from ${ctx.c.typeName(op.db.type)} to ${ctx.c.typeName(op.model.type)}; values that do not fit fail (or are cut)`] : [];
      const target = sqlite ? 'batch.alterColumn(' : `op.alterColumn(${q(op.table)}, `;
      return {
        up: [...mark, `await ${target}${alterSource(op.column, op.model, op.db, op.changes, ctx, op.cast?.up)});`],
        down: [`await ${target}${alterSource(op.column, op.db, op.model, op.changes, ctx, op.cast?.down)});`],
        batch: sqlite ? op.table : undefined,
      };
    }
    case 'addIndex':
    case 'dropIndex': {
      ctx.imports.add('Index');
      const create = `await op.createIndex(${q(op.index.name)}, ${q(op.table)}, ${elementsSource(op.index, ctx)}${op.index.unique ? ', { unique: true }' : ''});`;
      const drop = `await op.dropIndex(${q(op.index.name)}, ${q(op.table)});`;
      return op.kind === 'addIndex' ? { up: [create], down: [drop] } : { up: [drop], down: [create] };
    }
    case 'addUnique':
    case 'dropUnique': {
      const p = sqlite ? 'batch.' : 'op.';
      const t = sqlite ? '' : `${q(op.table)}, `;
      const create = `await ${p}createUniqueConstraint(${op.name ? q(op.name) : 'undefined'}, ${t}${tsStringList(op.columns)});`;
      const drop = op.name ? `await ${p}dropConstraint(${q(op.name)}, ${t}{ type: 'unique' });` : `// an unnamed unique constraint on (${op.columns.join(', ')}) cannot be dropped by name: drop it by hand`;
      return { ...(op.kind === 'addUnique' ? { up: [create], down: [drop] } : { up: [drop], down: [create] }), batch: sqlite ? op.table : undefined };
    }
    case 'addForeignKey':
    case 'dropForeignKey': {
      const f = op.fk;
      const create = sqlite
        ? `await batch.createForeignKey(${f.name ? q(f.name) : 'undefined'}, ${q(f.referredTable)}, ${tsStringList(f.columns)}, ${tsStringList(f.referredColumns)}${fkArgs(f)});`
        : `await op.createForeignKey(${f.name ? q(f.name) : 'undefined'}, ${q(op.table)}, ${q(f.referredTable)}, ${tsStringList(f.columns)}, ${tsStringList(f.referredColumns)}${fkArgs(f)});`;
      const drop = f.name
        ? sqlite
          ? `await batch.dropConstraint(${q(f.name)}, { type: 'foreignkey' });`
          : `await op.dropConstraint(${q(f.name)}, ${q(op.table)}, { type: 'foreignkey' });`
        : `// an unnamed foreign key on ${op.table} (${f.columns.join(', ')}) cannot be dropped by name: name it (naming convention) or drop it by hand`;
      return { ...(op.kind === 'addForeignKey' ? { up: [create], down: [drop] } : { up: [drop], down: [create] }), batch: sqlite ? op.table : undefined };
    }
    case 'addCheck':
    case 'dropCheck': {
      const name = op.name ? q(op.name) : 'undefined';
      const create = sqlite ? `await batch.createCheckConstraint(${name}, ${q(op.sqltext)});` : `await op.createCheckConstraint(${name}, ${q(op.table)}, ${q(op.sqltext)});`;
      const drop = !op.name
        ? sqlite
          ? `await batch.dropUnnamedCheck(${q(op.sqltext)});`
          : `// an unnamed check (${op.sqltext}) on '${op.table}' cannot be dropped by name: name it in the models, or drop it by hand`
        : sqlite
          ? `await batch.dropConstraint(${name}, { type: 'check' });`
          : `await op.dropConstraint(${name}, ${q(op.table)}, { type: 'check' });`;
      return { ...(op.kind === 'addCheck' ? { up: [create], down: [drop] } : { up: [drop], down: [create] }), batch: sqlite ? op.table : undefined };
    }
    case 'primaryKey':
      return primaryKeyPair(op, ctx);
    case 'enumValues': {
      const columns = `[${op.columns.map((c) => tsStringList(c)).join(', ')}]`;
      const alter = (to: string[], from: string[]) => `await op.alterEnum(${q(op.name)}, ${tsStringList(to)}, { existingValues: ${tsStringList(from)}, columns: ${columns} });`;
      const lost = (to: string[], from: string[]) => from.filter((v) => !to.includes(v));
      const mark = (to: string[], from: string[]) => (lost(to, from).length ? [`// destructive: removes ${lost(to, from).map((v) => `'${v}'`).join(', ')} from enum '${op.name}'; rows holding them make the conversion fail`] : []);
      return { up: [...mark(op.model, op.db), alter(op.model, op.db)], down: [...mark(op.db, op.model), alter(op.db, op.model)] };
    }
    case 'tableComment': {
      const set = (comment: string | undefined) => `await op.setTableComment(${q(op.table)}, ${comment === undefined ? 'null' : q(comment)});`;
      return { up: [set(op.model)], down: [set(op.db)] };
    }
  }
}

/**
 * A changed primary key: SQLite rebuilds the table with the new key (batch); elsewhere the old
 * key is dropped by name and the new one added. PostgreSQL names an unnamed key <table>_pkey,
 * which is the name the downgrade drops; MySQL's is always PRIMARY (dropped by type).
 */
function primaryKeyPair(op: Extract<DiffOp, { kind: 'primaryKey' }>, ctx: Ctx): Pair {
  const create = (name: string | undefined, cols: string[]) =>
    ctx.kind === 'sqlite' ? `await batch.createPrimaryKey(${name ? q(name) : 'undefined'}, ${tsStringList(cols)});` : `await op.createPrimaryKey(${name ? q(name) : 'undefined'}, ${q(op.table)}, ${tsStringList(cols)});`;
  if (ctx.kind === 'sqlite') return { up: [create(op.modelName, op.model)], down: [create(op.dbName, op.db)], batch: op.table };
  const nameOf = (given: string | undefined) => given ?? (ctx.kind === 'postgresql' ? `${op.table}_pkey` : 'PRIMARY');
  const drop = (name: string) => `await op.dropConstraint(${q(name)}, ${q(op.table)}, { type: 'primary' });`;
  const side = (fromName: string, from: string[], toName: string | undefined, to: string[]) => [...(from.length ? [drop(fromName)] : []), ...(to.length ? [create(toName, to)] : [])];
  return { up: side(nameOf(op.dbName), op.db, op.modelName, op.model), down: side(nameOf(op.modelName), op.model, op.dbName, op.db) };
}

/** Foreign keys, indexes, uniques and named checks of a Table, as render shapes. */
function tableShapes(t: Table<any, any>, ctx: Ctx) {
  const fks = fkShapes(t);
  // SQLite's autoindexes and MySQL's index per foreign key come back with their constraint.
  const indexes = indexShapes(t, ctx.c).filter((i) => !i.name.startsWith('sqlite_autoindex_') && !(ctx.kind === 'mysql' && fks.some((f) => f.name === i.name)));
  return { fks, indexes, uniques: uniqueShapes(t), checks: checkShapes(t, ctx.c) };
}

const ORDER: DiffOp['kind'][] = ['addTable', 'dropForeignKey', 'dropIndex', 'dropUnique', 'dropCheck', 'enumValues', 'addColumn', 'alterColumn', 'dropColumn', 'addUnique', 'addIndex', 'addCheck', 'addForeignKey', 'primaryKey', 'tableComment', 'dropTable'];

/** Renders a diff as the bodies of `upgrade(op)` and `downgrade(op)`. */
export function renderDiff(diff: SchemaDiff, c: SQLCompiler, kind: DialectKind): RenderedRevision {
  const ctx: Ctx = { imports: new Set(), c, kind };
  const ops = [...diff.ops].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const pairs = ops.map((op) => pairFor(op, ctx, diff));
  const up: string[] = [];
  const down: string[] = [];
  // Consecutive SQLite batch steps on one table share one rebuild.
  const grouped = (list: Pair[], pick: (p: Pair) => string[], out: string[]) => {
    for (let i = 0; i < list.length; ) {
      const table = list[i].batch;
      if (!table) {
        out.push(...pick(list[i]));
        i++;
        continue;
      }
      out.push(`await op.batchAlterTable(${q(table)}, async (batch) => {`);
      while (i < list.length && list[i].batch === table) out.push(...pick(list[i++]).map((l) => `  ${l}`));
      out.push('});');
    }
  };
  grouped(pairs, (p) => p.up, up);
  grouped([...pairs].reverse(), (p) => p.down, down);
  const body = (lines: string[]) => (lines.length ? lines.map((l) => `  ${l}`).join('\n') : '  // no changes detected');
  return { upgradeBody: body(up), downgradeBody: body(down), coreImports: [...ctx.imports] };
}
