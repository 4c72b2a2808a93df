/**
 * The test runner the suites register with. Nothing here imports a runner: by default the
 * functions are the globals jest (and vitest with `globals: true`) define; another runner's
 * are handed over with `setTestRunner()` before the suites are registered, e.g. vitest's
 * (`import { describe, test, beforeAll, afterAll, afterEach, expect } from 'vitest'`) or
 * node:test's (`before`/`after` as beforeAll/afterAll) with the standalone `expect` package.
 * The suites use jest's `expect` API (`toEqual`, `toThrow`, `rejects`, `expect.stringMatching`).
 */
import type { afterAll as JestAfterAll, afterEach as JestAfterEach, beforeAll as JestBeforeAll, describe as JestDescribe, expect as JestExpect, test as JestTest } from '@jest/globals';

type Fn = (...args: any[]) => any;
/** A runner's registration functions (`describe.skip` and `test.skip` are used) and its `expect`. */
export interface TestRunner {
  describe: Fn & { skip: Fn };
  test: Fn & { skip: Fn };
  beforeAll: Fn;
  afterAll: Fn;
  afterEach: Fn;
  expect: Fn;
}

const NAMES = ['describe', 'test', 'beforeAll', 'afterAll', 'afterEach', 'expect'] as const;
let configured: TestRunner | undefined;

/** Registers the suites with this runner instead of the global jest/vitest functions. */
export function setTestRunner(runner: TestRunner): void {
  for (const name of NAMES) {
    if (typeof runner?.[name] !== 'function') {
      throw new TypeError(`setTestRunner(): '${name}' is not a function; pass { ${NAMES.join(', ')} } from your test runner.`);
    }
  }
  configured = runner;
}

function resolve(name: (typeof NAMES)[number]): any {
  const fn = configured?.[name] ?? (globalThis as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    throw new Error(
      `@athanor/testing: no '${name}' function. Run the suites under jest (or vitest with globals: true), or hand your runner's functions over first: setTestRunner({ ${NAMES.join(', ')} }).`,
    );
  }
  return fn;
}

/** Calls and property reads (`describe.skip`, `expect.stringMatching`) go to the runner's function at the time of use. */
function late<T>(name: (typeof NAMES)[number]): T {
  return new Proxy(function runnerFunction() {}, {
    apply: (_target, thisArg, args) => Reflect.apply(resolve(name), thisArg, args),
    get: (_target, prop) => resolve(name)[prop],
  }) as T;
}

export const describe: typeof JestDescribe = late('describe');
export const test: typeof JestTest = late('test');
export const beforeAll: typeof JestBeforeAll = late('beforeAll');
export const afterAll: typeof JestAfterAll = late('afterAll');
export const afterEach: typeof JestAfterEach = late('afterEach');
export const expect: typeof JestExpect = late('expect');
