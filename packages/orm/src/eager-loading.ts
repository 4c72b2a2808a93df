/**
 * Runs a statement with its loader options: the joined levels are added to the statement
 * and folded from its rows, then every other level loads after it, level by level
 * (selectin/subquery queries, noload's empty values, raiseload's marks).
 */
import { ArgumentError, type ClauseElement, type ExecuteParams, type Result, Select, type SelectItem, type Table, isSelectableEntity } from '@athanor/core';
import { foldJoined, planJoined } from './joined-loading';
import type { LoadNode, LoadPlan, RootPlan } from './load-plan';
import type { LoaderCriteria } from './loader-options';
import { LoadRun } from './default-loading';
import { type Queries, loadLevel } from './loading';
import { type Mapper, mapperOfDescriptor } from './mapper';
import { loadPolymorphicColumns, polymorphicEntity } from './selectin-polymorphic';
import { type InstanceState, maybeState, stateOf } from './state/instance-state';
import { markRaise } from './state/raise-marks';
import { checkLevels, subqueryError } from './load-plan-check';

type Criteria = ReadonlyMap<Mapper, LoaderCriteria[]>;

/** Executes `statement` through `run` with the plan's loads; `overwrite` replaces loaded values (populateExisting). */
export async function executeWithPlan(
  statement: ClauseElement,
  plan: LoadPlan,
  execute: (stmt: ClauseElement) => Promise<Result<any>>,
  queries: Queries,
  overwrite: boolean,
  params?: ExecuteParams,
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
  const omitted = stmt instanceof Select ? new Map<RootPlan, ReadonlySet<Table<any, any>>>() : undefined;
  if (omitted !== undefined) stmt = withPolymorphicEntities(stmt as Select<any>, plan.roots, omitted);
  for (const r of plan.roots) checkLevels(r.children, 'statement', undefined, stmt instanceof Select);
  // A subclass's levels load after the statement, on its rows only: a join or an aggregate would apply to every row.
  for (const r of plan.roots) if (r.subclassOnly) for (const n of r.children.values()) if (n.strategy === 'joined' || n.strategy === 'json') throw subclassJoinError(r, n);
  const joined = planJoined(
    stmt,
    plan.roots.filter((r) => !r.subclassOnly).map((r) => ({ key: r.key, mapper: r.mapper, from: r.mapper.table, children: r.children })),
    plan.criteria,
  );
  const result = foldJoined(await execute(joined.statement as ClauseElement), joined, overwrite, queries.context);
  const rows = result.all() as Record<string, unknown>[];
  const run = new LoadRun(queries, overwrite);
  for (const root of plan.roots) {
    const tables = omitted?.get(root);
    if (root.children.size === 0 && tables === undefined) continue;
    const states = new Set<InstanceState>();
    for (let i = 0; i < rows.length; i++) {
      const st = maybeState(rows[i][root.key]);
      if (st !== undefined && (!root.subclassOnly || st.mapper.isa(root.mapper))) states.add(st);
    }
    // The subclass columns first: a relationship below may be keyed by one of them.
    if (tables !== undefined) await loadPolymorphicColumns(queries.rows, [...states], tables);
    await loadLevels(run, [...states], root.children, plan.criteria, stmt instanceof Select ? stmt : undefined, params);
  }
  return result;
}

function subclassJoinError(root: RootPlan, node: LoadNode): ArgumentError {
  const option = `${node.strategy === 'json' ? 'json' : 'joined'}load(${root.mapper.name}, '${node.rel.name}')`;
  return new ArgumentError(
    `${option}: the statement selects ${node.rel.parent === root.mapper ? 'a class' : 'classes'} of which ${root.mapper.name} is a subclass, and a ${node.strategy === 'json' ? 'JSON aggregate' : 'join'} in it would apply to every row; use selectinload(${root.mapper.name}, '${node.rel.name}'), which loads for the ${root.mapper.name} rows only, or select(${root.mapper.name}).`,
  );
}

/** The statement with each selectinPolymorphic root's entity selected without the named subclasses' tables. */
function withPolymorphicEntities(stmt: Select<any>, roots: readonly RootPlan[], omitted: Map<RootPlan, ReadonlySet<Table<any, any>>>): Select<any> {
  const polymorphic = roots.filter((r) => r.polymorphic !== undefined);
  if (polymorphic.length === 0) return stmt;
  const items: SelectItem[] = [];
  let entity = 0;
  let changed = false;
  for (const item of stmt.items) {
    if (!isSelectableEntity(item)) {
      items.push(item);
      continue;
    }
    const slot = stmt.entitySlots[entity++];
    const selected = mapperOfDescriptor(slot.descriptor);
    const classes = polymorphic.filter((r) => r.key === slot.key).flatMap((r) => r.polymorphic!);
    const reduced = selected === undefined || classes.length === 0 ? undefined : polymorphicEntity(selected, classes);
    if (reduced === undefined) {
      items.push(item);
      continue;
    }
    for (const r of polymorphic) if (r.key === slot.key) omitted.set(r, reduced.omitted);
    items.push(reduced.entity);
    changed = true;
  }
  return changed ? stmt.withOnlyColumns(...items) : stmt;
}

/**
 * Loads `children` on `states`, then the levels below each; what a level loaded then gets
 * its own class's eager defaults (`lazy: 'selectin'`) that the options do not name.
 */
async function loadLevels(
  run: LoadRun,
  states: readonly InstanceState[],
  children: ReadonlyMap<string, LoadNode>,
  criteria: Criteria,
  ownersQuery: Select<any> | undefined,
  params: ExecuteParams | undefined,
): Promise<void> {
  if (states.length === 0) return;
  const overwrite = run.overwrite;
  for (const node of children.values()) {
    const rel = node.rel;
    let below: Select<any> | undefined;
    const polymorphic = node.polymorphic === undefined ? undefined : polymorphicEntity(rel.target, node.polymorphic);
    // Without the owners' own statement there is nothing to nest: refused rather than loaded by IN under another name.
    if (node.strategy === 'subquery' && ownersQuery === undefined) throw subqueryError(node);
    switch (node.strategy) {
      case 'selectin':
      case 'subquery':
        below = (
          await loadLevel(run.queries, states, rel, overwrite, {
            children: node.children,
            criteria,
            ownersQuery: node.strategy === 'subquery' ? ownersQuery : undefined,
            params,
            entity: polymorphic?.entity,
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
    if (node.children.size === 0 && rel.target.eagerRelationships.length === 0 && polymorphic === undefined) continue;
    const next = related(states, rel.name);
    if (polymorphic !== undefined) await loadPolymorphicColumns(run.queries.rows, next, polymorphic.omitted);
    if (node.children.size > 0) await loadLevels(run, next, node.children, criteria, below, params);
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
