import type { Compiled } from '../compiler/compiled';
import { generateWithBindings } from '../util/codegen';

/**
 * Builds row objects from the driver's array rows: applies result processors (only when
 * some column has one) and loads entity slots (`select(User)`) through their descriptors.
 */
export function buildRows(compiled: Compiled, rawRows: unknown[][], context: unknown): Record<string, unknown>[] {
  buildRowsFrom(compiled, rawRows, 0, rawRows.length, context);
  return rawRows as unknown[] as Record<string, unknown>[];
}

/**
 * Turns `rows[start..end)`, the driver's arrays, into row objects in place: the list is the
 * engine's once the driver returns it, and no second list is made (a Result builds only the
 * rows it is asked for).
 */
export function buildRowsFrom(compiled: Compiled, rows: unknown[], start: number, end: number, context: unknown): void {
  const cols = compiled.columns;
  const n = cols.length;
  const entities = compiled.entitySlots;
  if (entities.length === 0) {
    const make = rowMaker(compiled);
    if (make !== null) {
      for (let r = start; r < end; r++) rows[r] = make(rows[r] as unknown[]);
      return;
    }
    for (let r = start; r < end; r++) {
      const raw = rows[r] as unknown[];
      const row: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const p = cols[i].processor;
        const v = raw[i];
        setKey(row, cols[i].key, p === null || v === null ? v : p(v));
      }
      rows[r] = row;
    }
    return;
  }
  const only = onlyEntity(compiled);
  if (only !== undefined) {
    loadEntitiesFrom(compiled, rows, start, end, context);
    entityRowsFrom(rows, start, end, only.key);
    return;
  }
  const inEntity = new Array<boolean>(n).fill(false);
  for (const s of entities) for (let i = 0; i < s.count; i++) inEntity[s.start + i] = true;
  for (let r = start; r < end; r++) {
    const raw = rows[r] as unknown[];
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
      } else if (!inEntity[i]) setKey(row, cols[i].key, values[i]);
    }
    rows[r] = row;
  }
}

/** The entity of a statement that selects one entity and nothing else (`select(User)`). */
export function onlyEntity(compiled: Compiled): Compiled['entitySlots'][number] | undefined {
  const entities = compiled.entitySlots;
  return entities.length === 1 && entities[0].start === 0 && entities[0].count === compiled.columns.length ? entities[0] : undefined;
}

/**
 * `select(User)`'s rows loaded as bare entities, in place: the driver's row (a fresh array)
 * becomes the entity's values, with no copy, no slice and no row object per row (`scalars()`,
 * what ORM code reads, hands the entities out as they are; a row object is made only when a
 * row is asked for).
 */
export function loadEntitiesFrom(compiled: Compiled, rows: unknown[], start: number, end: number, context: unknown): void {
  const cols = compiled.columns;
  const n = cols.length;
  const descriptor = compiled.entitySlots[0].descriptor;
  for (let r = start; r < end; r++) {
    const raw = rows[r] as unknown[];
    for (let i = 0; i < n; i++) {
      const p = cols[i].processor;
      const v = raw[i];
      if (p !== null && v !== null) raw[i] = p(v);
    }
    rows[r] = descriptor.load(raw, context);
  }
}

/** The row object of one bare entity: `{ [key]: entity }`. */
export function entityRow(key: string, entity: unknown): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  setKey(row, key, entity);
  return row;
}

/** Rows `start .. end` (loaded entities) made into `{ [key]: entity }` row objects, in place. */
export function entityRowsFrom(rows: unknown[], start: number, end: number, key: string): void {
  keepEntityRowShape(key);
  for (let r = start; r < end; r++) rows[r] = entityRow(key, rows[r]);
}

/**
 * One `{ [key]: undefined }` per entity key (up to 256 keys), kept alive for its shape: V8
 * drops a shape no live object has at a full collection, and with it the optimized code
 * that builds and reads such rows. Called once per result, not per row.
 */
function keepEntityRowShape(key: string): void {
  if (rowShapes.size < 256 && !rowShapes.has(key)) rowShapes.set(key, entityRow(key, undefined));
}
const rowShapes = new Map<string, object>();

/** The first result column's value of a driver row, processed (a statement without entity slots). */
export function firstValueOf(compiled: Compiled, raw: readonly unknown[]): unknown {
  const p = compiled.columns[0].processor;
  const v = raw[0];
  return p === null || v === null ? v : p(v);
}

/** `row[key] = value`, except that a `__proto__` label becomes a key, not the prototype. */
export function setKey(row: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}

type RowMaker = (raw: readonly unknown[]) => Record<string, unknown>;

/**
 * One object literal per row, generated from the result keys: every row gets the same shape
 * at once (no per-key transitions or keyed stores), 10x faster than assigning key by key.
 * Null (the generic loop) for a `__proto__` key, or where code generation is not allowed (CSP).
 */
function rowMaker(compiled: Compiled): RowMaker | null {
  // Kept on the compiled statement (one property read per execution).
  let make = compiled.rowMaker;
  if (make !== undefined) return make;
  make = null;
  const cols = compiled.columns;
  if (!cols.some((c) => c.key === '__proto__')) {
    // The processors are bound once, each to a name of its own: a row costs one object
    // literal and a direct call per processed column.
    make =
      generateWithBindings<RowMaker>((bind) => {
        const fields = cols.map((c, i) =>
          c.processor === null ? `${JSON.stringify(c.key)}: r[${i}]` : `${JSON.stringify(c.key)}: r[${i}] === null ? null : ${bind(c.processor)}(r[${i}])`,
        );
        return `return function makeRow(r) { return { ${fields.join(', ')} }; };`;
      }) ?? null;
  }
  compiled.rowMaker = make;
  return make;
}
