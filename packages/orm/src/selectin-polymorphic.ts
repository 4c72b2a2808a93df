/**
 * selectinPolymorphic: a joined-table hierarchy queried through its base loads the base's
 * tables only (and the subclass tables no option names), then the columns of each named
 * subclass present with one `SELECT ... FROM <its tables> WHERE key IN (...)` per 500 keys,
 * instead of a LEFT OUTER JOIN per subclass table in every query of the base. Until that
 * SELECT ran, the subclass columns are unloaded slots (reading one raises), as deferred ones are.
 */
import { type ColumnElement, type EntityDescriptor, type FromClause, Join, type SelectableEntity, type Table, and, select, selectEntity } from '@athanor/core';
import { inheritedKeyPairs } from './joined-inheritance';
import { IN_BATCH, type RowQuery } from './loading';
import { type LoadContext, type Mapper, registerEntityDescriptor } from './mapper';
import { distinctKeys, keyAt, keyIn } from './relationship-keys';
import type { InstanceState } from './state/instance-state';

export interface PolymorphicEntity {
  /** Stands for the class in `select()`: the same object for the same subclasses (the statement cache key repeats). */
  readonly entity: SelectableEntity<object | null>;
  /** The subclass tables left out of the query: their columns load afterwards. */
  readonly omitted: ReadonlySet<Table<any, any>>;
}

const built = new WeakMap<Mapper, Map<string, PolymorphicEntity>>();

/**
 * `selected`'s entity without the tables of `classes` and of the classes inheriting from
 * them; undefined when its query joins none of them (a query of a subclass, or classes
 * outside `selected`'s branch of the hierarchy).
 */
export function polymorphicEntity(selected: Mapper, classes: readonly Mapper[]): PolymorphicEntity | undefined {
  const owners = selected.hierarchy?.mapperList ?? [];
  const ownerOf = (table: Table<any, any>) => owners.find((m) => m.table === table && m.parent !== undefined && m.parent.table !== table);
  const omitted = new Set<Table<any, any>>();
  for (const pt of selected.polymorphicTables) {
    const owner = ownerOf(pt.table);
    if (owner !== undefined && classes.some((c) => owner.isa(c))) omitted.add(pt.table);
  }
  if (omitted.size === 0) return undefined;
  // The key names the omitted tables and how many subclass tables the base joins (a subclass mapped later changes the entity).
  const key = `${[...omitted].map((t) => t.fullname).join(',')}/${selected.polymorphicTables.length}`;
  let cache = built.get(selected);
  if (cache === undefined) built.set(selected, (cache = new Map()));
  let out = cache.get(key);
  if (out === undefined) cache.set(key, (out = buildEntity(selected, omitted, ownerOf)));
  return out;
}

function buildEntity(selected: Mapper, omitted: ReadonlySet<Table<any, any>>, ownerOf: (t: Table<any, any>) => Mapper | undefined): PolymorphicEntity {
  let from: FromClause = selected.innerFrom;
  const columns: ColumnElement<any, any>[] = [...selected.columns];
  /** Kept subclass table → where its columns start in this entity's row. */
  const starts = new Map<Table<any, any>, number>();
  for (const pt of selected.polymorphicTables) {
    if (omitted.has(pt.table)) continue;
    starts.set(pt.table, columns.length);
    columns.push(...pt.table.columns);
    const pairs = inheritedKeyPairs(pt.table, ownerOf(pt.table)!.parent!.table, selected.name);
    from = new Join(from, pt.table, and(...pairs.map(([mine, theirs]) => mine.eq(theirs as any))), true, false);
  }
  // Row class → for each of its value slots, the row position holding it (-1: an omitted table's column).
  const projections = new Map<Mapper, number[]>();
  const projectionOf = (m: Mapper) => {
    let p = projections.get(m);
    if (p !== undefined) return p;
    p = [];
    for (const part of m.parts) {
      const own = selected.parts.find((x) => x.table === part.table);
      const start = own !== undefined ? own.offset : (starts.get(part.table) ?? -1);
      for (let i = 0; i < part.columns.length; i++) p.push(start < 0 ? -1 : start + i);
    }
    projections.set(m, p);
    return p;
  };
  const descriptor: EntityDescriptor<object | null> = {
    name: selected.descriptor.name,
    from,
    columns,
    get where() {
      return selected.descriptor.where;
    },
    load: (row, context) => {
      const m = selected.mapperForRow(row);
      const positions = projectionOf(m);
      const values = new Array(positions.length);
      let partial = false;
      for (let i = 0; i < positions.length; i++) {
        if (positions[i] < 0) partial = true;
        else values[i] = row[positions[i]];
      }
      if (context !== undefined && typeof (context as LoadContext).loadInstance === 'function') return (context as LoadContext).loadInstance(m, values, partial);
      const key = m.identityKey(values);
      if (key === undefined && m.noRow(values)) return null;
      return m.instanceFromRow(values, key).obj;
    },
  };
  registerEntityDescriptor(descriptor, selected);
  return { entity: { [selectEntity]: () => descriptor }, omitted };
}

/**
 * Loads the omitted tables' columns of `states`: one statement per class present (per 500
 * keys), joined from the base's table so that the key is the object's identity. Objects whose
 * columns are already loaded (from the identity map) are left alone, unless `overwrite`
 * (populateExisting) emptied them.
 */
export async function loadPolymorphicColumns(rows: RowQuery, states: readonly InstanceState[], omitted: ReadonlySet<Table<any, any>>): Promise<void> {
  const byMapper = new Map<Mapper, InstanceState[]>();
  const slotsOf = new Map<Mapper, number[]>();
  for (const st of states) {
    const m = st.mapper;
    let slots = slotsOf.get(m);
    if (slots === undefined) {
      slots = [];
      for (const part of m.parts) if (omitted.has(part.table)) for (let i = 0; i < part.columns.length; i++) slots.push(part.offset + i);
      slotsOf.set(m, slots);
    }
    if (slots.length === 0 || !slots.some((s) => st.values[s] === undefined)) continue;
    const list = byMapper.get(m);
    if (list) list.push(st);
    else byMapper.set(m, [st]);
  }
  for (const [m, todo] of byMapper) {
    const slots = slotsOf.get(m)!;
    const pkCols = m.pkIndexes.map((i) => m.columns[i]);
    const items = [...pkCols.map((c, i) => c.label(`athanor_k${i}`)), ...slots.map((s) => m.columns[s].label(`athanor_s${s}`))];
    const byKey = new Map<unknown, InstanceState>();
    for (const st of todo) byKey.set(keyAt(st.values, m.pkIndexes), st);
    const keys = distinctKeys(todo, m.pkIndexes);
    const positions = pkCols.map((_, i) => i);
    for (let i = 0; i < keys.length; i += IN_BATCH) {
      const stmt = select(...(items as any[])).selectFrom(m.innerFrom).where(keyIn(pkCols, keys.slice(i, i + IN_BATCH)));
      for (const row of await rows(stmt)) {
        const st = byKey.get(keyAt(pkCols.map((_, n) => row[`athanor_k${n}`]), positions));
        if (st === undefined) continue;
        for (const s of slots) if (st.values[s] === undefined) st.values[s] = row[`athanor_s${s}`];
      }
    }
  }
}
