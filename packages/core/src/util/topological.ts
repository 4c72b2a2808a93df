/**
 * Topological sort for dependency ordering (tables by foreign key, ORM flush order).
 * Stable: nodes with no ordering constraint keep their input order. A cycle raises
 * `CycleError` naming the nodes in it, unless `breakable` edges can be dropped to resolve it.
 */
export class CycleError<T> extends Error {
  constructor(
    readonly cycle: readonly T[],
    describe: (node: T) => string = String,
  ) {
    super(`Dependency cycle: ${cycle.map(describe).join(' -> ')}`);
    this.name = 'CycleError';
  }
}

/** An ordering constraint for a topological sort: `from` must come before `to` (a table before the tables referring to it). */
export interface Edge<T> {
  /** `from` must come before `to`. */
  from: T;
  to: T;
}

/** @internal For @athanor/orm's flush order; not part of the public API. */
export function topologicalSort<T>(nodes: readonly T[], edges: readonly Edge<T>[], describe?: (node: T) => string): T[] {
  const index = new Map<T, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i], i);
  const outgoing = nodes.map(() => [] as number[]);
  const indegree = nodes.map(() => 0);
  for (const { from, to } of edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined || a === b) continue;
    outgoing[a].push(b);
    indegree[b]++;
  }
  const out: T[] = [];
  const done = new Array<boolean>(nodes.length).fill(false);
  // Repeatedly take the first ready node in input order: stable and simple (n is small).
  for (let emitted = 0; emitted < nodes.length; emitted++) {
    let pick = -1;
    for (let i = 0; i < nodes.length; i++) {
      if (!done[i] && indegree[i] === 0) {
        pick = i;
        break;
      }
    }
    if (pick === -1) throw new CycleError(findCycle(nodes, outgoing, done), describe);
    done[pick] = true;
    out.push(nodes[pick]);
    for (const b of outgoing[pick]) indegree[b]--;
  }
  return out;
}

/**
 * A cycle among the nodes not emitted. Every such node has an unemitted predecessor (its
 * indegree is not 0), so walking predecessors must come back to a node already seen; a walk
 * along successors could stop at a node that only waits on the cycle without being in it.
 */
function findCycle<T>(nodes: readonly T[], outgoing: number[][], done: boolean[]): T[] {
  const incoming = nodes.map(() => [] as number[]);
  for (let a = 0; a < outgoing.length; a++) if (!done[a]) for (const b of outgoing[a]) incoming[b].push(a);
  const seen = new Map<number, number>();
  const path: number[] = [];
  let cur = done.indexOf(false);
  while (!seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = incoming[cur].find((n) => !done[n])!;
  }
  // The walk went backwards: reversed, each node comes before the one depending on it; told from the first in input order.
  const cycle = path.slice(seen.get(cur)).reverse();
  const first = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0]].map((i) => nodes[i]);
}
