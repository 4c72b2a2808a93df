/**
 * Shared by the compile-*.test.ts files: `expectSQL(stmt, expected)` compiles one statement
 * on the generic, SQLite, PostgreSQL and MySQL dialects and checks the exact SQL and
 * parameters, or the exact UnsupportedCompilationError message where a dialect refuses.
 */
import { type ClauseElement, Dialect, UnsupportedCompilationError } from '@athanor/core';
import { MySQLDialect } from '@athanor/dialect-mysql';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { SQLiteDialect } from '@athanor/dialect-sqlite';
import { expect } from '@jest/globals';

export type Outcome = { sql: string; params: unknown } | { error: string };
export interface Expected {
  generic: Outcome;
  sqlite: Outcome;
  postgresql: Outcome;
  mysql: Outcome;
}

export const dialects = {
  generic: new Dialect(),
  sqlite: new SQLiteDialect(),
  postgresql: new PostgresDialect(),
  // Pinned: MySQL capabilities depend on the server version, otherwise learnt at connect.
  mysql: new MySQLDialect({ serverVersion: [8, 0, 36], mariadb: false }),
};

export function outcome(stmt: ClauseElement, dialect: Dialect, params?: Record<string, unknown>): Outcome {
  try {
    const { sql, params: values } = stmt.compile(dialect, params);
    return { sql, params: values };
  } catch (e) {
    if (e instanceof UnsupportedCompilationError) return { error: e.message };
    throw e;
  }
}

export function expectSQL(stmt: ClauseElement, expected: Expected, params?: Record<string, unknown>): void {
  const actual = {
    generic: outcome(stmt, dialects.generic, params),
    sqlite: outcome(stmt, dialects.sqlite, params),
    postgresql: outcome(stmt, dialects.postgresql, params),
    mysql: outcome(stmt, dialects.mysql, params),
  };
  expect(actual).toEqual(expected);
}
