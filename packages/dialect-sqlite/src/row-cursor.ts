/**
 * The rows of a SELECT that a Result has not read yet (`QueryOptions.fewRows`): the
 * statement's iterator, stepped only when the Result asks for more. An open iterator keeps
 * the whole connection busy (better-sqlite3 refuses other statements meanwhile) and its
 * read lock held, so the connection calls `detach()` before it runs anything else, and at
 * the end of the event-loop turn: the rest is read into memory and the iterator ends.
 */
import type { RowCursor } from '@athanor/core';
import { normalizeRow } from './statements';

export interface CursorOwner {
  /** The cursor's iterator ended (read to its end, failed, or closed). */
  cursorEnded(cursor: SQLiteRowCursor): void;
}

export class SQLiteRowCursor implements RowCursor {
  private it: Iterator<unknown[]> | undefined;
  /** Rows read by `detach()`, handed out from `at`. */
  private buffered: unknown[][] | undefined = undefined;
  private at = 0;
  /** An error `detach()` met, thrown once the buffered rows are read. */
  private failure: unknown = undefined;

  constructor(
    it: Iterator<unknown[]>,
    /** Rows hold bigints (safeIntegers): numbers where they fit. */
    private readonly exact: boolean,
    private readonly owner: CursorOwner,
  ) {
    this.it = it;
  }

  next(): unknown[] | undefined {
    const buffered = this.buffered;
    if (buffered !== undefined) {
      if (this.at < buffered.length) return buffered[this.at++];
      const failure = this.failure;
      this.failure = undefined;
      if (failure !== undefined) throw failure;
      return undefined;
    }
    return this.step();
  }

  rest(): unknown[][] {
    const out: unknown[][] = [];
    for (let row = this.next(); row !== undefined; row = this.next()) out.push(row);
    return out;
  }

  close(): void {
    const it = this.it;
    if (it !== undefined) {
      this.end();
      it.return?.();
    }
    this.buffered = [];
    this.failure = undefined;
  }

  /** Reads the rest into memory and ends the iterator: the connection is free again. */
  detach(): void {
    if (this.it === undefined) return;
    const rows: unknown[][] = [];
    try {
      for (let row = this.step(); row !== undefined; row = this.step()) rows.push(row);
    } catch (e) {
      this.failure = e;
    }
    this.buffered = rows;
    this.at = 0;
  }

  /** One row from the iterator, or undefined at its end (which ends the cursor). */
  private step(): unknown[] | undefined {
    const it = this.it;
    if (it === undefined) return undefined;
    let r: IteratorResult<unknown[]>;
    try {
      r = it.next();
    } catch (e) {
      this.end();
      throw e;
    }
    if (r.done === true) {
      this.end();
      return undefined;
    }
    return this.exact ? normalizeRow(r.value) : r.value;
  }

  private end(): void {
    this.it = undefined;
    this.owner.cursorEnded(this);
  }
}
