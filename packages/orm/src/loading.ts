/**
 * Relationship loading: the `selectinload` / `joinedload` statement options and the
 * selectin strategy that runs after the main query (one `SELECT ... WHERE fk IN (...)` per
 * relationship and batch of 500 keys). `joinedload` rewrites the query with a LEFT OUTER JOIN instead
 * (joined-loading.ts), falling back to selectin where a join cannot serve it.
 */
import { ArgumentError, type ClauseElement, type StatementOption, and, select } from '@athanor/core';
import type { MappedObject } from './mapped-object';
import { type Mapper, mapperOf } from './mapper';
import type { Relationship } from './relationship';
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

/** Loads `rel` on `states` (all of `rel.parent`); `overwrite` replaces already loaded values (refresh). */
export async function loadRelationship(queries: Queries, states: readonly InstanceState[], rel: Relationship, overwrite: boolean): Promise<void> {
  const todo = overwrite ? states : states.filter((st) => st.rels?.[rel.name] === undefined);
  if (todo.length === 0) return;
  if (rel.pairs.length !== 1) throw new ArgumentError(`Relationship ${rel.parent.name}.${rel.name}: composite foreign keys are not supported by the loaders yet.`);
  const groups = rel.secondary ? await loadManyToMany(queries.rows, todo, rel) : await loadDirect(queries.instances, todo, rel);
  const reverse = rel.reverse;
  const ownKey = rel.direction === 'manyToOne' ? rel.pairs[0].many : rel.pairs[0].one;
  const ownIndex = rel.parent.columnIndex.get(ownKey)!;
  for (const st of todo) {
    const matched = groups.get(groupKey(st.values[ownIndex])) ?? [];
    const r = (st.rels ??= {});
    if (st.committed !== undefined) delete st.committed[rel.name];
    r[rel.name] = rel.uselist ? [...matched] : (matched[0] ?? null);
    // The mirrored side of what was just loaded is known too (no query needed later).
    if (reverse && rel.direction === 'oneToMany' && !reverse.uselist) {
      for (const t of matched) {
        const ts = stateOf(t);
        if (ts.rels?.[reverse.name] === undefined) (ts.rels ??= {})[reverse.name] = st.obj;
      }
    }
  }
}

const groupKey = (v: unknown) => (typeof v === 'object' && v !== null ? String(v) : v);

/** One-to-many and many-to-one: the target rows whose key is among the owners' (500 keys a query). */
async function loadDirect(query: InstanceQuery, todo: readonly InstanceState[], rel: Relationship): Promise<Map<unknown, object[]>> {
  const [{ one, many }] = rel.pairs;
  const target = rel.target;
  const oneToMany = rel.direction === 'oneToMany';
  // The key on the owner side and the target column matched with IN.
  const ownIndex = rel.parent.columnIndex.get(oneToMany ? one : many)!;
  const targetKey = oneToMany ? many : one;
  const targetIndex = target.columnIndex.get(targetKey)!;
  const values = [...new Set(todo.map((st) => st.values[ownIndex]).filter((v) => v !== null && v !== undefined))];
  const column = (target.table.c as any)[targetKey];
  const groups = new Map<unknown, object[]>();
  for (let i = 0; i < values.length; i += IN_BATCH) {
    for (const t of await query(select(target.cls as any).where(column.in(values.slice(i, i + IN_BATCH))) as ClauseElement)) {
      const k = groupKey(stateOf(t).values[targetIndex]);
      const g = groups.get(k);
      if (g) g.push(t);
      else groups.set(k, [t]);
    }
  }
  return groups;
}

/** Many-to-many: the targets joined with the association rows naming the owners. */
async function loadManyToMany(rows: RowQuery, todo: readonly InstanceState[], rel: Relationship): Promise<Map<unknown, object[]>> {
  const sec = rel.secondary!.c as Record<string, any>;
  const tc = rel.target.table.c as Record<string, any>;
  const ownIndex = rel.parent.columnIndex.get(rel.pairs[0].one)!;
  const link = sec[rel.pairs[0].many];
  const on = and(...rel.targetPairs.map((p) => tc[p.one].eq(sec[p.many])));
  const values = [...new Set(todo.map((st) => st.values[ownIndex]).filter((v) => v !== null && v !== undefined))];
  const groups = new Map<unknown, object[]>();
  const name = rel.target.descriptor.name;
  for (let i = 0; i < values.length; i += IN_BATCH) {
    const stmt = select(rel.target.cls as any, link.label('athanor_owner_key')).join(rel.secondary!, on).where(link.in(values.slice(i, i + IN_BATCH)));
    for (const row of await rows(stmt as ClauseElement)) {
      const k = groupKey(row.athanor_owner_key);
      const g = groups.get(k);
      if (g) g.push(row[name] as object);
      else groups.set(k, [row[name] as object]);
    }
  }
  return groups;
}
