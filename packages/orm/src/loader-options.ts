/**
 * Loader options: how a statement loads relationships, as paths from one of its entities.
 * `selectinload(User, 'posts', 'comments')` loads both levels with the same strategy;
 * chaining switches strategy per level: `selectinload(User, 'posts').joinedload('comments')`.
 * Names are checked against the classes along the path (a misspelling is a type error), and
 * each option carries the loaded paths as a phantom type that `select().options()` folds
 * into the row type (load-state.ts reads it).
 */
import { ArgumentError, type ColumnElement, type FromClause, type StatementOption } from '@athanor/core';
import { type Mapper, mapperOf } from './mapper';
import type { RelationshipKey } from './query/relationship-handle';
import type { Relationship } from './relationship';
import type { AnyMappedClass, RelationshipTarget } from './types';
import { writeOnlyLoadError } from './write-only';

/** How one relationship of a path is loaded. */
export type Strategy = 'selectin' | 'joined' | 'subquery' | 'json' | 'containsEager' | 'raise' | 'noload' | 'lazy';

/** Strategies that leave the relationship loaded once the statement ran. */
const LOADING: ReadonlySet<Strategy> = new Set(['selectin', 'joined', 'subquery', 'json', 'containsEager', 'noload']);
export const loads = (s: Strategy) => LOADING.has(s);

/** One step of a path: a relationship (or every one not named otherwise: `'*'`) and its strategy. */
export interface LoadStep {
  readonly rel: Relationship | '*';
  readonly strategy: Strategy;
  /** containsEager: the FROM item (the target's table or an alias of it) the user joined. */
  readonly from?: FromClause;
}

/** The relationships of mapped class `C`'s instances (`Address[]`, `User | null`), not its columns or methods. */
export type RelationshipName<C extends AnyMappedClass> = RelationshipKey<InstanceType<C>>;

type Next<I, K> = K extends keyof I ? RelationshipTarget<I[K]> : never;

/** The instance type a path leads to: `PathEnd<User, ['posts', 'comments']>` is `Comment`. */
export type PathEnd<I, P extends readonly string[]> = P extends readonly [infer H, ...infer R extends string[]] ? PathEnd<Next<I, H>, R> : I;

/** Loaded paths as a tree: `['posts', 'comments']` → `{ posts: { comments: {} } }`. */
export type PathTree<P extends readonly string[]> = P extends readonly [infer H extends string, ...infer R extends string[]] ? { [K in H]: PathTree<R> } : {};

/** The phantom marker an option adds to the rows of its entity's class (read by load-state.ts). */
export interface LoadMarker<T> {
  readonly __athanorLoads?: T;
}

/** An option that ends its path (raise/noload/lazy, or a wildcard): nothing chains after it. */
export class EndOption<I = unknown, P extends readonly string[] = []> implements StatementOption {
  /** Types only: marks the rows of `I` with the loaded paths (nothing for an option on every entity). */
  declare readonly __refines?: unknown extends I ? undefined : { readonly value: I; readonly with: LoadMarker<PathTree<P>> };
  readonly optionCacheKey: string;
  constructor(
    /** The entity the path starts from; undefined: every entity of the statement (`raiseload('*')`). */
    readonly root: Mapper | undefined,
    readonly steps: readonly LoadStep[],
    /** selectinPolymorphic: the joined subclasses of the path's last class whose tables load by a SELECT of their own. */
    readonly polymorphic?: readonly Mapper[],
  ) {
    const path = steps.map((s) => `${s.strategy}:${s.rel === '*' ? '*' : s.rel.name}${s.from ? `@${(s.from as { name?: string }).name ?? '?'}` : ''}`).join('.');
    const poly = polymorphic === undefined ? '' : `~poly(${polymorphic.map((m) => m.table.fullname).join(',')})`;
    this.optionCacheKey = `orm.load:${root ? root.table.fullname : '*'}.${path}${poly}`;
  }
}

/** A loader option whose path may go on: `.selectinload('comments')` continues from its last class. */
export class LoaderOption<I = unknown, P extends readonly string[] = []> extends EndOption<I, P> {
  selectinload<K extends RelationshipKey<PathEnd<I, P>>>(name: K): LoaderOption<I, [...P, K]> {
    return this.chain('selectin', name) as LoaderOption<I, [...P, K]>;
  }
  joinedload<K extends RelationshipKey<PathEnd<I, P>>>(name: K): LoaderOption<I, [...P, K]> {
    return this.chain('joined', name) as LoaderOption<I, [...P, K]>;
  }
  subqueryload<K extends RelationshipKey<PathEnd<I, P>>>(name: K): LoaderOption<I, [...P, K]> {
    return this.chain('subquery', name) as LoaderOption<I, [...P, K]>;
  }
  /**
   * The next level (and every `jsonload` level chained below it) comes as JSON aggregated in
   * the query that loads this level: `.jsonload('comments')`, or naming the class the
   * previous step loads: `.jsonload(Post, 'comments')`.
   */
  jsonload<K extends RelationshipKey<PathEnd<I, P>>>(name: K): JsonLoadOption<I, [...P, K], Next<PathEnd<I, P>, K>>;
  jsonload<C extends AnyMappedClass & AnyClassOf<PathEnd<I, P>>, K extends RelationshipName<C>>(cls: C, name: K): JsonLoadOption<I, [...P, K], RelationshipTarget<InstanceType<C>[K]>>;
  jsonload(clsOrName: AnyMappedClass | string, name?: string): unknown {
    const last = this.steps[this.steps.length - 1];
    const target = (last.rel as Relationship).target;
    if (typeof clsOrName !== 'string') {
      const mapper = mapperOf(clsOrName);
      if (mapper !== target) {
        throw new ArgumentError(
          `${last.strategy}load(${last.rel === '*' ? '*' : `${last.rel.parent.name}, '${last.rel.name}'`}).jsonload(${mapper.name}, '${name}'): the previous step loads ${target.name} objects; chain a relationship of ${target.name}.`,
        );
      }
    }
    const step = stepOf('json', target, typeof clsOrName === 'string' ? clsOrName : name!);
    return new JsonLoadOption(this.root, [...this.steps, step]);
  }
  /** The next level is populated from a join the statement already has (see `containsEager`). */
  containsEager<K extends RelationshipKey<PathEnd<I, P>>>(name: K, options: { alias?: FromClause } = {}): LoaderOption<I, [...P, K]> {
    return this.chain('containsEager', name, options.alias) as LoaderOption<I, [...P, K]>;
  }
  noload<K extends RelationshipKey<PathEnd<I, P>>>(name: K): EndOption<I, [...P, K]> {
    return this.chain('noload', name) as EndOption<I, [...P, K]>;
  }
  raiseload(name: RelationshipKey<PathEnd<I, P>> | '*'): EndOption<I, P> {
    return this.chain('raise', name) as EndOption<I, P>;
  }
  lazyload(name: RelationshipKey<PathEnd<I, P>> | '*'): EndOption<I, P> {
    return this.chain('lazy', name) as EndOption<I, P>;
  }

  /**
   * The objects this level loads get the columns of these joined subclasses' tables from one
   * SELECT per subclass present, instead of a LEFT OUTER JOIN per subclass in the level's query.
   */
  selectinPolymorphic(classes: readonly (AnyMappedClass & (abstract new (...args: any) => PathEnd<I, P>))[]): EndOption<I, P> {
    const last = this.steps[this.steps.length - 1];
    if (last.strategy === 'containsEager') {
      throw new ArgumentError(
        `containsEager(..., '${(last.rel as Relationship).name}').selectinPolymorphic(...): the objects come from the statement's own join; select the subclasses' tables there, or load the relationship with selectinload.`,
      );
    }
    const target = (last.rel as Relationship).target;
    return new EndOption(this.root, this.steps, polymorphicSubclasses(target, classes, `selectinPolymorphic(${target.name})`));
  }

  private chain(strategy: Strategy, name: string, from?: FromClause): unknown {
    const last = this.steps[this.steps.length - 1];
    const mapper = (last.rel as Relationship).target;
    const step = name === '*' ? { rel: '*' as const, strategy } : stepOf(strategy, mapper, name, from);
    return new LoaderOption(this.root, [...this.steps, step]);
  }
}

function stepOf(strategy: Strategy, mapper: Mapper, name: string, from?: FromClause): LoadStep {
  const rel = mapper.relationships.get(name);
  if (!rel) {
    const known = [...mapper.relationships.keys()].join(', ') || 'none declared';
    throw new ArgumentError(`${strategy}load${strategy === 'json' ? `(${mapper.name}, '${name}')` : ''}: ${mapper.name} has no relationship '${name}' (relationships: ${known}).`);
  }
  if (strategy === 'json') checkJsonLoadable(rel);
  return from === undefined ? { rel, strategy } : { rel, strategy, from };
}

/** What the JSON aggregate cannot honour is refused, never loaded wrong (selectinload serves all of it). */
function checkJsonLoadable(rel: Relationship): void {
  if (rel.lazy === 'writeOnly') throw writeOnlyLoadError(rel);
  const target = rel.target;
  const unsupported =
    rel.criteria !== undefined || rel.secondaryCriteria !== undefined
      ? 'a primaryjoin/secondaryjoin with criteria'
      : target.hierarchy !== undefined || target.descriptor.where !== undefined
        ? 'a target in an inheritance hierarchy'
        : target.columnProperties.length > 0 || target.deferredSlots.size > 0
          ? 'a target with column properties or deferred columns'
          : undefined;
  if (unsupported !== undefined) {
    throw new ArgumentError(
      `jsonload(${rel.parent.name}, '${rel.name}'): relationships with ${unsupported} are not supported by jsonload yet; use selectinload(${rel.parent.name}, '${rel.name}').`,
    );
  }
}

function path(strategy: Strategy, cls: AnyMappedClass, names: readonly string[]): LoaderOption<any, any> {
  if (names.length === 0) throw new ArgumentError(`${strategy}load(${cls.name}): name at least one relationship.`);
  const root = mapperOf(cls);
  let mapper = root;
  const steps: LoadStep[] = [];
  for (const name of names) {
    const step = stepOf(strategy, mapper, name);
    steps.push(step);
    mapper = (step.rel as Relationship).target;
  }
  return strategy === 'json' ? new JsonLoadOption(root, steps) : new LoaderOption(root, steps);
}

type AnyClassOf<I> = abstract new (...args: any) => I;

/**
 * A path whose last step is `jsonload`: `R` is the root class's instance type, `P` the path
 * and `I` the class the last step loads (the next `.jsonload(Cls, name)` must name it).
 */
export class JsonLoadOption<R = unknown, P extends readonly string[] = [], I = unknown> extends LoaderOption<R, P> {
  declare readonly __target: I;
}

/** `jsonload(User, 'posts', 'comments')`: a path of one to four relationships, each checked against the class before it. */
export interface JsonPathLoader {
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>>(cls: C, k1: K1): JsonOpt<C, [K1]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<PathEnd<I0<C>, [K1]>>>(cls: C, k1: K1, k2: K2): JsonOpt<C, [K1, K2]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<PathEnd<I0<C>, [K1]>>, K3 extends RelationshipKey<PathEnd<I0<C>, [K1, K2]>>>(
    cls: C,
    k1: K1,
    k2: K2,
    k3: K3,
  ): JsonOpt<C, [K1, K2, K3]>;
  <
    C extends AnyMappedClass,
    K1 extends RelationshipKey<I0<C>>,
    K2 extends RelationshipKey<PathEnd<I0<C>, [K1]>>,
    K3 extends RelationshipKey<PathEnd<I0<C>, [K1, K2]>>,
    K4 extends RelationshipKey<PathEnd<I0<C>, [K1, K2, K3]>>,
  >(
    cls: C,
    k1: K1,
    k2: K2,
    k3: K3,
    k4: K4,
  ): JsonOpt<C, [K1, K2, K3, K4]>;
}
type JsonOpt<C extends AnyMappedClass, P extends readonly string[]> = JsonLoadOption<I0<C>, P, PathEnd<I0<C>, P>>;

/**
 * Loads the path in the same statement as the objects it starts from, as JSON built by the
 * database (see json-loading.ts): `jsonload(User, 'posts')`, `jsonload(User, 'posts',
 * 'comments')`, or chained `jsonload(User, 'posts').jsonload(Post, 'comments')`; after
 * another strategy, `selectinload(User, 'posts').jsonload('comments')` aggregates into the
 * selectin query.
 */
export const jsonload: JsonPathLoader = (cls: AnyMappedClass, ...names: string[]): JsonLoadOption<any, any, any> => {
  if (names.length === 0) throw new ArgumentError(`jsonload(${cls.name}): name at least one relationship.`);
  return path('json', cls, names) as JsonLoadOption<any, any, any>;
};

type I0<C extends AnyMappedClass> = InstanceType<C>;

/** A path of one to four relationship names from class `C`, each checked against the class before it. */
export interface PathLoader {
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>>(cls: C, k1: K1): LoaderOption<I0<C>, [K1]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<Next<I0<C>, K1>>>(cls: C, k1: K1, k2: K2): LoaderOption<I0<C>, [K1, K2]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<Next<I0<C>, K1>>, K3 extends RelationshipKey<PathEnd<I0<C>, [K1, K2]>>>(
    cls: C,
    k1: K1,
    k2: K2,
    k3: K3,
  ): LoaderOption<I0<C>, [K1, K2, K3]>;
  <
    C extends AnyMappedClass,
    K1 extends RelationshipKey<I0<C>>,
    K2 extends RelationshipKey<Next<I0<C>, K1>>,
    K3 extends RelationshipKey<PathEnd<I0<C>, [K1, K2]>>,
    K4 extends RelationshipKey<PathEnd<I0<C>, [K1, K2, K3]>>,
  >(
    cls: C,
    k1: K1,
    k2: K2,
    k3: K3,
    k4: K4,
  ): LoaderOption<I0<C>, [K1, K2, K3, K4]>;
}

/** Loads the path with one extra `SELECT ... WHERE key IN (...)` per level and 500 keys. */
export const selectinload: PathLoader = (cls: AnyMappedClass, ...names: string[]) => path('selectin', cls, names);

/** Loads the path in the same statement through LEFT OUTER JOINs. */
export const joinedload: PathLoader = (cls: AnyMappedClass, ...names: string[]) => path('joined', cls, names);

/** Loads each level with one statement joining the target to the level above's query as a subquery. */
export const subqueryload: PathLoader = (cls: AnyMappedClass, ...names: string[]) => path('subquery', cls, names);

/**
 * Populates the path from joins the statement already has: `select(User).join(Post, ...)
 * .options(containsEager(User, 'posts'))` reads the posts from the joined table's columns.
 * Give `{ alias }` when the join is to an alias of the target's table.
 */
export function containsEager<C extends AnyMappedClass, K extends RelationshipKey<I0<C>>>(cls: C, name: K, options: { alias?: FromClause } = {}): LoaderOption<I0<C>, [K]> {
  const root = mapperOf(cls);
  return new LoaderOption(root, [stepOf('containsEager', root, name, options.alias)]);
}

function end(strategy: Strategy, cls: AnyMappedClass | '*', name: string | undefined): EndOption<any, any> {
  if (cls === '*') return new EndOption(undefined, [{ rel: '*', strategy }]);
  const root = mapperOf(cls);
  if (name === undefined || name === '*') return new EndOption(root, [{ rel: '*', strategy }]);
  return new EndOption(root, [stepOf(strategy, root, name)]);
}

/**
 * Reading the relationship raises, and so does loading it later with `awaitableAttrs`:
 * `raiseload(User, 'posts')`, every relationship of a class `raiseload(User, '*')`, or of
 * every entity of the statement `raiseload('*')`.
 */
export function raiseload(wildcard: '*'): EndOption;
export function raiseload<C extends AnyMappedClass>(cls: C, name: RelationshipKey<I0<C>> | '*'): EndOption<I0<C>>;
export function raiseload(cls: AnyMappedClass | '*', name?: string): EndOption<any> {
  return end('raise', cls, name);
}

/** The relationship reads as empty (`[]` or `null`) without any query. */
export function noload<C extends AnyMappedClass, K extends RelationshipKey<I0<C>>>(cls: C, name: K): EndOption<I0<C>, [K]> {
  return end('noload', cls, name);
}

/** Not loaded by the statement (the default): loaded on `await obj.awaitableAttrs.name`. Overrides a wildcard. */
export function lazyload(wildcard: '*'): EndOption;
export function lazyload<C extends AnyMappedClass>(cls: C, name: RelationshipKey<I0<C>> | '*'): EndOption<I0<C>>;
export function lazyload(cls: AnyMappedClass | '*', name?: string): EndOption<any> {
  return end('lazy', cls, name);
}

/** The mappers of `classes`, each checked to be a joined-table subclass of `entity`. */
function polymorphicSubclasses(entity: Mapper, classes: readonly AnyMappedClass[], where: string): Mapper[] {
  if (!Array.isArray(classes) || classes.length === 0) throw new ArgumentError(`${where}: name the subclasses whose tables to load, e.g. [Engineer, Manager].`);
  return classes.map((cls) => {
    const m = mapperOf(cls);
    if (m === entity || !m.isa(entity)) throw new ArgumentError(`${where}: ${m.name} is not a subclass of ${entity.name}; name classes that inherit from ${entity.name}.`);
    if (m.table === m.parent!.table) {
      throw new ArgumentError(`${where}: ${m.name} has no table of its own (single-table inheritance): its columns are in ${entity.name}'s query already; name joined-table subclasses only.`);
    }
    return m;
  });
}

/**
 * Loads a joined-table hierarchy's rows from the base's tables, then the columns of each
 * named subclass present with one `SELECT ... WHERE key IN (...)` (SQLAlchemy's
 * `selectin_polymorphic`), instead of a LEFT OUTER JOIN per subclass table in the query.
 * `selectinPolymorphic(Employee, [Engineer, Manager])`; on a path's objects:
 * `selectinload(Company, 'employees').selectinPolymorphic([Engineer, Manager])`.
 */
export function selectinPolymorphic<C extends AnyMappedClass>(cls: C, classes: readonly (AnyMappedClass & (abstract new (...args: any) => I0<C>))[]): EndOption {
  const root = mapperOf(cls);
  return new EndOption(root, [], polymorphicSubclasses(root, classes, `selectinPolymorphic(${root.name})`));
}

/**
 * Extra criteria for every load of a class by the statement: its rows in the statement
 * itself and every relationship loaded into it (`withLoaderCriteria(Post, (t) =>
 * t.c.deletedAt.isNull())` hides soft-deleted posts everywhere). The function receives the
 * FROM item the rows come from (the table, or the alias a joined load uses).
 */
export class LoaderCriteria implements StatementOption {
  readonly optionCacheKey: string;
  constructor(
    readonly mapper: Mapper,
    readonly criteria: (from: any) => ColumnElement<any, any>,
    /** Distinguishes two criteria functions on the same class in the cache key. */
    id: number,
  ) {
    this.optionCacheKey = `orm.criteria:${mapper.table.fullname}#${id}`;
  }
}

const criteriaIds = new WeakMap<object, number>();
let nextCriteriaId = 1;

/** A condition on every load of a mapped class in this statement, including its relationship loads (soft-deleted rows hidden everywhere). */
export function withLoaderCriteria<C extends AnyMappedClass & { readonly table: FromClause }>(
  cls: C,
  criteria: (from: C['table']) => ColumnElement<boolean, any> | ColumnElement<boolean | null, any>,
): LoaderCriteria {
  if (typeof criteria !== 'function') throw new ArgumentError(`withLoaderCriteria(${cls.name}, fn): give a function of the table, e.g. (t) => t.c.deleted.eq(false).`);
  // The same function gives the same cache key (define it once, at module level).
  let id = criteriaIds.get(criteria);
  if (id === undefined) criteriaIds.set(criteria, (id = nextCriteriaId++));
  return new LoaderCriteria(mapperOf(cls), criteria, id);
}
