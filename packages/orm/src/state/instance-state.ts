/**
 * Per-instance ORM state (SQLAlchemy's InstanceState), kept outside the user's fields: a
 * non-enumerable-in-practice symbol slot on the object points at it.
 *
 * Column values live in `values`, one slot per column in table order; `undefined` in a slot
 * of an object that has a row means "not loaded" (expired or never read). Relationships
 * live in `rels` once loaded. `committed` holds, for the attributes changed since the last
 * flush only, the value before the first change (the history base): an untouched object
 * carries no copy, and dirty checking visits the session's modified states only.
 */
import type { Mapper } from '../mapper';
import type { Relationship } from '../relationship';

/** Where an object is in its session lifecycle: `transient` (new), `pending` (added), `persistent` (has a row), `deleted`, `detached`. */
export type InstanceStatus = 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached';

/** Marks an attribute that had no loaded value before it was changed. */
export const NO_VALUE: unique symbol = Symbol('athanor.noValue');

export const STATE: unique symbol = Symbol('athanor.state');

/** What the state needs from its session (kept structural: state does not import the session). */
export interface StateOwner {
  /** The state had its first change since the last flush. */
  stateModified(state: InstanceState): void;
  /** The loaded object a many-to-one's foreign key names, if the session has it. */
  parentByForeignKey(state: InstanceState, rel: Relationship): object | undefined;
}

interface Extra {
  mutableSnapshots?: Map<number, string>;
  flagged?: Set<number>;
  pendingAppends?: Map<string, object[]>;
  pendingRemoves?: Map<string, object[]>;
}

const MODIFIED = 1;
const MARKED = 2;
const DELETED = 4;
const EXPIRED = 8;

export class InstanceState {
  session: StateOwner | undefined = undefined;
  /** Identity within the mapper once a row exists (the primary key value, or a joined string for composite keys). */
  key: unknown = undefined;
  /** Loaded relationship values by name: a list for collections, an object or null otherwise. */
  rels: Record<string, unknown> | undefined = undefined;
  /** Values before the first change since the last flush, by attribute name (columns and relationships). */
  committed: Record<string, unknown> | undefined = undefined;
  /** Rarely used state (mutable snapshots, flagged columns, pending appends), made on first use. */
  private extra: Extra | undefined = undefined;
  /** modified, markedForDelete, deleted, expired: one small integer instead of four fields. */
  private flags = 0;

  /** JSON text of mutable (JSON) values as first read, to see in-place changes at flush. */
  get mutableSnapshots(): Map<number, string> | undefined {
    return this.extra?.mutableSnapshots;
  }
  set mutableSnapshots(v: Map<number, string> | undefined) {
    if (v !== undefined || this.extra !== undefined) (this.extra ??= {}).mutableSnapshots = v;
  }
  /** Columns `flagModified()` marked as changed whatever their value. */
  get flagged(): Set<number> | undefined {
    return this.extra?.flagged;
  }
  set flagged(v: Set<number> | undefined) {
    if (v !== undefined || this.extra !== undefined) (this.extra ??= {}).flagged = v;
  }
  /** Many-to-one sides set towards an object whose collection is not loaded: children to cascade to at flush. */
  get pendingAppends(): Map<string, object[]> | undefined {
    return this.extra?.pendingAppends;
  }
  set pendingAppends(v: Map<string, object[]> | undefined) {
    if (v !== undefined || this.extra !== undefined) (this.extra ??= {}).pendingAppends = v;
  }
  /** Members queued for removal from write-only collections (`lazy: 'writeOnly'`), written at flush. */
  get pendingRemoves(): Map<string, object[]> | undefined {
    return this.extra?.pendingRemoves;
  }
  set pendingRemoves(v: Map<string, object[]> | undefined) {
    if (v !== undefined || this.extra !== undefined) (this.extra ??= {}).pendingRemoves = v;
  }
  /** In the session's modified set. */
  get modified(): boolean {
    return (this.flags & MODIFIED) !== 0;
  }
  set modified(v: boolean) {
    this.flags = v ? this.flags | MODIFIED : this.flags & ~MODIFIED;
  }
  /** Marked with session.delete(), not flushed yet. */
  get markedForDelete(): boolean {
    return (this.flags & MARKED) !== 0;
  }
  set markedForDelete(v: boolean) {
    this.flags = v ? this.flags | MARKED : this.flags & ~MARKED;
  }
  /** Its DELETE was flushed (status 'deleted' until commit, then detached). */
  get deleted(): boolean {
    return (this.flags & DELETED) !== 0;
  }
  set deleted(v: boolean) {
    this.flags = v ? this.flags | DELETED : this.flags & ~DELETED;
  }
  /** Some attribute was expired: a query that returns the row fills the missing ones. */
  get expired(): boolean {
    return (this.flags & EXPIRED) !== 0;
  }
  set expired(v: boolean) {
    this.flags = v ? this.flags | EXPIRED : this.flags & ~EXPIRED;
  }

  constructor(
    readonly mapper: Mapper,
    readonly obj: object,
    /** Column values in table order. */
    public values: unknown[],
  ) {}

  get hasIdentity(): boolean {
    return this.key !== undefined;
  }

  /** Called before an attribute changes: records its previous value once, and joins the modified set. */
  willChange(name: string, previous: unknown): void {
    const c = (this.committed ??= historyRecord());
    if (!(name in c)) c[name] = previous;
    if (!this.modified) {
      this.modified = true;
      this.session?.stateModified(this);
    }
  }

  /** Marks the state modified without recording a value (collections and mutable values compare at flush). */
  touch(): void {
    if (!this.modified) {
      this.modified = true;
      this.session?.stateModified(this);
    }
  }

  /** Forgets history: the current values are the committed ones (after a flush or a load). */
  resetHistory(): void {
    this.committed = undefined;
    this.extra = undefined;
    this.flags &= ~MODIFIED;
  }
}

/**
 * A new `committed` record: prototype-less, so it is a dictionary from the start. Its keys
 * come in any order and are deleted again; as ordinary objects each order would make its own
 * chain of hidden classes, dropped at a full garbage collection with the optimized code that
 * reads them (see util/shape-anchors.ts).
 */
export function historyRecord(): Record<string, unknown> {
  return Object.create(null);
}

export function stateOf(obj: object): InstanceState {
  const s = (obj as { [STATE]?: InstanceState })[STATE];
  if (s === undefined || s.obj !== obj) throw new TypeError(`${describe(obj)} is not an instance of a mapped class.`);
  return s;
}

export function maybeState(obj: unknown): InstanceState | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const s = (obj as { [STATE]?: InstanceState })[STATE];
  return s !== undefined && s.obj === obj ? s : undefined;
}

export function attachState(obj: object, mapper: Mapper, values: unknown[]): InstanceState {
  const s = new InstanceState(mapper, obj, values);
  (obj as { [STATE]?: InstanceState })[STATE] = s;
  return s;
}

/** SQLAlchemy's five object states. */
export function statusOf(obj: object): InstanceStatus {
  const s = stateOf(obj);
  if (s.key === undefined) return s.session ? 'pending' : 'transient';
  if (s.deleted) return s.session ? 'deleted' : 'detached';
  return s.session ? 'persistent' : 'detached';
}

function describe(obj: unknown): string {
  const name = (obj as any)?.constructor?.name;
  return name ? `This ${name} object` : String(obj);
}
