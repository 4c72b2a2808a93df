import type { RevisionGraph } from '../revision/graph';
import { BRANCH_TARGET, branchDowngradeUndo } from '../revision/branch-target';
import { downgradeTarget, upgradeTargets } from '../revision/target';

/** One revision to run, and the version table's heads before and after it. */
export interface Step {
  revision: string;
  direction: 'upgrade' | 'downgrade';
  headsBefore: string[];
  headsAfter: string[];
}

/** The revisions an upgrade applies, parents (and dependencies) first. */
export function planUpgrade(graph: RevisionGraph, target: string, heads: readonly string[]): Step[] {
  const applied = graph.ancestors(heads);
  const wanted = graph.ancestors(upgradeTargets(graph, target, heads));
  const steps: Step[] = [];
  let current = [...heads];
  for (const id of graph.order) {
    if (!wanted.has(id) || applied.has(id)) continue;
    applied.add(id);
    const next = graph.headsOf(applied);
    steps.push({ revision: id, direction: 'upgrade', headsBefore: current, headsAfter: next });
    current = next;
  }
  return steps;
}

/** The revisions a downgrade undoes, children (and dependants) first. */
export function planDowngrade(graph: RevisionGraph, target: string, heads: readonly string[]): Step[] {
  const applied = graph.ancestors(heads);
  let undo: Set<string>;
  if (BRANCH_TARGET.test(target)) undo = branchDowngradeUndo(graph, target, applied);
  else {
    const keep = downgradeTarget(graph, target, heads);
    undo = keep === undefined ? new Set(applied) : graph.descendants(keep, false);
  }
  const steps: Step[] = [];
  let current = [...heads];
  for (const id of [...graph.order].reverse()) {
    if (!undo.has(id) || !applied.has(id)) continue;
    applied.delete(id);
    const next = graph.headsOf(applied);
    steps.push({ revision: id, direction: 'downgrade', headsBefore: current, headsAfter: next });
    current = next;
  }
  return steps;
}

/** The heads the version table holds after `stamp <target>` ('base' empties it). */
export function stampHeads(graph: RevisionGraph, target: string, heads: readonly string[]): string[] {
  if (target === 'base') return [];
  return graph.headsOf(graph.ancestors(upgradeTargets(graph, target, heads)));
}
