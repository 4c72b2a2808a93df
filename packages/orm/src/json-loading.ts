/**
 * The JSON strategy: `jsonload(User, 'posts').jsonload(Post, 'comments')` loads a whole
 * object graph with the statement itself. Each relationship becomes a correlated scalar
 * subquery in the select list that aggregates the related rows into a JSON array
 * (`jsonArrayAgg(jsonRecord(...))` of Core, rendered per dialect), its nested relationships
 * as subqueries inside each record. Core encodes and decodes every value through its column
 * type, so the objects hold what a plain query of the same rows would give (bigint beyond
 * 2^53, exact decimals, timestamps, binary, booleans). One statement, whatever the depth.
 */
import {
  ArgumentError,
  type ColumnElement,
  type EntityDescriptor,
  Result,
  Select,
  type StatementOption,
  and,
  jsonArrayAgg,
  jsonRecord,
  select,
} from '@athanor/core';
import { orderByOn } from './joined-loading';
import type { LoadMarker, PathEnd, PathTree, RelationshipName } from './loader-options';
import type { RelationshipKey } from './query/relationship-handle';
import { type LoadContext, type Mapper, mapperOf, mapperOfDescriptor } from './mapper';
import type { Relationship } from './relationship';
import { stateOf } from './state/instance-state';
import type { AnyMappedClass, RelationshipTarget } from './types';
import { writeOnlyLoadError } from './write-only';

type AnyClassOf<I> = abstract new (...args: any) => I;

/**
 * `jsonload(User, 'posts')`, and a relationship of the loaded objects chained to it with
 * `.jsonload(Post, 'comments')`. `R` is the root class's instance type, `P` the path and `I`
 * the class the last step loads; the option marks `R`'s rows with the loaded path, as the
 * other loader options do (load-state.ts).
 */
export class JsonLoadOption<R = unknown, P extends readonly string[] = [], I = unknown> implements StatementOption {
  declare readonly __target: I;
  declare readonly __refines?: unknown extends R ? undefined : { readonly value: R; readonly with: LoadMarker<PathTree<P>> };
  readonly optionCacheKey: string;
  constructor(readonly path: readonly Relationship[]) {
    this.optionCacheKey = `orm.json:${path.map((r) => `${r.parent.table.fullname}.${r.name}`).join('/')}`;
  }

  /** Also loads `Cls.name` of the objects the previous step loads, inside the same JSON. */
  jsonload<C extends AnyMappedClass & AnyClassOf<I>, K extends RelationshipName<C>>(cls: C, name: K): JsonLoadOption<R, [...P, K], RelationshipTarget<InstanceType<C>[K]>> {
    const last = this.path[this.path.length - 1];
    const mapper = mapperOf(cls);
    if (mapper !== last.target) {
      throw new ArgumentError(
        `jsonload(${last.parent.name}, '${last.name}').jsonload(${mapper.name}, '${name}'): the previous step loads ${last.target.name} objects; chain a relationship of ${last.target.name}.`,
      );
    }
    return new JsonLoadOption([...this.path, relationshipOf(mapper, name)]);
  }
}

function relationshipOf(mapper: Mapper, name: string): Relationship {
  const rel = mapper.relationships.get(name);
  if (!rel) {
    const known = [...mapper.relationships.keys()].join(', ') || 'none declared';
    throw new ArgumentError(`jsonload(${mapper.name}, '${name}'): ${mapper.name} has no relationship '${name}' (relationships: ${known}).`);
  }
  if (rel.lazy === 'writeOnly') throw writeOnlyLoadError(rel);
  const target = rel.target;
  // What the aggregate cannot honour yet is refused, never loaded wrong (selectinload serves all of it).
  const unsupported =
    rel.criteria !== undefined || rel.secondaryCriteria !== undefined
      ? 'a primaryjoin/secondaryjoin with criteria'
      : target.hierarchy !== undefined || target.descriptor.where !== undefined
        ? 'a target in an inheritance hierarchy'
        : target.columnProperties.length > 0 || target.deferredSlots.size > 0
          ? 'a target with column properties or deferred columns'
          : undefined;
  if (unsupported !== undefined) {
    throw new ArgumentError(`jsonload(${mapper.name}, '${name}'): relationships with ${unsupported} are not supported by jsonload yet; use selectinload(${mapper.name}, '${name}').`);
  }
  return rel;
}

type I0<C extends AnyMappedClass> = InstanceType<C>;
type Opt<C extends AnyMappedClass, P extends readonly string[]> = JsonLoadOption<I0<C>, P, PathEnd<I0<C>, P>>;

/** `jsonload(User, 'posts', 'comments')`: a path of one to four relationships, each checked against the class before it. */
export interface JsonPathLoader {
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>>(cls: C, k1: K1): Opt<C, [K1]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<PathEnd<I0<C>, [K1]>>>(cls: C, k1: K1, k2: K2): Opt<C, [K1, K2]>;
  <C extends AnyMappedClass, K1 extends RelationshipKey<I0<C>>, K2 extends RelationshipKey<PathEnd<I0<C>, [K1]>>, K3 extends RelationshipKey<PathEnd<I0<C>, [K1, K2]>>>(
    cls: C,
    k1: K1,
    k2: K2,
    k3: K3,
  ): Opt<C, [K1, K2, K3]>;
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
  ): Opt<C, [K1, K2, K3, K4]>;
}

/**
 * Loads the path for every `Cls` row of the query in the same statement, as JSON built by
 * the database: `jsonload(User, 'posts')`, `jsonload(User, 'posts', 'comments')`, or chained
 * `jsonload(User, 'posts').jsonload(Post, 'comments')`.
 */
export const jsonload: JsonPathLoader = (cls: AnyMappedClass, ...names: string[]): JsonLoadOption<any, any, any> => {
  if (names.length === 0) throw new ArgumentError(`jsonload(${cls.name}): name at least one relationship.`);
  const path: Relationship[] = [];
  let mapper = mapperOf(cls);
  for (const name of names) {
    const rel = relationshipOf(mapper, name);
    path.push(rel);
    mapper = rel.target;
  }
  return new JsonLoadOption(path);
};

/** The relationships to load below one level, merged from every option's path. */
interface JsonNode {
  readonly rel: Relationship;
  readonly children: JsonNode[];
}

interface JsonPlan {
  /** Row key of the parent entity. */
  readonly parentKey: string;
  /** Hidden row key of the aggregate. */
  readonly key: string;
  readonly node: JsonNode;
}

function mergePaths(options: readonly JsonLoadOption[]): Map<Mapper, JsonNode[]> {
  const roots = new Map<Mapper, JsonNode[]>();
  for (const { path } of options) {
    let level: JsonNode[] | undefined = roots.get(path[0].parent);
    if (level === undefined) roots.set(path[0].parent, (level = []));
    for (const rel of path) {
      let node: JsonNode | undefined = level.find((n) => n.rel === rel);
      if (node === undefined) level.push((node = { rel, children: [] }));
      level = node.children;
    }
  }
  return roots;
}

/** The aggregate subqueries by entity descriptor and option tree: the same elements each time, so the statement's cache key repeats. */
const built = new WeakMap<EntityDescriptor<unknown>, Map<string, ColumnElement<any, any>>>();

/** Adds the JSON aggregates of the statement's `jsonload` options to its select list; undefined when it has none. */
export function planJsonLoad(statement: unknown): { statement: unknown; plans: JsonPlan[] } | undefined {
  if (!(statement instanceof Select) || !statement.statementOptions.some((o) => o instanceof JsonLoadOption)) return undefined;
  const options = statement.statementOptions.filter((o): o is JsonLoadOption => o instanceof JsonLoadOption);
  let stmt: Select<any> = statement;
  const plans: JsonPlan[] = [];
  for (const [mapper, nodes] of mergePaths(options)) {
    const slot = statement.entitySlots.find((s) => mapperOfDescriptor(s.descriptor) === mapper);
    if (!slot) {
      throw new ArgumentError(`jsonload(${mapper.name}, '${nodes[0].rel.name}'): the statement selects no ${mapper.name} entity; select(${mapper.name}) or name a class of the statement.`);
    }
    const descriptor = slot.descriptor;
    let cache = built.get(descriptor);
    if (cache === undefined) built.set(descriptor, (cache = new Map()));
    for (const node of nodes) {
      const key = `__athanor_json_${plans.length + 1}`;
      const cacheKey = `${key}:${treeKey(node)}`;
      let labelled = cache.get(cacheKey);
      if (labelled === undefined) {
        const columnOf = (k: string) => descriptor.columns[mapper.columnIndex.get(k)!];
        labelled = aggregate(node, columnOf, 1).label(key);
        cache.set(cacheKey, labelled);
      }
      stmt = stmt.addColumns(labelled as any);
      plans.push({ parentKey: slot.key, key, node });
    }
  }
  return { statement: stmt, plans };
}

const treeKey = (node: JsonNode): string => `${node.rel.name}(${node.children.map(treeKey).join(',')})`;

/** `(SELECT json_agg(json_object(...)) FROM target WHERE target.fk = parent.key)`, nested relationships inside each record. */
function aggregate(node: JsonNode, parentColumn: (key: string) => ColumnElement<any, any>, depth: number): ColumnElement<any, any> {
  const rel = node.rel;
  const target = rel.target;
  // Named by depth: distinct from every enclosing level's (a self-referential relationship), stable in the SQL.
  const alias = target.table.alias(`athanor_j${depth}`);
  const ac = alias.c as Record<string, ColumnElement<any, any>>;
  const fields: Record<string, ColumnElement<any, any>> = {};
  for (const k of target.columnKeys) fields[k] = ac[k];
  for (const child of node.children) fields[child.rel.name] = aggregate(child, (k) => ac[k], depth + 1);
  const agg = select(jsonArrayAgg(jsonRecord(fields), { orderBy: orderByOn(rel, alias) }));
  if (rel.secondary !== undefined) {
    const link = rel.secondary.alias(`athanor_j${depth}_link`);
    const lc = link.c as Record<string, ColumnElement<any, any>>;
    const on = and(...rel.targetPairs.map((p) => ac[p.one].eq(lc[p.many] as any)));
    return agg
      .selectFrom(alias.join(link, on))
      .where(and(...rel.pairs.map((p) => lc[p.many].eq(parentColumn(p.one) as any))))
      .scalarSubquery();
  }
  const where = rel.pairs.map((p) => (rel.direction === 'oneToMany' ? ac[p.many].eq(parentColumn(p.one) as any) : ac[p.one].eq(parentColumn(p.many) as any)));
  return agg.where(and(...where)).scalarSubquery();
}

/** Turns the decoded JSON of each row into objects attached to their parents, and removes the hidden columns. */
export function foldJsonLoaded(result: Result<any>, plans: readonly JsonPlan[], context: LoadContext, overwrite: boolean): Result<any> {
  if (plans.length === 0) return result;
  const rows = result.all() as Record<string, unknown>[];
  for (const { parentKey, key, node } of plans) {
    for (const row of rows) {
      const parent = row[parentKey] as object | null;
      if (parent) attach(parent, node, row[key] as Record<string, unknown>[], context, overwrite);
    }
  }
  const hidden = new Set(plans.map((p) => p.key));
  const keys = result.keys().filter((k) => !hidden.has(k));
  const out = rows.map((row) => {
    const clean: Record<string, unknown> = {};
    for (const k of keys) clean[k] = row[k];
    return clean;
  });
  return new Result(out, keys, out.length);
}

function attach(parent: object, node: JsonNode, records: readonly Record<string, unknown>[] | null, context: LoadContext, overwrite: boolean): void {
  const rel = node.rel;
  const target = rel.target;
  // An aggregate over no rows may arrive as NULL.
  const children = (records ?? []).map((rec) => {
    // A record is a row of the target: its key is never NULL, so there is always an object.
    const child = context.loadInstance(
      target,
      target.columnKeys.map((k) => rec[k]),
    )!;
    for (const n of node.children) attach(child, n, rec[n.rel.name] as Record<string, unknown>[], context, overwrite);
    return child;
  });
  const st = stateOf(parent);
  if (st.rels?.[rel.name] !== undefined && !overwrite) return;
  if (st.committed !== undefined) delete st.committed[rel.name];
  (st.rels ??= {})[rel.name] = rel.uselist ? children : (children[0] ?? null);
  const reverse = rel.reverse;
  if (reverse && rel.direction === 'oneToMany' && !reverse.uselist) {
    for (const c of children) {
      const cs = stateOf(c);
      if (cs.rels?.[reverse.name] === undefined) (cs.rels ??= {})[reverse.name] = parent;
    }
  }
}
