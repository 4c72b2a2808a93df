/**
 * The three test databases, each test in its own fresh schema (PostgreSQL) or database
 * (MariaDB/MySQL) named athanor_<pid>_<rand>: @athanor/testing's test databases, gated by a
 * driver login. A server that cannot be reached skips its suites with one loud line outside
 * CI and fails with CI=true or ATHANOR_REQUIRE_SERVERS=1.
 */
import { join } from 'node:path';
import {
  type TestDatabase,
  describeEach as describeEachOf,
  postgresTestDatabase,
  testDatabases,
} from '@athanor/testing';

export type { FreshDatabase, TestDatabase } from '@athanor/testing';

const packages = join(__dirname, '..', '..');
// The ORM has no driver of its own: the dialect packages' drivers log in for the probe.
const options = {
  what: 'ORM live tests',
  prefix: 'athanor',
  driverPaths: [join(packages, 'dialect-postgres'), join(packages, 'dialect-mysql')],
};

export const databases: TestDatabase[] = testDatabases(options);

/** The scale-out PostgreSQL primary (`scripts/scale-out/start.sh`; `max_prepared_transactions` set), made on first use. */
export function scaleOutPrimary(): TestDatabase {
  const url = process.env.ATHANOR_SCALE_PRIMARY_URL ?? 'postgresql://postgres@127.0.0.1:55432/test';
  return postgresTestDatabase({ ...options, url, label: 'PostgreSQL scale-out primary', hint: '`bash scripts/scale-out/start.sh`' });
}

/** `describe` for an available database, `describe.skip` (announced above) otherwise. */
export function describeEach(fn: (db: TestDatabase) => void): void {
  describeEachOf(databases, fn);
}
