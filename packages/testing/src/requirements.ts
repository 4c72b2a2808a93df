/**
 * Capability requirements: a test names the capabilities it needs (dotted paths into
 * `dialect.capabilities`, e.g. `dml.returning.insert`, or extra flags a dialect's suite
 * config declares). Unmet requirements register the test with `test.skip` and a title
 * suffix, so every run lists what was skipped and why.
 */
import type { DialectCapabilities } from '@athanor/core';

export interface RequirementSkip {
  suite: string;
  test: string;
  missing: string[];
}

const skips: RequirementSkip[] = [];

/** Every test skipped for an unmet capability so far, in registration order. */
export function requirementSkips(): readonly RequirementSkip[] {
  return skips;
}

export function recordSkip(skip: RequirementSkip): void {
  skips.push(skip);
}

/** Resolves one requirement: a dotted path in the capabilities, or an extra flag. Arrays count when non-empty; `!name` negates. */
export function hasCapability(caps: DialectCapabilities, extra: Record<string, boolean>, name: string): boolean {
  // `!name`: the test covers the behaviour when the capability is absent.
  if (name.startsWith('!')) return !hasCapability(caps, extra, name.slice(1));
  if (Object.hasOwn(extra, name)) return extra[name];
  let v: unknown = caps;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) {
      // An unknown name is a typo in the suite or the config, not a skip.
      throw new Error(`Unknown capability '${name}': not in dialect.capabilities and not declared in the suite config's capabilities.`);
    }
    v = (v as Record<string, unknown>)[part];
  }
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

export function missingCapabilities(caps: DialectCapabilities, extra: Record<string, boolean>, names: readonly string[]): string[] {
  return names.filter((n) => !hasCapability(caps, extra, n));
}
