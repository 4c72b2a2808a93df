/**
 * What a SELECT of an entity loads: which value slots (columns, then column properties) it
 * selects and how a row's values go back into slots. A mapper without deferred columns or
 * column properties never uses one: its rows are its slots, as they come (the hot path).
 * With them, the mapper's default plan leaves the deferred slots out and adds the column
 * properties' expressions; `defer()` / `undefer()` / `loadOnly()` pick another plan.
 */
import { type ColumnElement, type EntityDescriptor, type FromClause, type SelectableEntity, adaptToAlias, selectEntity } from '@athanor/core';
import type { LoadContext, Mapper } from './mapper';

export interface ColumnPlan {
  /** The state slots selected, in order. */
  readonly slots: readonly number[];
  readonly descriptor: EntityDescriptor<object | null>;
  /** Stands for the class in `select()` (one object per plan: the statement cache key repeats). */
  readonly entity: SelectableEntity<object | null>;
}

/** The element a slot is selected as: the column, or the column property's expression labelled with its name. */
export function slotElement(mapper: Mapper, slot: number): ColumnElement<any, any> {
  const n = mapper.columns.length;
  if (slot < n) return mapper.columns[slot];
  const prop = mapper.columnProperties[slot - n];
  return prop.expression.label(prop.name);
}

/** Spreads a row's values (in `slots` order) over a state's value slots; slots not selected stay undefined (not loaded). */
export function spreadValues(slots: readonly number[], width: number, values: readonly unknown[]): unknown[] {
  const out = new Array(width);
  for (let i = 0; i < slots.length; i++) out[slots[i]] = values[i];
  return out;
}

/** Loads a row of `slots` values: spread over the state's slots, through the session when there is one. */
function spreadingLoader(mapper: Mapper, slots: readonly number[]): EntityDescriptor<object | null>['load'] {
  const width = mapper.width;
  return (values, context) => {
    const full = spreadValues(slots, width, values);
    if (context !== undefined && typeof (context as LoadContext).loadInstance === 'function') return (context as LoadContext).loadInstance(mapper, full, true);
    // Executed outside a session (plain conn.execute): a detached instance (none for an outer join's missing side).
    const key = mapper.identityKey(full);
    if (key === undefined && mapper.noRow(full)) return null;
    return mapper.instanceFromRow(full, key).obj;
  };
}

export function buildColumnPlan(mapper: Mapper, slots: readonly number[]): ColumnPlan {
  const descriptor: EntityDescriptor<object | null> = {
    name: mapper.name,
    from: mapper.table,
    columns: slots.map((s) => slotElement(mapper, s)),
    load: spreadingLoader(mapper, slots),
  };
  return { slots, descriptor, entity: { [selectEntity]: () => descriptor } };
}

/**
 * The columns of the entity's default SELECT taken from `from` (an alias of its table, or
 * another FROM item holding its columns), and the slots they fill. On an alias of the table
 * the column properties are adapted to the alias (a correlated subquery correlates with
 * it); on any other FROM item they are left unloaded (reading one raises).
 */
export function defaultColumnsFrom(mapper: Mapper, from: FromClause): { slots: readonly number[]; columns: ColumnElement<any, any>[] } {
  const n = mapper.columns.length;
  const onTable = from === mapper.table || from.baseTable === mapper.table;
  const slots = mapper.defaultSlots.filter((s) => s < n || onTable);
  const cols = from.c as Record<string, ColumnElement<any, any>>;
  const columns = slots.map((s) => {
    if (s < n) return cols[mapper.columnKeys[s]];
    const prop = mapper.columnProperties[s - n];
    return (from === mapper.table ? prop.expression : adaptToAlias(prop.expression, mapper.table, from, { correlate: true })).label(prop.name);
  });
  return { slots, columns };
}

/** The columns and loader of the entity selected from an alias of its table (`aliased()`). */
export function aliasedEntity(mapper: Mapper, alias: FromClause): Pick<EntityDescriptor<object | null>, 'columns' | 'load'> {
  if (mapper.defaultPlan === undefined) return { columns: mapper.columnKeys.map((k) => (alias.c as Record<string, ColumnElement<any, any>>)[k]), load: mapper.descriptor.load };
  const { slots, columns } = defaultColumnsFrom(mapper, alias);
  return { columns, load: spreadingLoader(mapper, slots) };
}
