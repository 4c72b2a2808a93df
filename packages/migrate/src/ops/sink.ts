import type { Connection } from '@athanor/core';

/**
 * Where an operation's SQL goes: executed on the migration's connection (online) or written
 * out (offline). Both receive the same strings.
 */
export interface SqlSink {
  readonly offline: boolean;
  /** The running migration's connection (online only): for reading the live schema. */
  readonly connection?: Connection;
  run(sql: string): Promise<void>;
}
