/**
 * Per-instance ORM state, kept in a WeakMap so mapped objects carry no visible bookkeeping.
 * Lifecycle (SQLAlchemy's): transient → pending (added) → persistent (flushed or loaded)
 * → deleted (flushed DELETE) → detached (session closed or rolled back).
 */
import type { Mapper } from './mapper';

export type InstanceStatus = 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached';

export interface InstanceState {
  readonly mapper: Mapper;
  /** The owning session (typed loosely: state must not import the session). */
  session: object | undefined;
  /** Identity key once the row exists in the database. */
  key: string | undefined;
  /** Column values as last loaded or flushed: the base of dirty checking. */
  committed: Record<string, unknown> | undefined;
  /** Loaded relationship values by name (an array for collections, an object or null otherwise). */
  readonly rels: Map<string, unknown>;
  /** Collection members as last loaded or flushed: removed members are orphans. */
  readonly relSnapshot: Map<string, readonly object[]>;
  deleted: boolean;
}

const states = new WeakMap<object, InstanceState>();

export function stateOf(obj: object): InstanceState {
  const s = states.get(obj);
  if (!s) throw new TypeError(`${describe(obj)} is not an instance of a mapped class.`);
  return s;
}

export function maybeState(obj: unknown): InstanceState | undefined {
  return typeof obj === 'object' && obj !== null ? states.get(obj) : undefined;
}

export function attachState(obj: object, mapper: Mapper): InstanceState {
  const s: InstanceState = { mapper, session: undefined, key: undefined, committed: undefined, rels: new Map(), relSnapshot: new Map(), deleted: false };
  states.set(obj, s);
  return s;
}

export function statusOf(obj: object): InstanceStatus {
  const s = stateOf(obj);
  if (s.deleted) return 'deleted';
  if (s.key === undefined) return s.session ? 'pending' : 'transient';
  return s.session ? 'persistent' : 'detached';
}

function describe(obj: unknown): string {
  const name = (obj as any)?.constructor?.name;
  return name ? `This ${name} object` : String(obj);
}
