/**
 * Functions generated at run time (the cache-key walkers, row makers, parameter builders):
 * V8 optimises a function that reads fixed properties and calls fixed functions far better
 * than a generic loop over declarations. Every caller has a generic loop to fall back on,
 * used when code generation is off:
 *
 * - by choice: `setCodeGeneration(false)`, or the environment variable `ATHANOR_NO_CODEGEN=1`
 *   read at startup (for environments that forbid `new Function`: Cloudflare Workers, a
 *   content security policy without `unsafe-eval`);
 * - by the environment: the first `new Function` that throws an `EvalError` (what a
 *   forbidding environment throws) turns it off for the process.
 *
 * Any other error is a bug in a generator: it is thrown with the generated source, never
 * swallowed (a silent switch to the slow path would hide it).
 */
import { CodeGenerationError } from '../errors';

let enabled = !envDisabled();
let turnedOffBy: 'option' | 'environment' | undefined = enabled ? undefined : 'option';

function envDisabled(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.ATHANOR_NO_CODEGEN;
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * Turns run-time code generation on or off for the process. Off, Athanor runs the same
 * statements with the same results through its generic paths (slower per row and per
 * statement). Set it before building statements: functions already generated are kept.
 */
export function setCodeGeneration(on: boolean): void {
  enabled = on;
  turnedOffBy = on ? undefined : 'option';
}

/** Whether code generation is in use, and if not, why. */
export function codeGeneration(): { enabled: boolean; reason?: 'option' | 'environment' } {
  return turnedOffBy === undefined ? { enabled } : { enabled, reason: turnedOffBy };
}

/** `new Function(...params, body)`, or undefined where code generation is off. */
export function generateFunction<F>(params: readonly string[], body: string): F | undefined {
  if (!enabled) return undefined;
  try {
    return new Function(...params, body) as F;
  } catch (e) {
    if (e instanceof EvalError) {
      enabled = false;
      turnedOffBy = 'environment';
      return undefined;
    }
    throw new CodeGenerationError(`function (${params.join(', ')}) {\n${body}\n}`, e);
  }
}

/**
 * A function generated with `values` bound to the names `b0`, `b1`... (`bind(value)` gives
 * a value's name): `body` must return the function wanted.
 */
export function generateWithBindings<F>(build: (bind: (value: unknown) => string) => string): F | undefined {
  if (!enabled) return undefined;
  const bound: unknown[] = [];
  const body = build((value) => `b${bound.push(value) - 1}`);
  const factory = generateFunction<(...values: unknown[]) => F>(
    bound.map((_, i) => `b${i}`),
    body,
  );
  return factory?.(...bound);
}
