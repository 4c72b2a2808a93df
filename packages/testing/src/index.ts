/**
 * @athanor/testing — the dialect compliance suite. A dialect package runs it against its live
 * database from one jest file: `runComplianceSuite({ name, url, setup, teardown })`. Also the
 * reflection round-trip schema and checks a dialect's own reflection tests build on.
 */
export { runComplianceSuite, type ComplianceConfig } from './suite';
export { requirementSkips, hasCapability, type RequirementSkip } from './requirements';
export type { SuiteContext } from './context';
export { describeType } from './describe-type';
export { buildRoundTripSchema, reflectedRoundTripTables, type RoundTripSchemaOptions } from './round-trip/schema';
export { expectColumnsRoundTrip, expectRowsRoundTrip, type RowsRoundTripOptions } from './round-trip/checks';
export { liveServer, reachable, serversRequired, type LiveServer } from './live-server';
export { TcpEndpoint, freePort, openEndpoint } from './tcp-endpoint';
export {
  adminSQL,
  canLogIn,
  describeEach,
  mysqlTestDatabase,
  postgresTestDatabase,
  sqliteTestDatabase,
  testDatabases,
  testServerUrl,
  uniqueName,
  withDatabase,
  type FreshDatabase,
  type PostgresTestDatabaseOptions,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-databases';
export { runFaultSuite, until, type FaultServer, type FaultContext } from './faults/suite';
export { setTestRunner, type TestRunner } from './runner';
export { transactionFailingFirst, type RetryProbe } from './retry-probe';
