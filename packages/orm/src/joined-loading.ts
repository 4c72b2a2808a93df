/**
 * The joined strategy (and containsEager): each joined relationship adds a LEFT OUTER JOIN
 * to an alias of its target and selects the target's columns as a hidden entity, nested
 * levels joining to the level above's alias. The rows are then folded back in one pass
 * per level: related objects attached (a set per level, so linear), hidden keys removed,
 * rows a joined collection repeated collapsed. A composite key joins on all its columns, a
 * custom primaryjoin's extra terms and a single-table subclass's discriminator go into the ON
 * clause. With LIMIT/OFFSET the page is cut in a subquery and the joins go outside it; what
 * cannot be joined right (a page that subquery cannot carry, a joined-table target) raises.
 */
import { type ColumnElement, type EntityDescriptor, type FromClause, Result, Select, TableColumn, UnaryExpression, adaptToAlias, and, select, selectEntity } from '@athanor/core';
import { defaultColumnsFrom, spreadValues } from './column-plan';
import { type JsonFold, addJsonAggregate, foldJson } from './json-loading';
import { joinedError, joinedTableError } from './load-plan-check';
import type { LoadNode } from './load-plan';
import type { LoaderCriteria } from './loader-options';
import { type LoadContext, type Mapper, mapperOfDescriptor } from './mapper';
import type { Relationship } from './relationship';
import { stateOf } from './state/instance-state';
import { relsRecordMaker } from './state/rels-record';
import { orderByOn } from './relationship-order';

export { orderByOn };

export interface JoinedFold {
  readonly node: LoadNode;
  /** Row key of the parent objects (an entity of the statement or a hidden one). */
  readonly parentKey: string;
  /** Hidden row key of the joined objects. */
  readonly key: string;
}

export interface JoinedPlan {
  readonly statement: unknown;
  readonly folds: JoinedFold[];
  /** The JSON levels aggregated into the statement (json-loading.ts). */
  readonly jsonFolds: JsonFold[];
}

/** Where the level's parents come from: their row key, class, FROM item, and the nodes below them. */
export interface JoinRoot {
  readonly key: string;
  readonly mapper: Mapper;
  readonly from: FromClause;
  readonly children: ReadonlyMap<string, LoadNode>;
}

type Criteria = ReadonlyMap<Mapper, LoaderCriteria[]>;

/** Adds the joins of every joined/containsEager node and the aggregates of every JSON node under `roots` (recursively). */
export function planJoined(statement: unknown, roots: readonly JoinRoot[], criteria: Criteria): JoinedPlan {
  if (!(statement instanceof Select)) return { statement, folds: [], jsonFolds: [] };
  let stmt: Select<any> = statement;
  const folds: JoinedFold[] = [];
  const jsonFolds: JsonFold[] = [];
  let limited = statement.limitClause !== undefined || statement.offsetClause !== undefined;
  let from = roots.map((r) => r.from);
  if (limited && roots.length === 1 && joinsCollection(roots[0].children)) {
    // The page is cut on the parents in a subquery, the collections joined outside it.
    const page = pageOf(statement, roots[0].key);
    if (page !== undefined) {
      stmt = page.statement;
      from = [page.from];
      limited = false;
    }
  }
  const visit = (parentKey: string, parentMapper: Mapper, parentFrom: FromClause, children: ReadonlyMap<string, LoadNode>) => {
    for (const node of children.values()) {
      const rel = node.rel;
      let target: FromClause;
      if (node.strategy === 'json') {
        // Its JSON levels are inside the aggregate; levels of other strategies below load after the statement.
        const key = `__athanor_json_${jsonFolds.length + 1}`;
        stmt = addJsonAggregate(stmt, node, parentMapper, parentFrom, key);
        jsonFolds.push({ node, parentKey, key, owner: parentMapper });
        continue;
      }
      if (node.strategy === 'containsEager') {
        target = node.from ?? rel.target.table;
      } else if (node.strategy === 'joined') {
        // Refused, never silently loaded another way: a collection join under a LIMIT the page
        // subquery cannot carry would cut the parents' rows; a joined-table target spans several tables.
        if (rel.uselist && limited) throw joinedError(node, 'the statement has LIMIT/OFFSET and its page cannot be cut in a subquery (that needs one selected entity ordered by its own columns), so joined rows would cut the parents\' rows');
        if (rel.target.descriptor.from !== rel.target.table) throw joinedTableError(node);
        const n = folds.length + 1;
        target = aliasOf(rel, n);
        const on = joinOn(rel, parentFrom, target, n, (from) => {
          stmt = stmt.outerJoin(from.sec, from.on);
        });
        const extra = (criteria.get(rel.target) ?? []).map((c) => c.criteria(target));
        // The relationship's own criteria and a single-table subclass's discriminator, moved onto the join's alias.
        if (rel.criteria !== undefined && rel.secondary === undefined) extra.push(adaptToAlias(rel.criteria, rel.target.table, target));
        if (rel.target.descriptor.where !== undefined) extra.push(adaptToAlias(rel.target.descriptor.where, rel.target.table, target));
        stmt = stmt.outerJoin(target, extra.length ? and(on, ...extra) : on);
        // The collection's order after the statement's own (the parents' rows stay in their order).
        if (rel.orderBy.length > 0) stmt = stmt.orderBy(...orderByOn(rel, target));
      } else continue;
      const hidden = hiddenEntity(rel.target, target, folds.length + 1);
      stmt = stmt.addColumns(hidden.entity as any);
      const fold = { node, parentKey, key: hidden.key };
      folds.push(fold);
      visit(fold.key, rel.target, target, node.children);
    }
  };
  for (let i = 0; i < roots.length; i++) visit(roots[i].key, roots[i].mapper, from[i], roots[i].children);
  return { statement: stmt, folds, jsonFolds };
}

/** A joined collection anywhere under these nodes (it would multiply the parents' rows). */
function joinsCollection(children: ReadonlyMap<string, LoadNode>): boolean {
  for (const n of children.values()) {
    if (n.strategy !== 'joined' && n.strategy !== 'containsEager') continue;
    if (n.rel.uselist || joinsCollection(n.children)) return true;
  }
  return false;
}

const pageEntities = new WeakMap<object, { entity: object; current: EntityDescriptor<any> | undefined }>();

/**
 * `SELECT athanor_page.* FROM (<the statement, its entity's columns only>) AS athanor_page`,
 * ordered as the statement: the LIMIT/OFFSET stays inside, on the parents' rows, and the
 * joins go outside. Only for a statement selecting one entity, ordered by its own columns;
 * otherwise undefined (the caller loads the collections by selectin).
 */
function pageOf(statement: Select<any>, key: string): { statement: Select<any>; from: FromClause } | undefined {
  const slot = statement.entitySlots.find((s) => s.key === key);
  if (slot === undefined || statement.entitySlots.length !== 1 || statement.columnsClause.length !== slot.count) return undefined;
  const mapper = mapperOfDescriptor(slot.descriptor);
  if (mapper === undefined || slot.descriptor.from !== mapper.table) return undefined;
  const cols = slot.descriptor.columns;
  const labels = cols.map((c, i) => (c as { key?: string }).key ?? `c${i}`);
  if (new Set(labels).size !== labels.length) return undefined;
  const inner = statement.withOnlyColumns(...cols.map((c, i) => c.label(labels[i]))).subquery('athanor_page');
  const ic = inner.c as Record<string, ColumnElement<any, any>>;
  const order: ColumnElement<any, any>[] = [];
  for (const o of statement.orderByClauses) {
    const adapted = onPage(o, mapper.table, ic);
    if (adapted === undefined) return undefined;
    order.push(adapted);
  }
  // One entity object per descriptor, so that the slot (and the statement's cache key) repeats.
  let page = pageEntities.get(slot.descriptor);
  if (page === undefined) {
    const holder: { entity: object; current: EntityDescriptor<any> | undefined } = { entity: {}, current: undefined };
    holder.entity = { [selectEntity]: () => holder.current! };
    pageEntities.set(slot.descriptor, (page = holder));
  }
  page.current = { name: key, from: inner, columns: labels.map((l) => ic[l]), load: slot.descriptor.load };
  let out = select(page.entity as any) as Select<any>;
  if (order.length > 0) out = out.orderBy(...order);
  return { statement: out, from: inner };
}

/** An ORDER BY term of the statement on the page subquery: a column of the table, or one with ASC/DESC/NULLS. */
function onPage(o: ColumnElement<any, any>, table: FromClause, cols: Record<string, ColumnElement<any, any>>): ColumnElement<any, any> | undefined {
  if (o instanceof TableColumn) return o.table === table ? cols[o.key] : undefined;
  if (o instanceof UnaryExpression && o.operator === undefined && o.modifier !== undefined) {
    const inner = onPage(o.element, table, cols);
    return inner === undefined ? undefined : new UnaryExpression(inner, undefined, o.modifier, o.type);
  }
  return undefined;
}

const aliases = new WeakMap<Relationship, Map<string, FromClause>>();

/** One alias per relationship and join position: the same objects each time, so the statement's cache key repeats. */
function aliasOf(rel: Relationship, n: number, which = 'j'): FromClause {
  let byName = aliases.get(rel);
  if (byName === undefined) aliases.set(rel, (byName = new Map()));
  const name = `${which === 'j' ? rel.target.table.name : rel.secondary!.name}_${which}${n}`;
  let a = byName.get(name);
  if (a === undefined) byName.set(name, (a = (which === 'j' ? rel.target.table : rel.secondary!).alias(name)));
  return a;
}

/** The ON clause from the parent's FROM item to the target's; many-to-many first joins an alias of the association table. */
function joinOn(rel: Relationship, parent: FromClause, target: FromClause, n: number, joinSecondary: (j: { sec: FromClause; on: ColumnElement<any, any> }) => void): ColumnElement<any, any> {
  const pc = parent.c as Record<string, any>;
  const tc = target.c as Record<string, any>;
  if (rel.secondary !== undefined) {
    const sec = aliasOf(rel, n, 's');
    const sc = sec.c as Record<string, any>;
    joinSecondary({ sec, on: and(...rel.pairs.map((p) => sc[p.many].eq(pc[p.one]))) });
    const targetOn = rel.targetPairs.map((p) => tc[p.one].eq(sc[p.many]));
    // A primaryjoin's / secondaryjoin's extra terms, on the association table's alias and the target's.
    for (const c of [rel.criteria, rel.secondaryCriteria]) if (c !== undefined) targetOn.push(adaptToAlias(adaptToAlias(c, rel.secondary, sec), rel.target.table, target));
    return and(...targetOn);
  }
  return and(...rel.pairs.map((p) => (rel.direction === 'oneToMany' ? tc[p.many].eq(pc[p.one]) : tc[p.one].eq(pc[p.many]))));
}

interface HiddenEntity {
  entity: object;
  key: string;
}
const hiddenEntities = new WeakMap<FromClause, Map<number, HiddenEntity>>();

/**
 * The target's columns in `from` as a hidden entity, one per FROM item and position: the
 * same descriptor every time, so that the statement's cache key (which names its entities'
 * descriptors) repeats. It loads through the session the rows are executed with.
 */
function hiddenEntity(target: Mapper, from: FromClause, n: number): HiddenEntity {
  let byPosition = hiddenEntities.get(from);
  if (byPosition === undefined) hiddenEntities.set(from, (byPosition = new Map()));
  let out = byPosition.get(n);
  if (out !== undefined) return out;
  const cols = from.c as Record<string, any>;
  const key = `__athanor_joined_${n}`;
  const pkIndexes = target.pkIndexes;
  // Deferred columns stay out of the join as they do out of the target's own SELECT; column properties are computed on the alias.
  const planned = target.defaultPlan === undefined ? undefined : defaultColumnsFrom(target, from);
  const slots = planned?.slots;
  const descriptor = {
    name: key,
    from,
    columns: planned === undefined ? target.columns.map((c) => cols[c.key]) : planned.columns,
    // No related row (outer join): all key columns are NULL.
    load: (row: readonly unknown[], context: unknown) => {
      const values = slots === undefined ? (row as unknown[]) : spreadValues(slots, target.width, row);
      for (let i = 0; i < pkIndexes.length; i++) if (values[pkIndexes[i]] !== null) return (context as LoadContext).loadInstance(target.mapperForRow(values), values, slots !== undefined);
      return null;
    },
  };
  out = { entity: { [selectEntity]: () => descriptor }, key };
  byPosition.set(n, out);
  return out;
}

/** Attaches the joined and JSON-loaded objects to their parents, level by level, and removes the hidden columns from the rows. */
export function foldJoined(result: Result<any>, plan: Omit<JoinedPlan, 'statement'>, overwrite: boolean, context: LoadContext): Result<any> {
  const { folds, jsonFolds } = plan;
  if (folds.length === 0 && jsonFolds.length === 0) return result;
  const rows = result.all() as Record<string, unknown>[];
  // The JSON first: its owners may be joined objects, whose hidden keys the joined folds keep until the end.
  for (const fold of jsonFolds) foldJson(rows, fold, context, overwrite);
  let repeats = false;
  for (const fold of folds) {
    attach(rows, fold, overwrite);
    if (fold.node.rel.uselist) repeats = true;
  }
  const hidden = new Set([...folds.map((f) => f.key), ...jsonFolds.map((f) => f.key)]);
  const keys = result.keys().filter((k) => !hidden.has(k));
  const out = repeats ? distinctRows(rows, keys) : rows.map((row) => pick(row, keys));
  return new Result(out, keys, out.length);
}

function attach(rows: readonly Record<string, unknown>[], { node, parentKey, key }: JoinedFold, overwrite: boolean): void {
  const rel = node.rel;
  const found = new Map<object, object[]>();
  // A one-to-many child belongs to one parent: one set for the level; many-to-many needs one per parent.
  const seen = rel.direction === 'oneToMany' ? new Set<object>() : undefined;
  const seenBy = rel.direction === 'manyToMany' ? new Map<object, Set<object>>() : undefined;
  // A parent's rows usually come one after another: the last parent's list is kept at hand.
  let lastParent: object | undefined;
  let list: object[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const parent = row[parentKey] as object | null;
    if (parent === null || parent === undefined) continue;
    if (parent !== lastParent) {
      lastParent = parent;
      const known = found.get(parent);
      if (known === undefined) found.set(parent, (list = []));
      else list = known;
    }
    const child = row[key] as object | null;
    if (child === null) continue;
    if (seen !== undefined) {
      if (seen.has(child)) continue;
      seen.add(child);
    } else if (seenBy !== undefined) {
      let s = seenBy.get(parent);
      if (s === undefined) seenBy.set(parent, (s = new Set()));
      if (s.has(child)) continue;
      s.add(child);
    } else if (list.length > 0) continue;
    list.push(child);
  }
  assign(rel, found, overwrite);
}

/** Stores loaded values on their owners; the mirrored many-to-one of a loaded collection is known too. */
export function assign(rel: Relationship, found: ReadonlyMap<object, object[]>, overwrite: boolean): void {
  const reverse = rel.reverse;
  const mirror = reverse !== undefined && rel.direction === 'oneToMany' && !reverse.uselist;
  const mirrorRecord = mirror ? relsRecordMaker(reverse.name) : undefined;
  const ownRecord = relsRecordMaker(rel.name);
  for (const [parent, children] of found) {
    const st = stateOf(parent);
    if (st.rels?.[rel.name] !== undefined && !overwrite) continue;
    if (st.committed !== undefined) delete st.committed[rel.name];
    const value = rel.uselist ? children : (children[0] ?? null);
    if (st.rels === undefined) st.rels = ownRecord(value);
    else st.rels[rel.name] = value;
    if (!mirror) continue;
    for (let i = 0; i < children.length; i++) {
      const cs = stateOf(children[i]);
      if (cs.rels === undefined) cs.rels = mirrorRecord!(parent);
      else if (cs.rels[reverse.name] === undefined) cs.rels[reverse.name] = parent;
    }
  }
}

function pick(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) clean[keys[i]] = row[keys[i]];
  return clean;
}

/** One row per distinct combination of the visible values (in first-seen order), by nested maps: linear. */
function distinctRows(rows: readonly Record<string, unknown>[], keys: readonly string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const last = keys.length - 1;
  const root = new Map<unknown, unknown>();
  for (const row of rows) {
    let level = root;
    let fresh = false;
    for (let i = 0; i < last; i++) {
      const v = row[keys[i]];
      let next = level.get(v) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(v, (next = new Map()));
      level = next;
    }
    const v = row[keys[last]];
    if (!level.has(v)) {
      level.set(v, true);
      fresh = true;
    }
    if (fresh) out.push(pick(row, keys));
  }
  return out;
}
