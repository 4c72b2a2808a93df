/**
 * The joined strategy: `joinedload(User, 'addresses')` adds a LEFT OUTER JOIN to an alias
 * of the target table and selects its columns as a hidden entity; the rows of the result
 * are then folded back (related objects attached, the hidden key removed, rows repeated by
 * a joined collection collapsed). A composite foreign key joins on all its columns. With LIMIT/OFFSET a joined collection would cut the
 * parents' rows, so such options fall back to the selectin strategy.
 */
import { Result, Select, and, selectEntity } from '@athanor/core';
import { type LoaderOption, orderByOn } from './loading';
import type { Relationship } from './relationship';
import type { LoadContext } from './mapper';
import { stateOf } from './state/instance-state';

interface JoinedPlan {
  option: LoaderOption;
  /** Row key of the parent entity. */
  parentKey: string;
  /** Hidden row key of the joined entity. */
  key: string;
}

/** Rewrites the statement for the joined options it can serve; the others are returned for selectin. */
export function planJoined(statement: unknown, options: LoaderOption[]): { statement: unknown; plans: JoinedPlan[]; rest: LoaderOption[] } {
  if (!(statement instanceof Select)) return { statement, plans: [], rest: options };
  let stmt: Select<any> = statement;
  const plans: JoinedPlan[] = [];
  const rest: LoaderOption[] = [];
  for (const option of options) {
    const rel = option.relationship;
    const slot = statement.entitySlots.find((s) => s.descriptor === option.mapper.descriptor);
    const limited = statement.limitClause !== undefined || statement.offsetClause !== undefined;
    // A criterion of a custom primaryjoin is written on the target table, not on the join's alias: selectin applies it.
    if (option.strategy !== 'joined' || !slot || rel.secondary !== undefined || rel.criteria !== undefined || (rel.uselist && limited)) {
      rest.push(option);
      continue;
    }
    const { alias, hidden, key } = hiddenEntity(rel, plans.length + 1);
    const parentCols = option.mapper.table.c as Record<string, any>;
    const aliasCols = alias.c as Record<string, any>;
    const on = and(
      ...rel.pairs.map((p) => (rel.direction === 'oneToMany' ? aliasCols[p.many].eq(parentCols[p.one]) : aliasCols[p.one].eq(parentCols[p.many]))),
    );
    stmt = stmt.outerJoin(alias, on).addColumns(hidden as any);
    // The collection's order after the statement's own (the parents' rows stay in their order).
    if (rel.orderBy.length > 0) stmt = stmt.orderBy(...orderByOn(rel, alias));
    plans.push({ option, parentKey: slot.key, key });
  }
  return { statement: stmt, plans, rest };
}

interface HiddenEntity {
  alias: ReturnType<Relationship['target']['table']['alias']>;
  hidden: object;
  key: string;
}
const hiddenEntities = new WeakMap<Relationship, Map<number, HiddenEntity>>();

/**
 * The joined target as a hidden entity, one per relationship and join position: the same
 * descriptor every time, so that the statement's cache key (which names its entities'
 * descriptors) repeats. It loads through the session the rows are executed with.
 */
function hiddenEntity(rel: Relationship, n: number): HiddenEntity {
  let byPosition = hiddenEntities.get(rel);
  if (byPosition === undefined) hiddenEntities.set(rel, (byPosition = new Map()));
  let out = byPosition.get(n);
  if (out !== undefined) return out;
  const target = rel.target;
  const alias = target.table.alias(`${target.table.name}_j${n}`);
  const aliasCols = alias.c as Record<string, any>;
  const key = `__athanor_joined_${n}`;
  const pkIndexes = target.pkKeys.map((k) => target.columnKeys.indexOf(k));
  const descriptor = {
    name: key,
    from: alias,
    columns: target.columns.map((c) => aliasCols[c.key]),
    // No related row (outer join): all key columns are NULL.
    load: (values: readonly unknown[], context: unknown) =>
      pkIndexes.every((i) => values[i] === null) ? null : (context as LoadContext).loadInstance(target, values as unknown[]),
  };
  out = { alias, hidden: { [selectEntity]: () => descriptor }, key };
  byPosition.set(n, out);
  return out;
}

/** Attaches the joined objects to their parents and removes the hidden columns from the rows. */
export function foldJoined(result: Result<any>, plans: JoinedPlan[], overwrite: boolean): Result<any> {
  if (plans.length === 0) return result;
  const rows = result.all() as Record<string, unknown>[];
  for (const { option, parentKey, key } of plans) {
    const rel = option.relationship;
    const found = new Map<object, object[]>();
    for (const row of rows) {
      const parent = row[parentKey] as object | null;
      if (!parent) continue;
      let list = found.get(parent);
      if (!list) found.set(parent, (list = []));
      const child = row[key] as object | null;
      if (child && !list.includes(child)) list.push(child);
    }
    const reverse = rel.reverse;
    for (const [parent, children] of found) {
      const st = stateOf(parent);
      if (st.rels?.[rel.name] !== undefined && !overwrite) continue;
      if (st.committed !== undefined) delete st.committed[rel.name];
      (st.rels ??= {})[rel.name] = rel.uselist ? children : (children[0] ?? null);
      if (reverse && rel.direction === 'oneToMany' && !reverse.uselist) {
        for (const c of children) {
          const cs = stateOf(c);
          if (cs.rels?.[reverse.name] === undefined) (cs.rels ??= {})[reverse.name] = parent;
        }
      }
    }
  }
  const hiddenKeys = new Set(plans.map((p) => p.key));
  const keys = result.keys().filter((k) => !hiddenKeys.has(k));
  // A joined collection repeats its parent's row once per child: keep one row per distinct row.
  const out: Record<string, unknown>[] = [];
  for (const row of rows) {
    const clean: Record<string, unknown> = {};
    for (const k of keys) clean[k] = row[k];
    if (!out.some((o) => keys.every((k) => Object.is(o[k], clean[k])))) out.push(clean);
  }
  return new Result(out, keys, out.length);
}
