/**
 * The three test databases for CLI tests: each test file gets its own SQLite file, PostgreSQL
 * database or MariaDB database (named athanor_mig_<pid>_<rand>), reachable by URL alone as
 * the `athanor` command needs: @athanor/testing's test databases, gated by a driver login.
 * A server that cannot be reached skips its suites with one loud line outside CI and fails
 * with CI=true or ATHANOR_REQUIRE_SERVERS=1.
 */
import { join } from 'node:path';
import { type TestDatabase, describeEach as describeEachOf, testDatabases } from '@athanor/testing';

export type { FreshDatabase, TestDatabase } from '@athanor/testing';

const packages = join(__dirname, '..', '..');

export const databases: TestDatabase[] = testDatabases({
  what: 'migrate live tests',
  prefix: 'athanor_mig',
  postgresIsolation: 'database',
  driverPaths: [join(packages, 'dialect-postgres'), join(packages, 'dialect-mysql')],
});

/** `describe` for an available database, `describe.skip` (announced above) otherwise. */
export function describeEach(fn: (db: TestDatabase) => void): void {
  describeEachOf(databases, fn);
}
