/**
 * Objects kept alive only for their hidden classes. V8 drops an object shape (a "map") in a
 * full garbage collection once no live object has it, and with it every piece of optimized
 * code specialized on it: a program that loads entities, closes the session and lets them go
 * (a request handler, a batch job) would, after each major collection, run the loading code
 * deoptimized and pay to optimize it again (a selectin load of 1,000 × 10 took about twice as
 * long right after a full collection). One small object per shape keeps the shape, so the
 * optimized code survives. Each anchor is small and holds no user data.
 */
const anchors: object[] = [];
const anchorsByOwner = new WeakMap<object, object | undefined>();

/** Keeps `obj` (built the way the hot path builds its objects) alive for the life of the process; returns it. */
export function keepShape<T extends object>(obj: T): T {
  anchors.push(obj);
  return obj;
}

/**
 * Keeps one object from `make()` alive for as long as `owner` lives (an idle session per
 * engine: it refers to the engine, so it must not outlive it). `make` runs once per owner.
 */
export function keepShapeWhile(owner: object, make: () => object): void {
  if (anchorsByOwner.has(owner)) return;
  // Marked first: `make` may construct another object that asks for the same owner.
  anchorsByOwner.set(owner, undefined);
  anchorsByOwner.set(owner, make());
}

/** @internal the anchors, for tests that check they have the shapes of the objects they stand for. */
export function keptShapes(owner?: object): readonly object[] {
  if (owner === undefined) return anchors;
  const a = anchorsByOwner.get(owner);
  return a === undefined ? [] : [a];
}
