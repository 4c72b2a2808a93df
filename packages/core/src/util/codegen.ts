/**
 * Functions generated at run time (the cache-key walkers, row makers, parameter builders):
 * V8 optimises a function that reads fixed properties and calls fixed functions far better
 * than a generic loop over declarations. Where code generation is forbidden (a content
 * security policy without `unsafe-eval`), `generateFunction` returns undefined, remembers
 * that, and every caller falls back to its generic loop.
 */
let available = true;

/** `new Function(...params, body)`, or undefined where code generation is unavailable. */
export function generateFunction<F>(params: readonly string[], body: string): F | undefined {
  if (!available) return undefined;
  try {
    return new Function(...params, body) as F;
  } catch {
    available = false;
    return undefined;
  }
}

/**
 * A function generated with `values` bound to the names `b0`, `b1`... (`bind(value)` gives
 * a value's name): `body` must return the function wanted.
 */
export function generateWithBindings<F>(build: (bind: (value: unknown) => string) => string): F | undefined {
  const bound: unknown[] = [];
  const body = build((value) => `b${bound.push(value) - 1}`);
  const factory = generateFunction<(...values: unknown[]) => F>(
    bound.map((_, i) => `b${i}`),
    body,
  );
  return factory?.(...bound);
}
