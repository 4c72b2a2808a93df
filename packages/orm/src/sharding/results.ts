/**
 * A statement run on several shards: what may run there, and one Result from the shards'
 * Results. Rows are concatenated shard after shard; a clause whose meaning is global (ORDER
 * BY, LIMIT/OFFSET, GROUP BY, DISTINCT) would hold per shard only, so it is refused rather
 * than answered wrongly; an INSERT would write its rows on every shard, so it needs one.
 */
import { type ClauseElement, InvalidRequestError, Result } from '@athanor/core';

interface SelectShape {
  kind?: string;
  orderByClauses?: readonly unknown[];
  limitClause?: unknown;
  offsetClause?: unknown;
  groupByClauses?: readonly unknown[];
  isDistinct?: boolean;
}

/** Refuses what cannot be answered by concatenating the rows of `shards.length` shards. */
export function checkMultiShard(statement: ClauseElement, shards: readonly string[]): void {
  if (shards.length < 2) return;
  const s = statement as unknown as SelectShape;
  const on = `it runs on ${shards.length} shards (${shards.join(', ')})`;
  if (s.kind === 'insert') {
    throw new InvalidRequestError(`session.execute(insert(...)): ${on} and would insert its rows on each; pass { shardId } to insert on one shard, or add objects and let shardChooser place them.`);
  }
  const perShard = [
    s.orderByClauses?.length ? 'ORDER BY' : undefined,
    s.limitClause !== undefined || s.offsetClause !== undefined ? 'LIMIT/OFFSET' : undefined,
    s.groupByClauses?.length ? 'GROUP BY' : undefined,
    s.isDistinct ? 'DISTINCT' : undefined,
  ].filter((x) => x !== undefined);
  if (perShard.length > 0) {
    throw new InvalidRequestError(
      `session.execute(): this statement's ${perShard.join(', ')} would hold per shard only: ${on} and their rows are concatenated. Leave it out and sort/limit/group the merged rows in code, narrow the query to one shard (queryChooser, or { shardId }), or run it on each shard.`,
    );
  }
}

/** One Result of the shards' Results: rows in shard order; rowcount the sum (-1 when a shard has none). */
export function mergeResults(results: readonly Result<any>[]): Result<any> {
  if (results.length === 1) return results[0];
  const rows = results.flatMap((r) => r.all());
  let count = 0;
  for (const r of results) {
    const n = r.rowcount;
    if (n < 0) {
      count = -1;
      break;
    }
    count += n;
  }
  return new Result(rows, results[0].keys(), count);
}
