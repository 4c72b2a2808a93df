import {
  ArgumentError,
  BindParameter,
  ClauseElement,
  type ColumnElement,
  DialectClause,
  type Insert,
  type Table,
  type TableColumn,
  defineDialectClause,
} from '@athanor/core';

/** `excluded.<column>`: the value the conflicting INSERT tried to write. */
export class Excluded extends DialectClause {
  constructor(readonly columnName: string) {
    super();
  }
}
defineDialectClause(Excluded, 'sqlite.excluded', ['sqlite'], [['columnName', 'value']]);

/** `ON CONFLICT (target) DO NOTHING | DO UPDATE SET ... [WHERE ...]` after INSERT's VALUES. */
export class OnConflictClause extends DialectClause {
  constructor(
    readonly target: readonly string[],
    readonly setPairs: readonly (readonly [TableColumn<any, any>, ColumnElement<any, any>])[],
    readonly doNothing: boolean,
    readonly where: ColumnElement<any, any> | undefined,
    readonly targetWhere: ColumnElement<any, any> | undefined,
  ) {
    super();
  }
}
defineDialectClause(OnConflictClause, 'sqlite.onConflict', ['sqlite'], [
  ['target', 'value'],
  ['setPairs', 'pairs'],
  ['doNothing', 'value'],
  ['where', 'element'],
  ['targetWhere', 'element'],
]);

type ColumnKey<T> = T extends Table<any, any> ? keyof T['c'] & string : string;

/** The conflict target of `INSERT … ON CONFLICT` on SQLite: columns of a unique index or primary key, and a partial index's WHERE. */
export interface OnConflictOptions<T> {
  /** Conflict target: column keys (or columns) of a unique index or primary key. */
  target?: readonly (ColumnKey<T> | TableColumn<any, any>)[];
  /** WHERE of a partial unique index used as the target. */
  targetWhere?: ColumnElement<any, any>;
}

/** Options of `onConflictDoUpdate()`: the conflict target, the new values (`excluded(...)` for the proposed row), and which rows to update. */
export interface OnConflictUpdateOptions<T> extends OnConflictOptions<T> {
  /** Column key → new value: a plain value, an expression, or `excluded('key')`. */
  set: Partial<Record<ColumnKey<T>, unknown>>;
  /** Only update rows matching this condition. */
  where?: ColumnElement<any, any>;
}

function tableOf(stmt: Insert<any, any, any>): Table<any, any> {
  return stmt.table as Table<any, any>;
}

function resolveColumn(table: Table<any, any>, key: string | TableColumn<any, any>, what: string): TableColumn<any, any> {
  if (typeof key !== 'string') return key;
  const col = (table.c as Record<string, TableColumn<any, any>>)[key];
  if (!col) throw new ArgumentError(`${what}: unknown column key '${key}' for table '${table.name}'; its columns are: ${Object.keys(table.c).join(', ')}.`);
  return col;
}

function targetNames(table: Table<any, any>, target: OnConflictOptions<any>['target'], what: string): string[] {
  return (target ?? []).map((k) => resolveColumn(table, k as any, what).name);
}

/** `excluded.<column>` for `onConflictDoUpdate`'s `set` (a column key of the insert's table, or a column). */
export function excluded(column: string | TableColumn<any, any>): ColumnElement<any, any> {
  return new Excluded(typeof column === 'string' ? column : column.name) as unknown as ColumnElement<any, any>;
}

/** `INSERT ... ON CONFLICT [(target)] DO NOTHING`. */
export function onConflictDoNothing<S extends Insert<any, any, any>>(stmt: S, options: OnConflictOptions<S['table']> = {}): S {
  const table = tableOf(stmt);
  return stmt.withPostValuesClause(new OnConflictClause(targetNames(table, options.target, 'onConflictDoNothing'), [], true, undefined, options.targetWhere));
}

/** `INSERT ... ON CONFLICT (target) DO UPDATE SET ... [WHERE ...]` (an upsert). */
export function onConflictDoUpdate<S extends Insert<any, any, any>>(stmt: S, options: OnConflictUpdateOptions<S['table']>): S {
  const table = tableOf(stmt);
  const what = 'onConflictDoUpdate';
  if (!options.target || options.target.length === 0) throw new ArgumentError(`${what} needs a conflict target: { target: ['column', ...] }.`);
  const keys = Object.keys(options.set ?? {});
  if (keys.length === 0) throw new ArgumentError(`${what} needs at least one column in set: { set: { column: value } }.`);
  const pairs = keys.map((k) => {
    const col = resolveColumn(table, k, what);
    const v = (options.set as Record<string, unknown>)[k];
    let el: ColumnElement<any, any>;
    if (v instanceof Excluded) {
      const c = resolveColumn(table, v.columnName, what);
      el = new Excluded(c.name) as unknown as ColumnElement<any, any>;
    } else if (v instanceof ClauseElement) el = v as ColumnElement<any, any>;
    else el = new BindParameter(col.key, v === undefined ? null : v, col.type) as ColumnElement<any, any>;
    return [col, el] as const;
  });
  return stmt.withPostValuesClause(new OnConflictClause(targetNames(table, options.target, what), pairs, false, options.where, options.targetWhere));
}
