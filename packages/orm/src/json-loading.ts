/**
 * The JSON strategy: `jsonload(User, 'posts').jsonload(Post, 'comments')` loads a whole
 * object graph with the statement itself. Each `jsonload` level becomes a correlated scalar
 * subquery in the select list of the query that loads its owners (the statement, or a
 * selectin/subquery level's query, or correlated to a joined level's alias) that aggregates
 * the related rows into a JSON array (`jsonArrayAgg(jsonRecord(...))` of Core, rendered per
 * dialect), its `jsonload` levels below as subqueries inside each record. Core encodes and
 * decodes every value through its column type, so the objects hold what a plain query of the
 * same rows would give (bigint beyond 2^53, exact decimals, timestamps, binary, booleans).
 * Levels below a JSON level with another strategy load after the statement, from its objects.
 */
import { type ColumnElement, type FromClause, type Select, and, jsonArrayAgg, jsonRecord, select } from '@athanor/core';
import type { LoadNode } from './load-plan';
import type { LoadContext, Mapper } from './mapper';
import type { Relationship } from './relationship';
import { orderByOn } from './relationship-order';
import { stateOf } from './state/instance-state';

export { JsonLoadOption, type JsonPathLoader, jsonload } from './loader-options';

export interface JsonFold {
  readonly node: LoadNode;
  /** Row key of the owners (an entity of the statement, or a joined level's hidden entity). */
  readonly parentKey: string;
  /** Hidden row key of the aggregate. */
  readonly key: string;
  /** Only owners of this class get the objects (a subclass's relationship on a polymorphic query). */
  readonly owner: Mapper;
}

/** The aggregates by owners' FROM item and option tree: the same elements each time, so the statement's cache key repeats. */
const built = new WeakMap<object, Map<string, ColumnElement<any, any>>>();

/**
 * Adds `node`'s aggregate (labelled `key`) to `stmt`, correlated to the owners' columns in
 * `from` (their table, an alias of it, or the page subquery of a LIMIT).
 */
export function addJsonAggregate(stmt: Select<any>, node: LoadNode, owner: Mapper, from: FromClause, key: string): Select<any> {
  let cache = built.get(from);
  if (cache === undefined) built.set(from, (cache = new Map()));
  const cacheKey = `${key}:${owner.table.fullname}:${treeKey(node)}`;
  let labelled = cache.get(cacheKey);
  if (labelled === undefined) {
    // On the owner's own table, a key column may live in an inherited table: take the mapper's column.
    const own = from === owner.table || from === owner.innerFrom;
    const fc = from.c as Record<string, ColumnElement<any, any>>;
    const columnOf = (k: string) => (own ? owner.columns[owner.columnIndex.get(k)!] : fc[k]);
    labelled = aggregate(node, columnOf, 1).label(key);
    cache.set(cacheKey, labelled);
  }
  return stmt.addColumns(labelled as any);
}

const jsonChildren = (node: LoadNode) => [...node.children.values()].filter((n) => n.strategy === 'json');
const treeKey = (node: LoadNode): string => `${node.rel.name}(${jsonChildren(node).map(treeKey).join(',')})`;

/** `(SELECT json_agg(json_object(...)) FROM target WHERE target.fk = parent.key)`, nested JSON levels inside each record. */
function aggregate(node: LoadNode, parentColumn: (key: string) => ColumnElement<any, any>, depth: number): ColumnElement<any, any> {
  const rel = node.rel;
  const target = rel.target;
  // Named by depth: distinct from every enclosing level's (a self-referential relationship), stable in the SQL.
  const alias = target.table.alias(`athanor_j${depth}`);
  const ac = alias.c as Record<string, ColumnElement<any, any>>;
  const fields: Record<string, ColumnElement<any, any>> = {};
  for (const k of target.columnKeys) fields[k] = ac[k];
  for (const child of jsonChildren(node)) fields[child.rel.name] = aggregate(child, (k) => ac[k], depth + 1);
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

/** Turns each row's decoded JSON into objects attached to their owners (the hidden columns are removed by the caller). */
export function foldJson(rows: readonly Record<string, unknown>[], fold: JsonFold, context: LoadContext, overwrite: boolean): void {
  const { parentKey, key, node, owner } = fold;
  for (const row of rows) {
    const parent = row[parentKey] as object | null;
    if (parent && stateOf(parent).mapper.isa(owner)) attach(parent, node, row[key] as Record<string, unknown>[], context, overwrite);
  }
}

function attach(parent: object, node: LoadNode, records: readonly Record<string, unknown>[] | null, context: LoadContext, overwrite: boolean): void {
  const rel = node.rel;
  const target = rel.target;
  const nested = jsonChildren(node);
  // An aggregate over no rows may arrive as NULL.
  const children = (records ?? []).map((rec) => {
    // A record is a row of the target: its key is never NULL, so there is always an object.
    const child = context.loadInstance(
      target,
      target.columnKeys.map((k) => rec[k]),
    )!;
    for (const n of nested) attach(child, n, rec[n.rel.name] as Record<string, unknown>[], context, overwrite);
    return child;
  });
  setLoaded(parent, rel, children, overwrite);
}

function setLoaded(parent: object, rel: Relationship, children: object[], overwrite: boolean): void {
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
