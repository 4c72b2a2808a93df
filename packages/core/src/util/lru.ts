/**
 * A small LRU map; used for the compiled-statement cache. A hit only stamps the entry with
 * a counter: refreshing recency by delete + re-insert cost a second and third hash of the
 * (long) key and left deleted slots for `Map` to compact, on every execution. The oldest
 * entry is found by scanning the stamps, only when an insert goes past capacity (a miss,
 * which also pays for a compile).
 */
interface Entry<V> {
  value: V;
  stamp: number;
}

export class LRUCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();
  private clock = 0;
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    e.stamp = ++this.clock;
    return e.value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      e.stamp = ++this.clock;
      return;
    }
    this.map.set(key, { value, stamp: ++this.clock });
    if (this.map.size > this.capacity) this.evictOldest();
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }

  private evictOldest(): void {
    let oldestKey: K | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [k, e] of this.map) {
      if (e.stamp < oldest) {
        oldest = e.stamp;
        oldestKey = k;
      }
    }
    this.map.delete(oldestKey as K);
  }
}
