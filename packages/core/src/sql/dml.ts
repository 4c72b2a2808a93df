/** INSERT, UPDATE and DELETE statements. */
import { ArgumentError } from '../errors';
import type { ValueInput } from '../types/decimal';
import { SCHEMA_BRAND, brandedInstanceOf } from '../util/brand';
import type { ColumnDef } from '../schema/column';
import type { Table, TableColumn } from '../schema/table';
import { BindParameter, ColumnElement, toElement } from './column-element';
import { and } from './conjunctions';
import { ClauseElement, NONE, defineElement } from './element';
import { type HasClauseElement, clauseElement, dmlRefusal, hasClauseElement } from './entity';
import { type ResultColumn, type RowOf, type SelectBase, type SelectItem, select as selectFn } from './select';
import type { FromClause } from './selectable';

type AnyExpr = ColumnElement<any, any>;
type Predicate = ColumnElement<boolean, any> | ColumnElement<boolean | null, any> | HasClauseElement;
type DefsOf<T> = T extends Table<any, infer D> ? D : never;
type ValueOfDef<C> = C extends ColumnDef<infer T, any> ? ValueInput<T> : never;
type RequiredKeys<D> = { [K in keyof D]: D[K] extends ColumnDef<any, true> ? K : never }[keyof D];
type OptionalKeys<D> = Exclude<keyof D, RequiredKeys<D>>;

/** The values an INSERT takes for a table: required columns must be given. */
export type InsertValues<T> = {
  [K in RequiredKeys<DefsOf<T>>]: ValueOfDef<DefsOf<T>[K]> | AnyExpr;
} & { [K in OptionalKeys<DefsOf<T>>]?: ValueOfDef<DefsOf<T>[K]> | AnyExpr | null };

/** The values an UPDATE takes: any subset of the columns. */
export type UpdateValues<T> = { [K in keyof DefsOf<T>]?: ValueOfDef<DefsOf<T>[K]> | AnyExpr | null };

/** A column's client-side default, evaluated per row at execution. */
export class ColumnDefault {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, SCHEMA_BRAND);
  }
  constructor(readonly value: unknown) {}
  evaluate(): unknown {
    return typeof this.value === 'function' ? (this.value as () => unknown)() : this.value;
  }
}

Object.defineProperty(ColumnDefault.prototype, SCHEMA_BRAND, { value: true });

/** Shared by INSERT/UPDATE/DELETE: target table, RETURNING. */
export abstract class DMLBase<Row = never> extends ClauseElement {
  declare readonly __row: Row;
  readonly table: Table<any, any>;
  readonly returningClause: readonly AnyExpr[] = NONE;

  constructor(table: Table<any, any>) {
    super();
    if (!table || (table as any).kind !== 'table') {
      throw new ArgumentError(`${this.constructor.name.toLowerCase()}() needs a Table; got ${String(table)}.`);
    }
    this.table = table;
  }

  /** The result columns when RETURNING is used. */
  resultColumns(): ResultColumn[] {
    if (!this.returningClause.length) return [];
    return selectFn(...(this.returningClause as SelectItem[])).resultColumns();
  }

  /** Turns user `{ key: value }` into `[column, element]` pairs, rejecting unknown keys. */
  protected resolveValues(values: Record<string, unknown>, what: string): [TableColumn<any, any>, AnyExpr][] {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new ArgumentError(`${what}.values() takes an object of column values, got ${Array.isArray(values) ? 'an array' : String(values)}.`);
    }
    const out: [TableColumn<any, any>, AnyExpr][] = [];
    for (const key of Object.keys(values)) {
      const col = (this.table.c as Record<string, TableColumn<any, any>>)[key];
      if (!col) {
        const keys = Object.keys(this.table.c).join(', ');
        throw new ArgumentError(`Unknown column key '${key}' in ${what}.values() for table '${this.table.name}'; its columns are: ${keys}.`);
      }
      const v = values[key];
      if (v === undefined) {
        throw new ArgumentError(
          `${what}.values(): column '${key}' of '${this.table.name}' is undefined. Omit the key to use the column's default (in an UPDATE: to leave it unchanged), or pass null to store NULL.`,
        );
      }
      out.push([col, v instanceof ClauseElement ? typedBind(v as AnyExpr, col) : new BindParameter(col.key, v, col.type)]);
    }
    return out;
  }
}

/**
 * A `bindparam(name)` given without a type takes its column's (SQLAlchemy does the same): its
 * values bind as the column's type binds them (a JSON document, a DateTime in the column's
 * text format) in every execution, an executemany's included.
 */
function typedBind(v: AnyExpr, col: TableColumn<any, any>): AnyExpr {
  if (!(v instanceof BindParameter) || v.type.typeName !== 'Null' || (v.type as { rawName?: string }).rawName !== undefined) return v;
  return new BindParameter(v.name, v.value, col.type, { expanding: v.expanding, isNamed: v.isNamed, itemTypes: v.itemTypes });
}

/**
 * `INSERT INTO table (cols) VALUES (...)`, multi-row VALUES, `INSERT ... SELECT`, RETURNING.
 * `V` records (in the type only) whether the statement has its VALUES or SELECT: without,
 * `execute(stmt, rows)` takes the rows, typed as `values()` types them.
 */
export class Insert<T extends Table<any, any> = Table<any, any>, Row = never, V extends boolean = false> extends DMLBase<Row> {
  /** Rows of `[column, value element]`; one row for single VALUES, several for multi-row. */
  readonly valueRows: readonly (readonly (readonly [TableColumn<any, any>, AnyExpr])[])[] = NONE;
  /** `INSERT ... SELECT`: the target columns and the query. */
  readonly selectColumns: readonly TableColumn<any, any>[] = NONE;
  readonly selectStatement: SelectBase<any> | undefined = undefined;
  /** A dialect's clause after VALUES (`ON CONFLICT ...`, `ON DUPLICATE KEY UPDATE ...`). */
  readonly postValuesClause: ClauseElement | undefined = undefined;
  declare readonly __table: T;
  declare readonly __valuesGiven: V;

  /** One row (`values({...})`) or several (`values([{...}, {...}])`: one multi-row VALUES). */
  values(values: InsertValues<T> | readonly InsertValues<T>[]): Insert<T, Row, true> {
    const rows = Array.isArray(values) ? values : [values];
    if (rows.length === 0) throw new ArgumentError(`insert(${this.table.name}).values([]) has no rows; pass at least one.`);
    const resolved = rows.map((r) => this.resolveValues(r as Record<string, unknown>, `insert(${this.table.name})`));
    if (resolved.length > 1) {
      const keys = resolved[0].map(([c]) => c.key).join(',');
      for (const r of resolved) {
        if (r.map(([c]) => c.key).join(',') !== keys) {
          throw new ArgumentError(`insert(${this.table.name}).values([...]): every row of a multi-row VALUES must have the same keys, in the same order.`);
        }
      }
    }
    return this.withFields({ valueRows: resolved }) as Insert<T, Row, true>;
  }

  /** `INSERT INTO table (columns) SELECT ...`. */
  fromSelect(columns: readonly (keyof T['c'] & string)[], query: SelectBase<any>): Insert<T, Row, true> {
    const cols = columns.map((k) => {
      const c = (this.table.c as any)[k];
      if (!c) throw new ArgumentError(`insert(${this.table.name}).fromSelect(): unknown column key '${k}'.`);
      return c;
    });
    if (query.resultColumns().length !== cols.length) {
      throw new ArgumentError(`insert(${this.table.name}).fromSelect(): ${cols.length} columns but the select returns ${query.resultColumns().length}.`);
    }
    return this.withFields({ selectColumns: cols, selectStatement: query }) as Insert<T, Row, true>;
  }

  returning<const E extends SelectItem[]>(...items: E): Insert<T, RowOf<E>, V> {
    return this.withFields({ returningClause: items.flatMap(expandItem) }) as any;
  }

  /** For dialect packages: attaches their post-VALUES clause. */
  withPostValuesClause(clause: ClauseElement): this {
    return this.withFields({ postValuesClause: clause });
  }

  /** Missing columns that have a client-side default, to add at compile time. */
  defaultColumns(present: ReadonlySet<TableColumn<any, any>>): TableColumn<any, any>[] {
    return this.table.columns.filter((c) => c.options.default !== undefined && !present.has(c));
  }
}
defineElement(Insert, 'insert', [
  ['table', 'ref'],
  ['valueRows', 'rows'],
  ['selectColumns', 'value'],
  ['selectStatement', 'element'],
  ['postValuesClause', 'element'],
  ['returningClause', 'elements'],
]);

/** `UPDATE table SET col = value [FROM other] WHERE ...`. */
export class Update<T extends Table<any, any> = Table<any, any>, Row = never> extends DMLBase<Row> {
  readonly setClauses: readonly (readonly [TableColumn<any, any>, AnyExpr])[] = NONE;
  readonly whereClause: AnyExpr | undefined = undefined;
  /** Extra FROM items (`UPDATE ... FROM` on PostgreSQL and SQLite, multi-table UPDATE on MySQL). */
  readonly extraFroms: readonly FromClause[] = NONE;
  declare readonly __table: T;

  values(values: UpdateValues<T>): Update<T, Row> {
    const resolved = this.resolveValues(values as Record<string, unknown>, `update(${this.table.name})`);
    const merged = this.setClauses.filter(([c]) => !resolved.some(([r]) => r === c)).concat(resolved);
    return this.withFields({ setClauses: merged });
  }
  where(...criteria: Predicate[]): Update<T, Row> {
    const cs = criteria.map(coercePredicate);
    return this.withFields({ whereClause: and(...(this.whereClause ? [this.whereClause, ...cs] : cs)) });
  }
  /** Adds FROM items for correlated criteria (`UPDATE ... FROM`). */
  from(...froms: FromClause[]): Update<T, Row> {
    return this.withFields({ extraFroms: [...this.extraFroms, ...froms] });
  }
  returning<const E extends SelectItem[]>(...items: E): Update<T, RowOf<E>> {
    return this.withFields({ returningClause: items.flatMap(expandItem) }) as any;
  }
  /** Columns with an `onUpdate` that this statement does not set. */
  onUpdateColumns(): TableColumn<any, any>[] {
    return this.table.columns.filter((c) => c.options.onUpdate !== undefined && !this.setClauses.some(([s]) => s === c));
  }
}
defineElement(Update, 'update', [
  ['table', 'ref'],
  ['setClauses', 'pairs'],
  ['extraFroms', 'elements'],
  ['whereClause', 'element'],
  ['returningClause', 'elements'],
]);

/** `DELETE FROM table [USING other] WHERE ...`. */
export class Delete<T extends Table<any, any> = Table<any, any>, Row = never> extends DMLBase<Row> {
  readonly whereClause: AnyExpr | undefined = undefined;
  readonly extraFroms: readonly FromClause[] = NONE;
  declare readonly __table: T;

  where(...criteria: Predicate[]): Delete<T, Row> {
    const cs = criteria.map(coercePredicate);
    return this.withFields({ whereClause: and(...(this.whereClause ? [this.whereClause, ...cs] : cs)) });
  }
  /** Adds FROM items (`DELETE ... USING` on PostgreSQL, multi-table DELETE on MySQL). */
  using(...froms: FromClause[]): Delete<T, Row> {
    return this.withFields({ extraFroms: [...this.extraFroms, ...froms] });
  }
  returning<const E extends SelectItem[]>(...items: E): Delete<T, RowOf<E>> {
    return this.withFields({ returningClause: items.flatMap(expandItem) }) as any;
  }
}
defineElement(Delete, 'delete', [
  ['table', 'ref'],
  ['extraFroms', 'elements'],
  ['whereClause', 'element'],
  ['returningClause', 'elements'],
]);

/** The table of a DML statement: a Table, or an object standing for one (an ORM mapped class: `insert(User)`). */
function dmlTable<T extends Table<any, any>>(target: T | HasClauseElement<T>, fn: string): T {
  const refusal = (target as { [dmlRefusal]?: (fn: string) => string | undefined } | null)?.[dmlRefusal]?.(fn);
  if (refusal !== undefined) throw new ArgumentError(refusal);
  if (hasClauseElement(target) && !(target instanceof ClauseElement)) target = target[clauseElement]() as T;
  if (!(target instanceof ClauseElement) || (target as any).kind !== 'table') {
    throw new ArgumentError(`${fn}() takes a Table (or a mapped class); got ${target === null ? 'null' : typeof target}.`);
  }
  return target as T;
}

/** `INSERT INTO table`: `.values({...})`, or execute with a list of rows for an executemany; `.returning(...)`. */
export function insert<T extends Table<any, any>>(table: T | HasClauseElement<T>): Insert<T> {
  return new Insert(dmlTable(table, 'insert'));
}
/** `UPDATE table`: `.where(...)`, `.values({...})`, `.returning(...)`. */
export function update<T extends Table<any, any>>(table: T | HasClauseElement<T>): Update<T> {
  return new Update(dmlTable(table, 'update'));
}
/** DELETE (`delete` is a reserved word in JavaScript, so the function is `delete_`; also `table.delete()`). */
export function delete_<T extends Table<any, any>>(table: T | HasClauseElement<T>): Delete<T> {
  return new Delete(dmlTable(table, 'delete'));
}

function expandItem(item: SelectItem): AnyExpr[] {
  return selectFn(item).columnsClause as AnyExpr[];
}
function coercePredicate(c: Predicate): AnyExpr {
  if (c instanceof ColumnElement) return c;
  if (hasClauseElement(c)) return c[clauseElement]() as AnyExpr;
  throw new ArgumentError(`where() takes expressions such as users.c.id.eq(5); got ${String(c)}.`);
}

export { toElement };
