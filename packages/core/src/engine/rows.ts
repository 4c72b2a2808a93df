import type { Compiled } from '../compiler/compiled';

/**
 * Builds row objects from the driver's array rows: applies result processors (only when
 * some column has one) and loads entity slots (`select(User)`) through their descriptors.
 */
export function buildRows(compiled: Compiled, rawRows: readonly unknown[][], context: unknown): Record<string, unknown>[] {
  const cols = compiled.columns;
  const n = cols.length;
  const out = new Array<Record<string, unknown>>(rawRows.length);
  const entities = compiled.entitySlots;
  if (entities.length === 0) {
    if (!compiled.hasResultProcessors) {
      for (let r = 0; r < rawRows.length; r++) {
        const raw = rawRows[r];
        const row: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) row[cols[i].key] = raw[i];
        out[r] = row;
      }
      return out;
    }
    for (let r = 0; r < rawRows.length; r++) {
      const raw = rawRows[r];
      const row: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const p = cols[i].processor;
        const v = raw[i];
        row[cols[i].key] = p === null || v === null ? v : p(v);
      }
      out[r] = row;
    }
    return out;
  }
  const inEntity = new Array<boolean>(n).fill(false);
  for (const s of entities) for (let i = 0; i < s.count; i++) inEntity[s.start + i] = true;
  for (let r = 0; r < rawRows.length; r++) {
    const raw = rawRows[r];
    const values = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = cols[i].processor;
      const v = raw[i];
      values[i] = p === null || v === null ? v : p(v);
    }
    const row: Record<string, unknown> = {};
    // Entities and plain columns keep their order in the columns clause.
    let e = 0;
    for (let i = 0; i < n; i++) {
      const slot = entities[e];
      if (slot !== undefined && i === slot.start) {
        row[slot.key] = slot.descriptor.load(values.slice(slot.start, slot.start + slot.count), context);
        i += slot.count - 1;
        e++;
      } else if (!inEntity[i]) row[cols[i].key] = values[i];
    }
    out[r] = row;
  }
  return out;
}
