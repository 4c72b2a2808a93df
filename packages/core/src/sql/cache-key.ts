/**
 * The statement cache key: one walk over the element tree, driven by each element's field
 * declaration, that writes the structure (kinds, operators, names, types, table identities)
 * into a string and pulls the bound values out in order. The same shape with new values
 * gives the same key; any structural difference gives another key.
 */
import type { BindParameter } from './column-element';
import { type ClauseElement, newUid } from './element';
import { type BindHelpers, type KeyFn, type KeyHelpers, fieldTag, kindCode } from './field-codegen';

export interface CacheKey {
  /** The structural key. */
  readonly key: string;
  /** The values of the bound parameters, in walk order. */
  readonly values: unknown[];
}

/** Computes the key and extracts bound values. */
export function cacheKeyOf(el: ClauseElement): CacheKey {
  const values: unknown[] = [];
  // One seen-set for the whole walk: a subquery referred to from several places is walked
  // (and its values extracted) once, exactly as bindsInWalkOrder and the compiler see it.
  const key = walk(el, values, { seen: undefined, generic: false });
  return { key, values };
}

/**
 * The same key, computed by the generic walk over the field declarations instead of the
 * walkers generated from them: the two must always agree (tested).
 */
export function genericCacheKeyOf(el: ClauseElement): CacheKey {
  const values: unknown[] = [];
  const key = walk(el, values, { seen: undefined, generic: true });
  return { key, values };
}

/** The bind parameter elements in walk order (matching `values`): used when compiling on a cache miss. */
export function bindsInWalkOrder(el: ClauseElement): BindParameter[] {
  const out: BindParameter[] = [];
  collectBinds(el, out, { seen: undefined });
  return out;
}

/**
 * A column refers to its FROM item by identity. A table is fully identified by its uid;
 * a subquery, CTE or alias has structure (and bound values) of its own, so the walk
 * descends into it once (`seen` stops recursive CTEs from looping).
 */
function isStructuredRef(v: any): boolean {
  return v !== undefined && v !== null && v.kind !== undefined && v.kind !== 'table' && v.fields !== undefined;
}

/**
 * Memoised keys of table columns (fixed at construction) that cannot carry the token
 * themselves (frozen). A table column's key is a short token unique to that column object
 * (`#12`, from the uid counter) instead of its kind, name, type and table: a column is its
 * own identity, so the token says as much, and a statement built per call writes (and the
 * LRU hashes) a short key.
 */
const staticKeys = new WeakMap<object, string>();

function isTableColumn(el: ClauseElement): boolean {
  if (el.kind !== 'column') return false;
  const table = (el as any).table;
  return table !== undefined && table !== null && table.kind === 'table' && table.uid !== undefined;
}

/** Shared by reference through one walk (so siblings see what a cousin already walked). */
interface Seen {
  seen: Set<ClauseElement> | undefined;
  /** Walk by the field declarations only, ignoring the generated walkers (tests compare both). */
  generic?: boolean;
}

/**
 * A table column's token lives on the column under a non-enumerable symbol: one property
 * read instead of a WeakMap lookup per column per statement; generative copies
 * (Object.assign) never carry it over. Frozen columns fall back to the WeakMap.
 */
const TOKEN = Symbol('athanor.cacheKeyToken');

function walk(el: ClauseElement, values: unknown[], seen: Seen): string {
  // One property read per node: tables and their columns carry `identityKey` as their key
  // function (see `useIdentityKey`), every other class a function generated from its fields.
  const fn = el.keyFn;
  return fn !== undefined && seen.generic !== true ? fn(el, values, seen, keyHelpers) : walkGeneric(el, values, seen);
}

/** The declaration-driven walk (fallback and reference). */
function walkGeneric(el: ClauseElement, values: unknown[], seen: Seen): string {
  if (el.kind === 'table' || isTableColumn(el)) return identityKey(el);
  return walkFields(el, values, seen);
}

/**
 * The key of an element that is its own identity (a table, a table's column): a short
 * token unique to the object, made on first use.
 */
function identityKey(el: ClauseElement): string {
  const token = (el as { [TOKEN]?: string })[TOKEN];
  if (token !== undefined) return token;
  const memo = staticKeys.get(el);
  if (memo !== undefined) return memo;
  const key = (el.kind === 'table' ? '#T' : '#') + newUid();
  if (Object.isExtensible(el)) Object.defineProperty(el, TOKEN, { value: key });
  else staticKeys.set(el, key);
  return key;
}

/** Makes instances of `cls` keyed by identity (`schema/table.ts` uses it for tables and their columns). */
export function useIdentityKey(cls: abstract new (...args: any[]) => ClauseElement): void {
  Object.defineProperty(cls.prototype, 'keyFn', { value: identityKey as KeyFn, writable: false });
}

function walkPairs(v: readonly (readonly [{ keyName: string }, ClauseElement])[], values: unknown[], seen: Seen): string {
  let k = '{';
  for (let j = 0; j < v.length; j++) k += valueKey(v[j][0].keyName) + '=' + walk(v[j][1], values, seen) + ',';
  return k + '}';
}

function walkRows(v: readonly (readonly (readonly [{ keyName: string }, ClauseElement])[])[], values: unknown[], seen: Seen): string {
  let k = '[';
  for (let r = 0; r < v.length; r++) k += walkPairs(v[r], values, seen);
  return k + ']';
}

function refField(v: any, values: unknown[], seen: Seen): string {
  if (!isStructuredRef(v)) return refKey(v);
  const set = (seen.seen ??= new Set());
  if (set.has(v)) return refKey(v);
  set.add(v);
  return walk(v, values, seen);
}

const keyHelpers: KeyHelpers = {
  walk: walk as KeyHelpers['walk'],
  walkElements: walkElements as KeyHelpers['walkElements'],
  walkPairs: walkPairs as KeyHelpers['walkPairs'],
  walkRows: walkRows as KeyHelpers['walkRows'],
  refField: refField as KeyHelpers['refField'],
  valueKey,
  typeKey: typeKey as KeyHelpers['typeKey'],
};

function walkElements(v: readonly ClauseElement[], values: unknown[], seen: Seen): string {
  if (v.length === 0) return '[]';
  // Only frozen lists are memoised (a table's `columns`, which `select(table)` shares): the
  // lists of a statement built per call are fresh arrays, and a WeakMap keyed by them would
  // never hit and only feed the garbage collector.
  const frozen = Object.isFrozen(v);
  if (frozen) {
    const memo = staticKeys.get(v);
    if (memo !== undefined) return memo;
  }
  let k = '[';
  let allColumns = frozen;
  for (let j = 0; j < v.length; j++) {
    const el = v[j];
    if (allColumns && !isTableColumn(el)) allColumns = false;
    k += walk(el, values, seen) + ',';
  }
  if (allColumns) {
    // Table columns carry no values: the list can stand for itself from now on.
    const token = '#L' + newUid();
    staticKeys.set(v, token);
    return token;
  }
  return k + ']';
}

function walkFields(el: ClauseElement, values: unknown[], seen: Seen): string {
  let k = kindCode(el.kindIndex) + '(';
  const fields = el.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = (el as any)[f[0]];
    const kind = f[1];
    if (kind === 'bind') {
      values.push(v);
      k += fieldTag(i) + '?';
      continue;
    }
    if (v === undefined || (v === null && kind !== 'value')) continue;
    switch (kind) {
      case 'flag':
        if (v) k += fieldTag(i);
        break;
      case 'element':
        k += fieldTag(i) + walk(v, values, seen);
        break;
      case 'elements':
        if (v.length !== 0) k += fieldTag(i) + walkElements(v, values, seen);
        break;
      case 'pairs':
        if (v.length !== 0) k += fieldTag(i) + walkPairs(v, values, seen);
        break;
      case 'rows':
        if (v.length !== 0) k += fieldTag(i) + walkRows(v, values, seen);
        break;
      case 'value':
        k += fieldTag(i) + valueKey(v);
        break;
      case 'type':
        k += fieldTag(i) + typeKey(v);
        break;
      case 'ref':
        k += fieldTag(i) + refField(v, values, seen);
        break;
    }
  }
  return k + ')';
}

/**
 * A type's part of the key: a short code per distinct `cacheKey` (`%3|`); past 10,000
 * distinct types (parameterised types built per call) the key itself, marked `=` and ended by `|`.
 */
const typeCodes = new Map<string, string>();
function typeKey(type: { cacheKey: string }): string {
  const key = type.cacheKey;
  let code = typeCodes.get(key);
  if (code === undefined) {
    if (typeCodes.size >= 10_000) return '=' + key.length + ':' + key;
    code = '%' + typeCodes.size + '|';
    typeCodes.set(key, code);
  }
  return code;
}

function refKey(v: any): string {
  if (v === undefined || v === null) return '_';
  if (v.uid !== undefined) return '#' + v.uid;
  let id = refIds.get(v);
  if (id === undefined) refIds.set(v, (id = nextRefId++));
  return '@' + id;
}
const refIds = new WeakMap<object, number>();
let nextRefId = 1;

function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      // Length-prefixed: unambiguous whatever the string holds, and cheaper than quoting.
      return v.length + ':' + v;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'number':
    case 'bigint':
      // Ended by `|`: `1e-7` must not read as 1 followed by a field tagged `e`.
      return String(v) + '|';
    case 'undefined':
      return '_';
    case 'object': {
      if (v === null) return 'N';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : '[' + v.map(valueKey).join(',') + ']';
      const o = v as any;
      if (o.uid !== undefined) return '#' + o.uid;
      if (o.optionCacheKey !== undefined) return o.optionCacheKey;
      if (o.keyName !== undefined && o.table !== undefined) return refKey(o.table) + '.' + o.keyName;
      return '{' + Object.keys(o).map((key) => key + ':' + valueKey(o[key])).join(',') + '}';
    }
    default:
      return refKey(v);
  }
}

function collectBinds(el: ClauseElement, out: BindParameter[], seen: { seen: Set<ClauseElement> | undefined }): void {
  // Indexed loops: this runs on every cache miss and on every uncached compile. A table's
  // column holds no bound value (its memoised key says so): skip its fields.
  if (el.kind === 'column' && isTableColumn(el)) return;
  const fn = el.bindsFn;
  if (fn !== undefined) {
    fn(el, out, seen, bindHelpers);
    return;
  }
  const fields = el.fields;
  for (let i = 0; i < fields.length; i++) {
    const kind = fields[i][1];
    if (kind === 'bind') out.push(el as BindParameter);
    const v = (el as any)[fields[i][0]];
    if (v === undefined || v === null) continue;
    switch (kind) {
      case 'element':
        collectBinds(v, out, seen);
        break;
      case 'elements':
        for (let j = 0; j < v.length; j++) collectBinds(v[j], out, seen);
        break;
      case 'pairs':
        for (let j = 0; j < v.length; j++) collectBinds(v[j][1], out, seen);
        break;
      case 'rows':
        for (let r = 0; r < v.length; r++) for (let j = 0; j < v[r].length; j++) collectBinds(v[r][j][1], out, seen);
        break;
      case 'ref':
        collectRef(v, out, seen);
        break;
    }
  }
}

function collectRef(v: any, out: BindParameter[], seen: Seen): void {
  if (isStructuredRef(v) && !(seen.seen ??= new Set()).has(v)) {
    seen.seen.add(v);
    collectBinds(v, out, seen);
  }
}

const bindHelpers: BindHelpers = {
  collect: collectBinds as BindHelpers['collect'],
  collectRef: collectRef as BindHelpers['collectRef'],
};
