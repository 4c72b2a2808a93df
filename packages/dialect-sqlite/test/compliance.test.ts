import { runComplianceSuite } from '@athanor/testing';

// In memory: each engine is its own empty database, so no cleanup is needed.
runComplianceSuite({ name: 'sqlite', url: 'sqlite://' });
