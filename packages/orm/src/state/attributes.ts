/**
 * Column attributes: accessors on the mapped class's prototype that read and write the
 * instance state's value slots and record history (SQLAlchemy's attributes.py). Reading a
 * column that is not loaded (expired, or never loaded) raises with the fixes instead of
 * answering `undefined`; writing records the previous value once and puts the state in
 * the session's modified set, so the flush visits changed objects only.
 */
import { ArgumentError, InvalidRequestError } from '@athanor/core';
import type { TableColumn } from '@athanor/core';
import { isMutableColumn } from './mutable';
import { type InstanceState, NO_VALUE, STATE, stateOf } from './instance-state';

type Stated = { [STATE]: InstanceState };

/** Accessors for `columns`, whose value slots start at `start` (a subclass's columns come after its base's). */
export function defineColumnAccessors(proto: object, columns: readonly TableColumn<any, any>[], start = 0): void {
  columns.forEach((col, n) => {
    const i = start + n;
    const key = col.key;
    const mutable = isMutableColumn(col);
    Object.defineProperty(proto, key, {
      configurable: true,
      enumerable: false,
      get(this: Stated) {
        const st = this[STATE];
        const v = st.values[i];
        if (v === undefined) return missingValue(st, i);
        if (mutable && v !== null && st.key !== undefined) watchMutable(st, i, v);
        return v;
      },
      set(this: Stated, value: unknown) {
        const st = this[STATE];
        if (st.key !== undefined) {
          const old = st.values[i];
          st.willChange(key, old === undefined ? NO_VALUE : old);
        }
        st.values[i] = value;
      },
    });
  });
}

function missingValue(st: InstanceState, i: number): undefined {
  // A new object: an attribute not set yet reads undefined, as a plain field would.
  if (st.key === undefined) return undefined;
  throw notLoadedError(st.mapper.name, st.mapper.columnKeys[i], st.expired, st.mapper.deferredSlots.has(i));
}

/** `deferred`: the attribute is left out of the default SELECT (a deferred column or column property). */
export function notLoadedError(cls: string, name: string, expired: boolean, deferred = false): InvalidRequestError {
  const why = expired ? 'is expired (a rollback, commit with expireOnCommit or expire() cleared it)' : deferred ? 'is deferred (not loaded by the default SELECT)' : 'is not loaded';
  const query = deferred ? `or load it with the query: .options(undefer(...${name}))` : 'or query the object again';
  return new InvalidRequestError(
    `${cls}.${name} ${why}, and Athanor never loads it implicitly (that would be a hidden query). ` +
      `Load it now: await session.refresh(obj, ['${name}']) or await obj.awaitableAttrs.${name}; ${query}.`,
  );
}

/** The JSON text of a mutable value as first read: the flush compares it to see in-place changes. */
function watchMutable(st: InstanceState, i: number, v: unknown): void {
  const snaps = (st.mutableSnapshots ??= new Map());
  if (snaps.has(i)) return;
  snaps.set(i, JSON.stringify(v));
  st.touch();
}

/**
 * Marks a column as changed whatever its value (SQLAlchemy's `flag_modified`): for a value
 * changed in place where the flush cannot see it.
 */
export function flagModified(obj: object, key: string): void {
  const st = stateOf(obj);
  const i = st.mapper.columnIndex.get(key);
  if (i === undefined) throw new ArgumentError(`flagModified(): ${st.mapper.name} has no column '${key}' (columns: ${st.mapper.columnKeys.join(', ')}).`);
  if (st.values[i] === undefined && st.key !== undefined) throw notLoadedError(st.mapper.name, key, st.expired);
  (st.flagged ??= new Set()).add(i);
  st.touch();
}

/**
 * The columns whose value differs from the committed one, written from index 0 into `slots`
 * (in the order the changes were made) and `values` (the new value of each); how many. Two
 * arrays, not a map, and written by index, not pushed: the flush asks this of every changed
 * object with the same two scratch arrays (entries past the count are stale).
 */
export function collectChanges(st: InstanceState, slots: number[], values: unknown[]): number {
  let n = 0;
  const c = st.committed;
  if (c !== undefined) {
    const index = st.mapper.columnIndex;
    for (const name in c) {
      const i = index.get(name);
      if (i === undefined) continue;
      const now = st.values[i];
      if (now !== undefined && !sameValue(now, c[name])) {
        slots[n] = i;
        values[n++] = now;
      }
    }
  }
  if (st.mutableSnapshots !== undefined) {
    for (const [i, text] of st.mutableSnapshots) {
      if (hasSlot(slots, n, i)) continue;
      const now = st.values[i];
      if (now !== undefined && JSON.stringify(now) !== text) {
        slots[n] = i;
        values[n++] = now;
      }
    }
  }
  if (st.flagged !== undefined) {
    for (const i of st.flagged) {
      if (hasSlot(slots, n, i) || st.values[i] === undefined) continue;
      slots[n] = i;
      values[n++] = st.values[i];
    }
  }
  return n;
}

/** Whether slot `i` is among the first `n` of `slots`. */
export function hasSlot(slots: readonly number[], n: number, i: number): boolean {
  for (let k = 0; k < n; k++) if (slots[k] === i) return true;
  return false;
}

/** Whether some column's value differs from the committed one. */
export function hasChangedColumns(st: InstanceState): boolean {
  return collectChanges(st, [], []) > 0;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === NO_VALUE || b === NO_VALUE) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
