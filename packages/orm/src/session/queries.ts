/**
 * How a session runs its reads (the SELECTs of execute(), get(), refresh() and of the
 * loaders): on a replica where its read routing sends them, else on the connection of its
 * transaction; and whether the rows read now overwrite the objects the session already
 * holds (populateExisting), which the session's entity loader asks on each identity-map hit.
 */
import type { ClauseElement, Connection, ExecuteParams, Result } from '@athanor/core';
import type { Queries } from '../loading';
import type { LoadContext } from '../mapper';
import type { SessionExecuteOptions } from './options';
import type { ReadRouting, StatementUse } from './replica-reads';

export class SessionQueries {
  /** Rows read now overwrite the session's objects for the same rows (on while such a read runs). */
  populateExisting = false;

  constructor(
    private readonly routing: ReadRouting,
    /** The connection of the session's transaction (autobegin). */
    private readonly transactionConnection: () => Promise<Connection>,
    private readonly context: LoadContext,
  ) {}

  /** Where a read runs: on a replica (the session's `reads`, the statement's `use`), else in the session's transaction. */
  connection(statement: ClauseElement | undefined, use: StatementUse): Promise<Connection> {
    let reader: Connection | undefined;
    try {
      reader = this.routing.readerFor(statement, use);
    } catch (e) {
      return Promise.reject(e);
    }
    return reader === undefined ? this.transactionConnection() : Promise.resolve(reader);
  }

  /** The loaders' queries, run where `use` (else the session's `reads`) sends them; `populate`: their objects overwrite loaded ones. */
  queries(use: StatementUse, populate: boolean): Queries {
    return { instances: (s) => this.instances(s, populate, use), rows: (s) => this.rows(s, use), result: (s, p) => this.result(s, use, p), context: this.context };
  }

  /** Runs `fn` with populateExisting on when the statement's options ask for it. */
  withPopulate<T>(opts: SessionExecuteOptions, fn: () => Promise<T>): Promise<T> {
    if (!opts.populateExisting) return fn();
    return this.populating(fn);
  }

  private async populating<T>(fn: () => Promise<T>): Promise<T> {
    this.populateExisting = true;
    try {
      return await fn();
    } finally {
      this.populateExisting = false;
    }
  }

  private async instances(statement: ClauseElement, populate: boolean, use: StatementUse): Promise<object[]> {
    const conn = await this.connection(statement, use);
    const before = this.populateExisting;
    this.populateExisting = populate || before;
    try {
      return (await conn.executeWithContext(statement, undefined, this.context)).scalars().all() as object[];
    } finally {
      this.populateExisting = before;
    }
  }

  private async result(statement: ClauseElement, use: StatementUse, params?: ExecuteParams): Promise<Result<any>> {
    const conn = await this.connection(statement, use);
    return conn.executeWithContext(statement, params, this.context);
  }

  private async rows(statement: ClauseElement, use: StatementUse): Promise<Record<string, unknown>[]> {
    const conn = await this.connection(statement, use);
    return (await conn.executeWithContext(statement, undefined, this.context)).all() as Record<string, unknown>[];
  }
}
