/**
 * The connection of a ShardedSession's transaction: a router over the shards' engines, built
 * on session binds' router (BoundConnections). Each shard's engine gets a connection and a
 * transaction at its first statement; every statement runs on the shard the session's
 * current step names (ShardScope); commit and rollback end every transaction begun, one
 * engine after the other, with the same rule as binds: if a later shard's COMMIT fails, the
 * shards committed before it stay committed and the error names them.
 */
import { type ClauseElement, type Connection, type Engine, InvalidRequestError, type Table } from '@athanor/core';
import { BoundConnections } from '../session/binds';
import type { ShardScope } from './identity-map';

export class ShardedConnections extends BoundConnections {
  constructor(
    private readonly shards: ReadonlyMap<string, Engine>,
    private readonly scope: ShardScope,
  ) {
    super(shards.values().next().value as Engine, new Map());
  }

  /** The dialect of the shard the current step runs on (shards may be on different kinds of database). */
  override get dialect() {
    const shard = this.scope.shard;
    return shard === undefined ? this.engine.dialect : this.shards.get(shard)!.dialect;
  }

  /** The connection, in the session's transaction, of one shard. */
  shardConnection(shard: string): Promise<Connection> {
    return this.connectionOf(this.shards.get(shard)!);
  }

  protected override describe(engine: Engine): string {
    const ids = [...this.shards].filter(([, e]) => e === engine).map(([id]) => `'${id}'`);
    return `shard ${ids.join('/')} (${engine.url.display})`;
  }

  override forTable(_table: Table<any, any>): Promise<Connection> {
    return this.route(undefined);
  }

  override async beginNested(): Promise<never> {
    throw new InvalidRequestError('beginNested(): savepoints are not supported on a ShardedSession (a savepoint would have to span every shard); run the work that needs a savepoint in a Session on the shard\'s engine.');
  }

  protected override route(_statement: ClauseElement | undefined): Promise<Connection> {
    const shard = this.scope.shard;
    if (shard === undefined) {
      return Promise.reject(
        new InvalidRequestError('ShardedSession: this statement was run outside session.execute()/get()/flush(), so it names no shard; use session.connection({ shardId }) for the connection of one shard.'),
      );
    }
    return this.shardConnection(shard);
  }
}
