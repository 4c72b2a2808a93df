/**
 * Runs a statement with its loader options: the joined levels are added to the statement
 * and folded from its rows, then every other level loads after it, level by level
 * (selectin/subquery queries, noload's empty values, raiseload's marks).
 */
import { type ClauseElement, type Result, Select } from '@athanor/core';
import { foldJoined, planJoined } from './joined-loading';
import type { LoadNode, LoadPlan } from './load-plan';
import type { LoaderCriteria } from './loader-options';
import { LoadRun } from './default-loading';
import { type Queries, loadLevel } from './loading';
import type { Mapper } from './mapper';
import { type InstanceState, maybeState, stateOf } from './state/instance-state';
import { markRaise } from './state/raise-marks';

type Criteria = ReadonlyMap<Mapper, LoaderCriteria[]>;

/** Executes `statement` through `run` with the plan's loads; `overwrite` replaces loaded values (populateExisting). */
export async function executeWithPlan(
  statement: ClauseElement,
  plan: LoadPlan,
  execute: (stmt: ClauseElement) => Promise<Result<any>>,
  queries: Queries,
  overwrite: boolean,
): Promise<Result<any>> {
  let stmt: unknown = statement;
  if (stmt instanceof Select) {
    const filtered = new Set<Mapper>();
    for (const root of plan.roots) {
      if (filtered.has(root.mapper)) continue;
      filtered.add(root.mapper);
      for (const c of plan.criteria.get(root.mapper) ?? []) stmt = (stmt as Select<any>).where(c.criteria(root.mapper.table));
    }
  }
  // A subclass's levels load after the statement, on its rows only (a join would apply to every row).
  for (const r of plan.roots) if (r.subclassOnly) for (const n of r.children.values()) if (n.strategy === 'joined') n.strategy = 'selectin';
  const joined = planJoined(
    stmt,
    plan.roots.filter((r) => !r.subclassOnly).map((r) => ({ key: r.key, from: r.mapper.table, children: r.children })),
    plan.criteria,
  );
  const result = foldJoined(await execute(joined.statement as ClauseElement), joined.folds, overwrite);
  const rows = result.all() as Record<string, unknown>[];
  const run = new LoadRun(queries, overwrite);
  for (const root of plan.roots) {
    if (root.children.size === 0) continue;
    const states = new Set<InstanceState>();
    for (let i = 0; i < rows.length; i++) {
      const st = maybeState(rows[i][root.key]);
      if (st !== undefined && (!root.subclassOnly || st.mapper.isa(root.mapper))) states.add(st);
    }
    await loadLevels(run, [...states], root.children, plan.criteria, stmt instanceof Select ? stmt : undefined);
  }
  return result;
}

/**
 * Loads `children` on `states`, then the levels below each; what a level loaded then gets
 * its own class's eager defaults (`lazy: 'selectin'`) that the options do not name.
 */
async function loadLevels(run: LoadRun, states: readonly InstanceState[], children: ReadonlyMap<string, LoadNode>, criteria: Criteria, ownersQuery: Select<any> | undefined): Promise<void> {
  if (states.length === 0) return;
  const overwrite = run.overwrite;
  for (const node of children.values()) {
    const rel = node.rel;
    let below: Select<any> | undefined;
    switch (node.strategy) {
      case 'selectin':
      case 'subquery':
        below = (
          await loadLevel(run.queries, states, rel, overwrite, {
            children: node.children,
            criteria,
            ownersQuery: node.strategy === 'subquery' ? ownersQuery : undefined,
          })
        ).query;
        break;
      case 'noload':
        for (const st of states) {
          if (!overwrite && st.rels?.[rel.name] !== undefined) continue;
          (st.rels ??= {})[rel.name] = rel.uselist ? [] : null;
        }
        continue;
      case 'raise':
        for (const st of states) if (st.rels?.[rel.name] === undefined) markRaise(st, rel.name);
        continue;
      case 'lazy':
        continue;
      // joined, containsEager: loaded with the statement that loaded `states`.
    }
    if (node.children.size === 0 && rel.target.eagerRelationships.length === 0) continue;
    const next = related(states, rel.name);
    if (node.children.size > 0) await loadLevels(run, next, node.children, criteria, below);
    if (rel.target.eagerRelationships.length > 0) await run.loadDefaults(next.map((st) => st.obj), [rel], node.children);
  }
}

/** The distinct objects the states hold in a loaded relationship. */
function related(states: readonly InstanceState[], name: string): InstanceState[] {
  const out = new Set<InstanceState>();
  for (const st of states) {
    const v = st.rels?.[name];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const o of v) out.add(stateOf(o));
    else out.add(stateOf(v as object));
  }
  return [...out];
}
