/** What each group of compliance tests is handed: the live engine, the tables, and `requires`. */
import type { Engine, EngineOptions } from '@athanor/core';
import type { Fixtures } from './fixtures';

export type TestFn = () => Promise<void>;

export interface SuiteContext {
  /** The engine connected in beforeAll (valid inside tests only). */
  readonly engine: Engine;
  readonly t: Fixtures;
  /** The URL the engine uses, for tests that need an engine of their own (pool limits). */
  readonly url: string;
  readonly engineOptions: EngineOptions;
  /** Registers a test that runs only when every named capability is present. */
  requires(capabilities: readonly string[], title: string, fn: TestFn, timeout?: number): void;
  /** Registers a test every dialect must pass. */
  test(title: string, fn: TestFn, timeout?: number): void;
  /** Deletes every fixture row and loads the standard users and posts. */
  reload(): Promise<void>;
}
