import { MigrateError } from '../errors';
import type { RevisionGraph } from './graph';

/**
 * Branch-relative targets (Alembic's): `label@base`, `label@+N`, `label@-N` move one branch
 * only, whatever the other branches do. A branch is its labelled revision and the revisions
 * that descend from it along down revisions; where it stands is its last applied revision.
 */
export const BRANCH_TARGET = /^(.+)@(base|[+-]\d+)$/;

const list = (ids: readonly string[]) => ids.map((i) => `'${i}'`).join(', ');

interface Branch {
  label: string;
  root: string;
  members: Set<string>;
}

function branchOf(graph: RevisionGraph, label: string): Branch {
  const root = graph.labelled(label) ?? graph.resolveId(label);
  const members = new Set([root]);
  const stack = [root];
  while (stack.length) {
    for (const c of graph.children(stack.pop()!)) {
      if (!members.has(c)) {
        members.add(c);
        stack.push(c);
      }
    }
  }
  return { label, root, members };
}

/** The branch's last applied revision; undefined when none of it is applied. */
function position(graph: RevisionGraph, b: Branch, applied: ReadonlySet<string>): string | undefined {
  const mine = [...b.members].filter((id) => applied.has(id));
  const tips = mine.filter((id) => !graph.children(id).some((c) => b.members.has(c) && applied.has(c)));
  if (tips.length > 1) throw new MigrateError(`Branch '${b.label}' stands at several revisions (${list(tips)}): name the revision instead.`);
  return tips[0];
}

/** `upgrade label@+N`: N revisions further along the branch from where it stands. */
export function branchUpgradeTarget(graph: RevisionGraph, target: string, applied: ReadonlySet<string>): string {
  const [, label, where] = BRANCH_TARGET.exec(target)!;
  if (where === 'base') throw new MigrateError(`'upgrade ${target}': a branch's base is where it starts; upgrade to '${label}@+1' or '${label}', or use \`athanor downgrade ${target}\` to remove the branch.`);
  if (where.startsWith('-')) throw new MigrateError(`'upgrade ${target}' moves backwards: use \`athanor downgrade ${target}\`.`);
  const b = branchOf(graph, label);
  const n = Number(where.slice(1));
  let at = position(graph, b, applied);
  for (let i = 0; i < n; i++) {
    const next = at === undefined ? [b.root] : graph.children(at).filter((c) => b.members.has(c));
    if (next.length === 0) throw new MigrateError(`Cannot move ${n} step(s) forward on branch '${label}': '${at}' is its head after ${i} step(s).`);
    if (next.length > 1) throw new MigrateError(`Moving forward on branch '${label}' from '${at}' is ambiguous: it branches to ${list(next)}. Name the revision.`);
    at = next[0];
  }
  return at!;
}

/**
 * `downgrade label@base` (the whole branch) or `label@-N` (N revisions back from where it
 * stands): the revisions to undo, with whatever was built on them (merges, dependants).
 */
export function branchDowngradeUndo(graph: RevisionGraph, target: string, applied: ReadonlySet<string>): Set<string> {
  const [, label, where] = BRANCH_TARGET.exec(target)!;
  if (where.startsWith('+')) throw new MigrateError(`'downgrade ${target}' moves forwards: use \`athanor upgrade ${target}\`.`);
  const b = branchOf(graph, label);
  let keep: string | undefined;
  if (where !== 'base') {
    const n = Number(where.slice(1));
    let at = position(graph, b, applied);
    if (at === undefined) throw new MigrateError(`'downgrade ${target}': nothing of branch '${label}' is applied.`);
    for (let i = 0; i < n && at !== undefined && b.members.has(at); i++) {
      const down: readonly string[] = graph.get(at).down;
      if (down.length > 1) throw new MigrateError(`Moving back on branch '${label}' from '${at}' is ambiguous: it merges ${list(down)}. Name the revision to go down to.`);
      at = down[0];
    }
    // Stepping back past the branch's first revision removes the whole branch.
    keep = at !== undefined && b.members.has(at) ? at : undefined;
  }
  const undo = new Set<string>();
  const after = keep === undefined ? b.members : graph.descendants(keep, false);
  for (const id of b.members) if (applied.has(id) && after.has(id)) for (const d of graph.descendants(id, true)) undo.add(d);
  return undo;
}
