/**
 * Loading one relationship for a list of owners, after the query that loaded them:
 * selectin (`SELECT target ... WHERE key IN (...)`, 500 keys a statement, a tuple IN for a
 * composite key) or subquery (`... WHERE key IN (SELECT key FROM (<the owners' query>))`,
 * one statement). Joined levels below the relationship join into the same statements.
 */
import { type ClauseElement, type ColumnElement, type ExecuteParams, type Result, type Select, type SelectableEntity, type TableColumn, and, select, tuple_ } from '@athanor/core';
import { type JoinedPlan, assign, foldJoined, planJoined } from './joined-loading';
import { orderByOn } from './relationship-order';
import type { LoadNode } from './load-plan';
import type { LoaderCriteria } from './loader-options';
import type { LoadContext, Mapper } from './mapper';
import type { Relationship } from './relationship';
import { writeOnlyLoadError } from './write-only';
import { distinctKeys, keyAt, keyIn } from './relationship-keys';
import { type InstanceState, stateOf } from './state/instance-state';

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
  /** The whole Result (joined levels are folded from it). */
  readonly result: (stmt: ClauseElement, params?: ExecuteParams) => Promise<Result<any>>;
  /** Loads JSON-aggregated rows as objects of the session. */
  readonly context: LoadContext;
}

/** What a load inherits from the statement's options: the levels below and criteria by class. */
export interface LoadLevel {
  readonly children?: ReadonlyMap<string, LoadNode>;
  readonly criteria?: ReadonlyMap<Mapper, LoaderCriteria[]>;
  /** Subquery strategy: the statement that loaded the owners (their keys are read from it). */
  readonly ownersQuery?: Select<any>;
  /** The values of the owners' query's bind parameters, which its subquery carries into the level's query. */
  readonly params?: ExecuteParams;
  /** The target's entity to select instead of its class (selectinPolymorphic leaves subclass tables out). */
  readonly entity?: SelectableEntity<object | null>;
}

/**
 * Loads `rel` on `states` (all of `rel.parent`); `overwrite` replaces already loaded values
 * (refresh). Returns the objects it loaded, for the loaders of the next level.
 */
export async function loadRelationship(queries: Queries, states: readonly InstanceState[], rel: Relationship, overwrite: boolean, level: LoadLevel = {}): Promise<object[]> {
  return (await loadLevel(queries, states, rel, overwrite, level)).loaded;
}

/** loadRelationship, also returning the one statement that loaded the targets, if it was one (for a subquery level below). */
export async function loadLevel(
  queries: Queries,
  states: readonly InstanceState[],
  rel: Relationship,
  overwrite: boolean,
  level: LoadLevel,
): Promise<{ loaded: object[]; query: Select<any> | undefined }> {
  if (rel.lazy === 'writeOnly') throw writeOnlyLoadError(rel);
  const todo = overwrite ? states : states.filter((st) => st.rels?.[rel.name] === undefined);
  if (todo.length === 0) return { loaded: [], query: undefined };
  const m2m = rel.secondary !== undefined;
  // The owner's key columns and the columns they are matched to (target's, or the association table's).
  const manyToOne = rel.direction === 'manyToOne';
  const ownKeys = rel.pairs.map((p) => (manyToOne ? p.many : p.one));
  const matchKeys = rel.pairs.map((p) => (manyToOne ? p.one : p.many));
  const ownIndexes = ownKeys.map((k) => rel.parent.columnIndex.get(k)!);
  const matchTable = (m2m ? rel.secondary!.c : rel.target.table.c) as Record<string, TableColumn<any, any>>;
  const matchCols = matchKeys.map((k) => matchTable[k]);
  const keys = distinctKeys(todo, ownIndexes);
  const groups = new Map<unknown, object[]>();
  let query: Select<any> | undefined;
  if (keys.length > 0) {
    const base = baseQuery(rel, level);
    const fetch = (where: ColumnElement<any, any>) => runLevel(queries, base.where(where), rel, level, groups, matchKeys, overwrite);
    if (level.ownersQuery !== undefined) {
      const where = ownersIn(level.ownersQuery, rel.parent, ownKeys, matchCols);
      query = base.where(where);
      await fetch(where);
    } else {
      for (let i = 0; i < keys.length; i += IN_BATCH) await fetch(keyIn(matchCols, keys.slice(i, i + IN_BATCH)));
    }
  }
  const found = new Map<object, object[]>();
  const loaded: object[] = [];
  for (const st of todo) {
    const k = keyAt(st.values, ownIndexes);
    const matched = (k !== null && groups.get(k)) || [];
    found.set(st.obj, matched);
    for (let i = 0; i < matched.length; i++) loaded.push(matched[i]);
  }
  assign(rel, found, true);
  return { loaded, query };
}

/** `SELECT target` (with the association key for many-to-many), filtered by withLoaderCriteria. */
function baseQuery(rel: Relationship, level: LoadLevel): Select<any> {
  const target = rel.target;
  const entity = level.entity ?? target.cls;
  let stmt: Select<any>;
  if (rel.secondary !== undefined) {
    const sec = rel.secondary.c as Record<string, any>;
    const tc = target.table.c as Record<string, any>;
    const on = and(...rel.targetPairs.map((p) => tc[p.one].eq(sec[p.many])), rel.secondaryCriteria);
    const labels = rel.pairs.map((p, i) => sec[p.many].label(`athanor_owner_${i}`));
    stmt = select(entity as any, ...labels).join(rel.secondary, on);
  } else stmt = select(entity as any);
  if (rel.criteria !== undefined) stmt = stmt.where(rel.criteria);
  for (const c of level.criteria?.get(target) ?? []) stmt = stmt.where(c.criteria(target.table));
  if (rel.orderBy.length > 0) stmt = stmt.orderBy(...orderByOn(rel, target.table));
  return stmt;
}

/** Runs one statement of the level (joined levels below folded in) and groups the targets by the owner key they match. */
async function runLevel(
  queries: Queries,
  stmt: Select<any>,
  rel: Relationship,
  level: LoadLevel,
  groups: Map<unknown, object[]>,
  matchKeys: readonly string[],
  overwrite: boolean,
): Promise<void> {
  const target = rel.target;
  const name = target.descriptor.name;
  let plan: JoinedPlan | undefined;
  if (level.children !== undefined && level.children.size > 0) {
    plan = planJoined(stmt, [{ key: name, mapper: target, from: target.table, children: level.children }], level.criteria ?? new Map());
  }
  // Only a subquery level embeds the owners' query, and with it the bind parameters the statement was given.
  const raw = await queries.result((plan?.statement ?? stmt) as ClauseElement, level.ownersQuery === undefined ? undefined : level.params);
  const result = plan === undefined ? raw : foldJoined(raw, plan, overwrite, queries.context);
  const m2m = rel.secondary !== undefined;
  const matchIndexes = m2m ? [] : matchKeys.map((k) => target.columnIndex.get(k)!);
  if (!m2m && plan === undefined) {
    // One entity per row: the loaded objects as they are, no row object each.
    const targets = result.scalars().all() as object[];
    for (let r = 0; r < targets.length; r++) {
      const t = targets[r];
      const k = keyAt(stateOf(t).values, matchIndexes);
      const g = groups.get(k);
      if (g === undefined) groups.set(k, [t]);
      else g.push(t);
    }
    return;
  }
  const rows = result.all() as Record<string, unknown>[];
  const labels = matchKeys.map((_, i) => `athanor_owner_${i}`);
  const positions = labels.map((_, i) => i);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const t = row[name] as object;
    const k = m2m ? keyAt(labels.map((l) => row[l]), positions) : keyAt(stateOf(t).values, matchIndexes);
    const g = groups.get(k);
    // Rows are distinct (one per target, or per target and owner key): no duplicate check needed.
    if (g === undefined) groups.set(k, [t]);
    else g.push(t);
  }
}

/** `key IN (SELECT key FROM (<owners' query>) AS athanor_owners)`: the derived table lets MariaDB take a LIMIT inside. */
function ownersIn(ownersQuery: Select<any>, owner: Mapper, ownKeys: readonly string[], matchCols: readonly ColumnElement<any, any>[]): ColumnElement<boolean> {
  const oc = owner.table.c as Record<string, any>;
  const inner = ownersQuery.withOnlyColumns(...ownKeys.map((k, i) => oc[k].label(`k${i}`))).subquery('athanor_owners');
  const ic = inner.c as Record<string, any>;
  const keys = select(...ownKeys.map((_, i) => ic[`k${i}`]));
  return cols(matchCols).in(keys as any);
}

const cols = (c: readonly ColumnElement<any, any>[]) => (c.length === 1 ? c[0] : tuple_(...c));
