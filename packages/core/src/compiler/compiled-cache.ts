/**
 * Compiled statements by structural key, least recently used first out.
 *
 * Keyed by the key's tokens (sql/cache-key.ts) rather than a string: the tokens hash into a
 * small integer, which `Map` hashes by value, and a hit compares the tokens one by one
 * against the entry's copy. A string key would be built, flattened and hashed afresh for
 * every statement built per call. A hit only stamps the entry; the oldest entry is found by
 * scanning the stamps when an insert goes past capacity (a miss, which pays for a compile).
 */
import type { Compiled } from './compiled';

interface Entry {
  readonly tokens: readonly unknown[];
  readonly compiled: Compiled;
  stamp: number;
  /** Another entry whose tokens hash the same. */
  next: Entry | undefined;
}

export class CompiledCache {
  private readonly buckets = new Map<number, Entry>();
  private count = 0;
  private clock = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** The statement compiled for the tokens `t[0..n)` with this hash, if cached. */
  get(hash: number, t: readonly unknown[], n: number): Compiled | undefined {
    for (let e = this.buckets.get(hash); e !== undefined; e = e.next) {
      if (e.tokens.length === n && sameTokens(e.tokens, t, n)) {
        e.stamp = ++this.clock;
        return e.compiled;
      }
    }
    return undefined;
  }

  /** Caches a compiled statement under a copy of its tokens. */
  set(hash: number, tokens: readonly unknown[], compiled: Compiled): void {
    if (this.capacity <= 0) return;
    this.buckets.set(hash, { tokens, compiled, stamp: ++this.clock, next: this.buckets.get(hash) });
    if (++this.count > this.capacity) this.evictOldest();
  }

  clear(): void {
    this.buckets.clear();
    this.count = 0;
  }

  private evictOldest(): void {
    let oldest: Entry | undefined;
    let oldestHash = 0;
    for (const [hash, first] of this.buckets) {
      for (let e: Entry | undefined = first; e !== undefined; e = e.next) {
        if (oldest === undefined || e.stamp < oldest.stamp) {
          oldest = e;
          oldestHash = hash;
        }
      }
    }
    if (oldest === undefined) return;
    const first = this.buckets.get(oldestHash)!;
    if (first === oldest) {
      if (oldest.next === undefined) this.buckets.delete(oldestHash);
      else this.buckets.set(oldestHash, oldest.next);
    } else {
      let prev = first;
      while (prev.next !== oldest) prev = prev.next!;
      prev.next = oldest.next;
    }
    this.count--;
  }
}

/**
 * Token by token. Numbers and strings are compared at separate sites: one site seeing both
 * makes V8 call its generic equality for every token.
 */
function sameTokens(a: readonly unknown[], b: readonly unknown[], n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number') {
      if (x !== y) return false;
    } else if (x !== y) return false;
  }
  return true;
}
