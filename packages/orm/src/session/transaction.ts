/**
 * The session's transactions (SQLAlchemy's SessionTransaction): the root transaction on
 * the session's connection, and one nested level per `beginNested()` (a savepoint). Each
 * records what its flushes did to objects, so that ending it can restore them: rows it
 * inserted become transient again, rows it deleted persistent again, rows it updated are
 * expired. A nested level that ends well hands its records to its parent.
 */
import type { Savepoint } from '@athanor/core';
import type { InstanceState } from '../state/instance-state';
import { keepShape } from '../util/shape-anchors';

/**
 * States recorded in batches: a flush's new rows go in as its one array, not one set entry
 * each (a state may appear twice; what reads the log does the same to it either way).
 */
export class StateLog implements Iterable<InstanceState> {
  private readonly batches: (readonly InstanceState[])[] = [];

  add(state: InstanceState): void {
    this.batches.push([state]);
  }

  /** Records `states` (the array is kept, not copied: the caller must not change it afterwards). */
  addAll(states: readonly InstanceState[]): void {
    if (states.length > 0) this.batches.push(states);
  }

  *[Symbol.iterator](): IterableIterator<InstanceState> {
    for (const b of this.batches) yield* b;
  }
}

/** `active`: usable; `inactive`: rolled back by an error inside it, waiting for its block to end; `closed`: ended. */
export type TransactionState = 'active' | 'inactive' | 'closed';

/** What a transaction handle needs from its session. */
export interface TransactionOwner {
  endTransaction(tx: SessionTransaction, commit: boolean): Promise<void>;
}

/** A session's transaction or savepoint, from `session.begin()` / `beginNested()`. */
export class SessionTransaction {
  state: TransactionState = 'active';
  /** Rows inserted by this transaction's flushes. */
  readonly inserted = new StateLog();
  /** Rows deleted by this transaction's flushes. */
  readonly deleted = new Set<InstanceState>();
  /** Rows updated by this transaction's flushes, and objects whose changes they saved through other rows (a collection). */
  readonly updated = new Set<InstanceState>();
  /** Objects added while this (nested) transaction was open. */
  readonly added = new Set<InstanceState>();
  /** Why the transaction became inactive. */
  failure: unknown = undefined;

  constructor(
    private readonly owner: TransactionOwner,
    readonly parent: SessionTransaction | undefined,
    readonly savepoint: Savepoint | undefined,
    /** Begun by begin()/beginNested(), not by autobegin. */
    readonly explicit: boolean,
  ) {}

  get nested(): boolean {
    return this.parent !== undefined;
  }

  /** Ends this transaction: a savepoint is released, the root transaction committed. */
  commit(): Promise<void> {
    return this.owner.endTransaction(this, true);
  }

  /** Ends this transaction, undoing its work and restoring the objects it touched. */
  rollback(): Promise<void> {
    return this.owner.endTransaction(this, false);
  }

  /** `await using tx = await session.begin()`: a transaction still open at the end of the block is rolled back. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.state !== 'closed') await this.rollback();
  }

  /** A nested level ended well: its parent now answers for what it did. */
  handToParent(): void {
    const p = this.parent!;
    p.inserted.addAll([...this.inserted]);
    for (const s of this.deleted) p.deleted.add(s);
    for (const s of this.updated) p.updated.add(s);
    for (const s of this.added) p.added.add(s);
  }
}

// Sessions begin transactions as they go; the shape outlives them (util/shape-anchors.ts).
keepShape(new SessionTransaction(undefined as unknown as TransactionOwner, undefined, undefined, false));
