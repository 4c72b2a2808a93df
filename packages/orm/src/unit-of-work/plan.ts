/** The data shared by the flush stages: what the flush reads from the session and what it plans to write. */
import type { Relationship } from '../relationship';

/** What the flush reads and changes in the session. */
export interface FlushTarget {
  readonly identityMap: Map<string, object>;
  readonly pending: Set<object>;
  readonly toDelete: Set<object>;
  /** Receives the objects this flush inserted. */
  readonly inserted: Set<object>;
  readonly self: object;
}

/** A foreign-key dependency: `many`'s columns take `one`'s referenced values. */
export interface Dependency {
  one: object;
  many: object;
  rel: Relationship;
}

export interface Plan {
  inserts: object[];
  updates: Map<object, Record<string, unknown>>;
  deletes: object[];
  deps: Dependency[];
}

export function asList(value: unknown): object[] {
  if (Array.isArray(value)) return value;
  return value ? [value as object] : [];
}

export function syncForeignKey(d: Dependency): void {
  for (const p of d.rel.pairs) (d.many as Record<string, unknown>)[p.many] = (d.one as Record<string, unknown>)[p.one];
}
