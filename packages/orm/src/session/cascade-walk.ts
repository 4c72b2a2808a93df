/**
 * The objects a session operation reaches through relationships with a given cascade
 * (SQLAlchemy's cascade_iterator): only what is loaded in memory is followed (a cascade
 * never reads the database), each object once, cycles included.
 */
import type { CascadeName } from '../relationship';
import { type InstanceState, maybeState } from '../state/instance-state';

/** The states reachable from `st` through loaded relationships carrying `cascade` (`st` itself excluded). */
export function cascadeWalk(st: InstanceState, cascade: Exclude<CascadeName, 'all'>): InstanceState[] {
  const seen = new Set<InstanceState>([st]);
  const out: InstanceState[] = [];
  const work = [st];
  for (let i = 0; i < work.length; i++) {
    const cur = work[i];
    if (cur.rels === undefined) continue;
    for (const rel of cur.mapper.relationships.values()) {
      if (!rel.cascade.has(cascade)) continue;
      const v = cur.rels[rel.name];
      for (const o of Array.isArray(v) ? v : v ? [v as object] : []) {
        const os = maybeState(o);
        if (os === undefined || seen.has(os)) continue;
        seen.add(os);
        out.push(os);
        work.push(os);
      }
    }
  }
  return out;
}
