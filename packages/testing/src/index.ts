/**
 * @athanor/testing — the dialect compliance suite. A dialect package runs it against its live
 * database from one jest file: `runComplianceSuite({ name, url, setup, teardown })`.
 */
export { runComplianceSuite, type ComplianceConfig } from './suite';
export { requirementSkips, hasCapability, type RequirementSkip } from './requirements';
export type { SuiteContext } from './context';
