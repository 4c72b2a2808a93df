/**
 * `runComplianceSuite(config)`: registers the shared dialect compliance tests (SQLAlchemy's
 * `testing/suite`) with jest. Tests are gated only by declared capabilities, never by name.
 */
import { type Dialect, type DialectCapabilities, type DialectPlugin, type Engine, type EngineOptions, createEngine, delete_, insert } from '@athanor/core';
import { afterAll, beforeAll, describe, expect, test } from './runner';
import type { SuiteContext, TestFn } from './context';
import { POSTS, USERS, buildFixtures } from './fixtures';
import { badValueTests } from './groups/bad-values';
import { correlationTests } from './groups/correlation';
import { dateTests } from './groups/dates';
import { ddlTests } from './groups/ddl';
import { dmlTests } from './groups/dml';
import { errorTests } from './groups/errors';
import { eventTests } from './groups/events';
import { executeManyTests } from './groups/executemany';
import { injectionTests } from './groups/injection';
import { mergeTests } from './groups/merge';
import { numberTests } from './groups/numbers';
import { poolTests } from './groups/pool';
import { reflectionTests } from './groups/reflection';
import { reportTests } from './groups/report';
import { resultTests } from './groups/results';
import { selectTests } from './groups/select';
import { transactionTests } from './groups/transactions';
import { typeTests } from './groups/types';
import { missingCapabilities, recordSkip, requirementSkips } from './requirements';

export interface ComplianceConfig {
  /** Shown as the top-level describe name, e.g. 'postgresql'. */
  name: string;
  /** The engine URL, or a function returning a fresh one (an isolated database). Called once, at registration. */
  url: string | (() => string);
  /** Schema the suite's tables live in (PostgreSQL: a fresh schema made in `setup`). */
  schema?: string;
  /** Runs before the engine connects: create the schema or database here. */
  setup?(): Promise<void>;
  /** Runs after the engine is disposed: drop the schema or database here. */
  teardown?(): Promise<void>;
  /**
   * Extra flags beyond `dialect.capabilities`: `constraints.check` (CHECK enforced, default
   * true), `inList.large` (a 100k-element in() works; default: maxParams above 100,000),
   * `reflection` (default: the plugin has `introspection`).
   */
  capabilities?: Record<string, boolean>;
  /**
   * Tests are registered synchronously, before any connection: when capabilities depend on
   * the server version, set what the dialect would learn on connect (a synchronous probe).
   * After connecting, the suite checks the registration-time capabilities were right.
   */
  prepareDialect?(dialect: Dialect): void;
  engineOptions?: EngineOptions;
  /** Only these groups (by their describe names: 'select', 'transactions'...); default all. */
  groups?: readonly string[];
}

function extraFlags(caps: DialectCapabilities, config: ComplianceConfig, plugin: DialectPlugin): Record<string, boolean> {
  // `reflection`: the plugin implements `introspection` (inspect(), metadata.reflect()).
  return { 'constraints.check': true, 'inList.large': caps.dml.maxParams > 100_000, reflection: !!plugin.introspection, ...(config.capabilities ?? {}) };
}

export function runComplianceSuite(config: ComplianceConfig): void {
  const url = typeof config.url === 'function' ? config.url() : config.url;
  const engineOptions = config.engineOptions ?? {};
  // Registration-time view of the capabilities; verified against the connected engine below.
  const planning = createEngine(url, engineOptions);
  config.prepareDialect?.(planning.dialect);
  const declared = planning.dialect.capabilities;
  const extra = extraFlags(declared, config, planning.plugin);
  void planning.dispose();

  const t = buildFixtures(config.schema);
  let engine: Engine | undefined;

  const ctx: SuiteContext = {
    get engine() {
      if (!engine) throw new Error('The compliance engine is not connected (beforeAll failed).');
      return engine;
    },
    t,
    url,
    engineOptions,
    requires(capabilities: readonly string[], title: string, fn: TestFn, timeout?: number) {
      const missing = missingCapabilities(declared, extra, capabilities);
      if (missing.length) {
        const full = `${title} [requires ${missing.join(', ')}]`;
        recordSkip({ suite: config.name, test: title, missing });
        test.skip(full, fn, timeout);
      } else {
        test(title, fn, timeout);
      }
    },
    test(title: string, fn: TestFn, timeout?: number) {
      test(title, fn, timeout);
    },
    async reload() {
      await ctx.engine.begin(async (c) => {
        await c.execute(delete_(t.posts));
        await c.execute(delete_(t.users));
        await c.execute(insert(t.users), USERS);
        await c.execute(insert(t.posts), POSTS);
      });
    },
  };

  describe(`${config.name} compliance`, () => {
    beforeAll(async () => {
      await config.setup?.();
      engine = createEngine(url, engineOptions);
      await engine.connect(async () => undefined);
      await t.metadata.createAll(engine);
    }, 60_000);

    afterAll(async () => {
      try {
        if (engine) await t.metadata.dropAll(engine);
      } finally {
        await engine?.dispose();
        await config.teardown?.();
        const mine = requirementSkips().filter((s) => s.suite === config.name);
        console.log(
          `[athanor compliance] ${config.name}: ${mine.length} capability skip(s)${mine.length ? `: ${mine.map((s) => `${s.test} [requires ${s.missing.join(', ')}]`).join('; ')}` : ''}`,
        );
      }
    }, 60_000);

    test('capabilities declared at registration match the connected server', () => {
      // Skips were decided before connecting; a mismatch means the wrong tests were skipped or run.
      expect(ctx.engine.dialect.capabilities).toEqual(declared);
    });

    const groups: [string, (ctx: SuiteContext) => void][] = [
      ['select', selectTests],
      ['insert, update, delete', dmlTests],
      ['executemany', executeManyTests],
      ['results', resultTests],
      ['types', typeTests],
      ['numbers', numberTests],
      ['correlation', correlationTests],
      ['dates', dateTests],
      ['report', reportTests],
      ['merge', mergeTests],
      ['ddl', ddlTests],
      ['transactions', transactionTests],
      ['errors', errorTests],
      ['pool', poolTests],
      ['events, echo and retries', eventTests],
      ['reflection', reflectionTests],
      ['injection', injectionTests],
      ['bad values', badValueTests],
    ];
    const unknown = config.groups?.filter((g) => !groups.some(([name]) => name === g)) ?? [];
    if (unknown.length) throw new Error(`runComplianceSuite: no group ${unknown.map((g) => `'${g}'`).join(', ')}; the groups are ${groups.map(([g]) => `'${g}'`).join(', ')}.`);
    for (const [name, tests] of groups) if (!config.groups || config.groups.includes(name)) describe(name, () => tests(ctx));
  });
}
