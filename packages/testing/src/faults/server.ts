/**
 * What the fault suite needs to know of a server, supplied by each dialect's test file: how
 * to name, list, kill and watch sessions, a statement that sleeps, and how to stop the test
 * user from logging in (a real connect failure). Plus `until()`, the suite's one way to wait:
 * on an observed condition, polled a bounded number of times, never on a wall-clock bound.
 */
import type { Connection, EngineOptions } from '@athanor/core';

export interface FaultServer {
  /** Shown as the top-level describe name, e.g. 'postgresql'. */
  name: string;
  /** The superuser URL: creates the test user and database, kills sessions. */
  adminUrl: string;
  /** The URL the engines under test use: the suite's own user, in its own schema/database. */
  url: string;
  engineOptions?: EngineOptions;
  /** Creates the test user and its schema/database (run on an admin connection). */
  setup(admin: Connection): Promise<void>;
  /** Drops them again (sessions of the user are killed first by the suite). */
  teardown(admin: Connection): Promise<void>;
  /** A statement returning the current session's id. */
  sessionIdSQL: string;
  /** Ids of the test user's sessions the server has now. */
  sessions(admin: Connection): Promise<number[]>;
  /** What session `id` is running now (its SQL), or null when it is idle or gone. */
  running(admin: Connection, id: number): Promise<string | null>;
  /** Ends session `id` from the server side (pg_terminate_backend, KILL). */
  kill(admin: Connection, id: number): Promise<void>;
  /** A statement that runs for `seconds` seconds on the server. */
  sleepSQL(seconds: number): string;
  /** Allows or refuses new logins of the test user. */
  setLogin(admin: Connection, allowed: boolean): Promise<void>;
  /**
   * Optional: keeps a COMMIT in flight on the server so the suite can kill the session during
   * it. `prepare` runs before the transaction, on a connection of the test user (PostgreSQL:
   * a deferred constraint trigger on `table` that sleeps at COMMIT); `afterWrite` runs inside
   * the transaction once its row is written (MariaDB has no deferred triggers: another session
   * takes `FLUSH TABLES WITH READ LOCK`, which a COMMIT of written rows waits for). Each
   * returns what undoes it, run after the kill on a connection of the test user.
   */
  stallCommit?: {
    prepare?(conn: Connection, table: string): Promise<Undo>;
    afterWrite?(): Promise<Undo>;
  };
}

/** Undoes what a fault setup did (drops a trigger, releases a lock), given a connection of the test user. */
export type Undo = (conn: Connection) => Promise<void>;

/** Waits until `check()` holds, polling at most `tries` times (20 ms apart); fails naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Waited for ${what}, and it never happened.`);
}
