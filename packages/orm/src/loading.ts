/**
 * Relationship loading: the `selectinload` / `joinedload` statement options and the
 * selectin strategy that runs after the main query (one `SELECT ... WHERE fk IN (...)` per
 * relationship and batch of 500 keys). `joinedload` rewrites the query with a LEFT OUTER JOIN instead
 * (joined-loading.ts), falling back to selectin where a join cannot serve it.
 */
import { ArgumentError, type ClauseElement, type ColumnElement, type StatementOption, type TableColumn, and, select } from '@athanor/core';
import type { MappedObject } from './mapped-object';
import { type Mapper, mapperOf } from './mapper';
import type { Relationship } from './relationship';
import { distinctKeys, keyAt, keyIn } from './relationship-keys';
import { type InstanceState, stateOf } from './state/instance-state';
import type { AnyMappedClass } from './types';

type AttributeName<I> = Exclude<keyof I, 'awaitableAttrs'> & string;

/** The attributes of `C`'s instances that hold mapped objects (`Address[]`, `User | null`): its relationships, not its columns or methods. */
export type RelationshipName<C extends AnyMappedClass> = {
  [K in AttributeName<InstanceType<C>>]: NonNullable<InstanceType<C>[K]> extends MappedObject | readonly MappedObject[] ? K : never;
}[AttributeName<InstanceType<C>>];

export class LoaderOption implements StatementOption {
  readonly optionCacheKey: string;
  constructor(
    readonly strategy: 'selectin' | 'joined',
    readonly mapper: Mapper,
    readonly relationship: Relationship,
  ) {
    this.optionCacheKey = `orm.${strategy}:${mapper.table.fullname}.${relationship.name}`;
  }
}

function option(strategy: 'selectin' | 'joined', cls: AnyMappedClass, name: string): LoaderOption {
  const mapper = mapperOf(cls);
  const rel = mapper.relationships.get(name);
  if (!rel) {
    const known = [...mapper.relationships.keys()].join(', ') || 'none declared';
    throw new ArgumentError(`${strategy}load(${mapper.name}, '${name}'): ${mapper.name} has no relationship '${name}' (relationships: ${known}).`);
  }
  return new LoaderOption(strategy, mapper, rel);
}

/** Loads `Cls.name` for every `Cls` row of the query with one extra `SELECT ... IN`. */
export function selectinload<C extends AnyMappedClass>(cls: C, name: RelationshipName<C>): LoaderOption {
  return option('selectin', cls, name);
}

/** Loads `Cls.name` in the same query, through a LEFT OUTER JOIN (selectin with LIMIT/OFFSET on a collection). */
export function joinedload<C extends AnyMappedClass>(cls: C, name: RelationshipName<C>): LoaderOption {
  return option('joined', cls, name);
}

/**
 * Keys per `IN (...)` of one selectin query (SQLAlchemy's number): far below every database's
 * bound-parameter limit, however many parents the query returned.
 */
export const IN_BATCH = 500;

/** Runs a SELECT of mapped instances in the session (identity-mapped). */
export type InstanceQuery = (stmt: ClauseElement) => Promise<object[]>;

/** Runs a SELECT whose rows hold an entity and the association key (many-to-many). */
export type RowQuery = (stmt: ClauseElement) => Promise<Record<string, unknown>[]>;

/** How loaders run their queries in the session. */
export interface Queries {
  readonly instances: InstanceQuery;
  readonly rows: RowQuery;
}

/**
 * Loads `rel` on `states` (all of `rel.parent`); `overwrite` replaces already loaded values
 * (refresh). Returns the objects it loaded, for the loaders of the next level.
 */
export async function loadRelationship(queries: Queries, states: readonly InstanceState[], rel: Relationship, overwrite: boolean): Promise<object[]> {
  const todo = overwrite ? states : states.filter((st) => st.rels?.[rel.name] === undefined);
  if (todo.length === 0) return [];
  const groups = rel.secondary ? await loadManyToMany(queries.rows, todo, rel) : await loadDirect(queries.instances, todo, rel);
  const reverse = rel.reverse;
  const ownIndexes = ownKeyIndexes(rel);
  const loaded: object[] = [];
  for (const st of todo) {
    const k = keyAt(st.values, ownIndexes);
    const matched = (k !== null && groups.get(k)) || [];
    const r = (st.rels ??= {});
    if (st.committed !== undefined) delete st.committed[rel.name];
    r[rel.name] = rel.uselist ? [...matched] : (matched[0] ?? null);
    for (const t of matched) loaded.push(t);
    // The mirrored side of what was just loaded is known too (no query needed later).
    if (reverse && rel.direction === 'oneToMany' && !reverse.uselist) {
      for (const t of matched) {
        const ts = stateOf(t);
        if (ts.rels?.[reverse.name] === undefined) (ts.rels ??= {})[reverse.name] = st.obj;
      }
    }
  }
  return loaded;
}

/** The owner's columns (slot indexes) that the related rows' keys match. */
function ownKeyIndexes(rel: Relationship): number[] {
  const many = rel.direction === 'manyToOne';
  return rel.pairs.map((p) => rel.parent.columnIndex.get(many ? p.many : p.one)!);
}

function addTo(groups: Map<unknown, object[]>, key: unknown, obj: object): void {
  const g = groups.get(key);
  if (g) g.push(obj);
  else groups.set(key, [obj]);
}

/** One-to-many and many-to-one: the target rows whose key is among the owners' (500 keys a query). */
async function loadDirect(query: InstanceQuery, todo: readonly InstanceState[], rel: Relationship): Promise<Map<unknown, object[]>> {
  const target = rel.target;
  const oneToMany = rel.direction === 'oneToMany';
  // The target columns matched with IN, in pair order (the owner's key is in the same order).
  const targetKeys = rel.pairs.map((p) => (oneToMany ? p.many : p.one));
  const targetIndexes = targetKeys.map((k) => target.columnIndex.get(k)!);
  const columns = targetKeys.map((k) => (target.table.c as Record<string, TableColumn<any, any>>)[k]);
  const keys = distinctKeys(todo, ownKeyIndexes(rel));
  const groups = new Map<unknown, object[]>();
  for (let i = 0; i < keys.length; i += IN_BATCH) {
    let stmt = select(target.cls as any).where(keyIn(columns, keys.slice(i, i + IN_BATCH)));
    if (rel.criteria !== undefined) stmt = stmt.where(rel.criteria);
    if (rel.orderBy.length > 0) stmt = stmt.orderBy(...orderByOn(rel, target.table));
    for (const t of await query(stmt as ClauseElement)) addTo(groups, keyAt(stateOf(t).values, targetIndexes), t);
  }
  return groups;
}

/** Many-to-many: the targets joined with the association rows naming the owners. */
async function loadManyToMany(rows: RowQuery, todo: readonly InstanceState[], rel: Relationship): Promise<Map<unknown, object[]>> {
  const secondary = rel.secondary!;
  const sec = secondary.c as Record<string, any>;
  const tc = rel.target.table.c as Record<string, any>;
  const links = rel.pairs.map((p) => sec[p.many] as TableColumn<any, any>);
  const labels = links.map((_, n) => `athanor_owner_key_${n}`);
  const positions = labels.map((_, n) => n);
  const on = and(...rel.targetPairs.map((p) => tc[p.one].eq(sec[p.many])), rel.secondaryCriteria);
  const keys = distinctKeys(todo, ownKeyIndexes(rel));
  const groups = new Map<unknown, object[]>();
  const name = rel.target.descriptor.name;
  for (let i = 0; i < keys.length; i += IN_BATCH) {
    let stmt = select(rel.target.cls as any, ...links.map((l, n) => l.label(labels[n])))
      .join(secondary, on)
      .where(keyIn(links, keys.slice(i, i + IN_BATCH)));
    if (rel.criteria !== undefined) stmt = stmt.where(rel.criteria);
    if (rel.orderBy.length > 0) stmt = stmt.orderBy(...orderByOn(rel, rel.target.table));
    for (const row of await rows(stmt as ClauseElement)) {
      addTo(groups, keyAt(labels.map((l) => row[l]), positions), row[name] as object);
    }
  }
  return groups;
}

/** The relationship's `orderBy` on `from` (the target table, or its alias in a join). */
export function orderByOn(rel: Relationship, from: { c: unknown }): ColumnElement<any>[] {
  const c = from.c as Record<string, TableColumn<any, any>>;
  return rel.orderBy.map((o) => (o.descending ? c[o.key].desc() : c[o.key]) as ColumnElement<any>);
}
