/**
 * Relationship loading: the `selectinload` / `joinedload` statement options and the
 * selectin strategy that runs after the main query (one `SELECT ... WHERE fk IN (...)` per
 * relationship and batch of 500 keys). `joinedload` rewrites the query with a LEFT OUTER JOIN instead
 * (joined-loading.ts), falling back to selectin where a join cannot serve it.
 */
import { ArgumentError, type StatementOption, select } from '@athanor/core';
import type { MappedObject } from './mapped-object';
import { type Mapper, mapperOf } from './mapper';
import type { Relationship } from './relationship';
import { stateOf } from './state';
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
export type InstanceQuery = (stmt: ReturnType<typeof select>) => Promise<object[]>;

/** Loads `rel` on `objs` (all of `rel.parent`); `overwrite` replaces already loaded values (refresh). */
export async function loadRelationship(query: InstanceQuery, objs: readonly object[], rel: Relationship, overwrite: boolean): Promise<void> {
  const todo = overwrite ? objs : objs.filter((o) => !stateOf(o).rels.has(rel.name));
  if (todo.length === 0) return;
  if (rel.pairs.length !== 1) throw new ArgumentError(`Relationship ${rel.parent.name}.${rel.name}: composite foreign keys are not supported by the loaders yet.`);
  const [{ one, many }] = rel.pairs;
  const target = rel.target;
  const oneToMany = rel.direction === 'oneToMany';
  // The key on the owner side and the target column matched with IN.
  const ownKey = oneToMany ? one : many;
  const targetKey = oneToMany ? many : one;
  const values = [...new Set(todo.map((o) => (o as Record<string, unknown>)[ownKey]).filter((v) => v !== null && v !== undefined))];
  const found: object[] = [];
  const column = (target.table.c as any)[targetKey];
  for (let i = 0; i < values.length; i += IN_BATCH) {
    for (const t of await query(select(target.cls as any).where(column.in(values.slice(i, i + IN_BATCH))))) found.push(t);
  }
  const groups = new Map<string, object[]>();
  for (const t of found) {
    const k = String((t as Record<string, unknown>)[targetKey]);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  const reverse = rel.reverse;
  for (const o of todo) {
    const st = stateOf(o);
    const matched = groups.get(String((o as Record<string, unknown>)[ownKey])) ?? [];
    if (rel.uselist) {
      st.rels.set(rel.name, [...matched]);
      st.relSnapshot.set(rel.name, [...matched]);
    } else {
      st.rels.set(rel.name, matched[0] ?? null);
    }
    // The mirrored side of what was just loaded is known too (no query needed later).
    if (reverse && oneToMany && !reverse.uselist) {
      for (const t of matched) if (!stateOf(t).rels.has(reverse.name)) stateOf(t).rels.set(reverse.name, o);
    }
  }
}
