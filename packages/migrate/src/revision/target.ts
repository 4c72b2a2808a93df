import { MigrateError } from '../errors';
import { BRANCH_TARGET, branchUpgradeTarget } from './branch-target';
import type { RevisionGraph } from './graph';

const list = (ids: readonly string[]) => ids.map((i) => `'${i}'`).join(', ');

/** A revision id, unique prefix, branch label, or `label@head`: the revision it names. */
export function resolveRevision(graph: RevisionGraph, text: string): string {
  if (text.endsWith('@head')) return branchHead(graph, text.slice(0, -5));
  const labelled = graph.labelled(text);
  if (labelled) return labelled;
  return graph.resolveId(text);
}

/** The one head that descends from a branch label's revision. */
function branchHead(graph: RevisionGraph, label: string): string {
  const start = graph.labelled(label) ?? graph.resolveId(label);
  const heads = graph.heads.filter((h) => graph.ancestors([h], true, true).has(start));
  if (heads.length !== 1) throw new MigrateError(`Branch '${label}' has ${heads.length} heads (${list(heads)}); name one of them.`);
  return heads[0];
}

/** The one head of the graph; an error naming them all when there are several. */
export function singleHead(graph: RevisionGraph): string {
  const heads = graph.heads;
  if (heads.length === 0) throw new MigrateError('There are no revisions yet: run `athanor revision -m "..."` first.');
  if (heads.length > 1) {
    throw new MigrateError(`Multiple heads: ${list(heads)}. Upgrade to 'heads' (all of them), to one of them or a branch label, or join them with \`athanor merge -m "merge" ${heads.join(' ')}\`.`);
  }
  return heads[0];
}

/** Walks `n` steps forward along children from `from` (a set of current heads; empty means base). */
function stepForward(graph: RevisionGraph, from: readonly string[], n: number): string {
  let at: string | undefined;
  if (from.length > 1) throw new MigrateError(`'+${n}' is ambiguous with several current heads (${list(from)}): give '<rev>+${n}' or a branch label.`);
  at = from[0];
  for (let i = 0; i < n; i++) {
    const next: readonly string[] = at === undefined ? graph.bases : graph.children(at);
    if (next.length === 0) throw new MigrateError(`Cannot move ${n} step(s) forward: '${at ?? 'base'}' has no later revision after ${i} step(s).`);
    if (next.length > 1) throw new MigrateError(`Moving forward from '${at ?? 'base'}' is ambiguous: it branches to ${list(next)}. Name the revision or branch label.`);
    at = next[0];
  }
  return at!;
}

/** Walks `n` steps back along down revisions; undefined means base. */
function stepBack(graph: RevisionGraph, from: string, n: number): string | undefined {
  let at: string | undefined = from;
  for (let i = 0; i < n; i++) {
    if (at === undefined) throw new MigrateError(`Cannot move ${n} step(s) back from '${from}': base reached after ${i} step(s).`);
    const down: readonly string[] = graph.get(at).down;
    if (down.length > 1) throw new MigrateError(`Moving back from '${at}' is ambiguous: it merges ${list(down)}. Name the revision to go down to.`);
    at = down[0];
  }
  return at;
}

const RELATIVE = /^(.*?)([+-])(\d+)$/;

/** The revisions to reach on `upgrade <target>` (their ancestors are applied too). */
export function upgradeTargets(graph: RevisionGraph, target: string, currentHeads: readonly string[]): string[] {
  if (target === 'heads') return graph.heads;
  if (target === 'head') return [singleHead(graph)];
  if (target === 'base') return [];
  if (BRANCH_TARGET.test(target)) return [branchUpgradeTarget(graph, target, graph.ancestors(currentHeads))];
  const rel = RELATIVE.exec(target);
  if (rel) {
    const [, base, sign, digits] = rel;
    if (sign === '-') throw new MigrateError(`'upgrade ${target}' moves backwards: use \`athanor downgrade ${target}\`.`);
    const from = base ? [resolveRevision(graph, base)] : currentHeads;
    return [stepForward(graph, from, Number(digits))];
  }
  return [resolveRevision(graph, target)];
}

/**
 * The revision to keep on `downgrade <target>` (everything applied after it is undone);
 * undefined means base (undo everything).
 */
export function downgradeTarget(graph: RevisionGraph, target: string, currentHeads: readonly string[]): string | undefined {
  if (target === 'base') return undefined;
  if (target === 'head' || target === 'heads') throw new MigrateError(`'downgrade ${target}' does not move anything down: give base, -N, or a revision.`);
  const rel = RELATIVE.exec(target);
  if (rel) {
    const [, base, sign, digits] = rel;
    if (sign === '+') throw new MigrateError(`'downgrade ${target}' moves forwards: use \`athanor upgrade ${target}\`.`);
    let from: string;
    if (base) from = resolveRevision(graph, base);
    else {
      if (currentHeads.length === 0) throw new MigrateError('Nothing is applied: the database is at base.');
      if (currentHeads.length > 1) throw new MigrateError(`'-${digits}' is ambiguous with several current heads (${list(currentHeads)}): give '<rev>-${digits}' or a revision.`);
      from = currentHeads[0];
    }
    return stepBack(graph, from, Number(digits));
  }
  return resolveRevision(graph, target);
}
