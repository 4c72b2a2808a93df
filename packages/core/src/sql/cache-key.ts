/**
 * The statement cache key: one walk over the element tree, driven by each element's field
 * declaration, that writes the structure (kinds, operators, names, types, table identities)
 * as a stream of tokens and pulls the bound values out in order. The same shape with new
 * values writes the same tokens; any structural difference writes other tokens.
 *
 * Tokens, not a string: a key string built per statement is a fresh rope that `Map` has to
 * flatten and hash on every lookup, which cost more than the walk itself (0.4 µs for a
 * 40-character key). The compiled cache hashes the tokens into a small integer and
 * compares them one by one on a hit (compiler/compiled-cache.ts); `cacheKeyOf` renders
 * them as a string for callers that want one.
 */
import type { BindParameter } from './column-element';
import { type ClauseElement, newUid } from './element';
import { type BindHelpers, IDENTITY_TOKEN as TOKEN, LIST_TOKEN, TYPE_TOKEN, type KeyFn, type KeyHelpers, type KeySink, KeyToken, extraMasks, fieldBit } from './field-codegen';
import { NONE } from './none';

export type { KeySink } from './field-codegen';

/** A statement's cache key as `cacheKeyOf()` returns it: the structure as a string, plus the bound values pulled out of it. */
export interface CacheKey {
  /** The structural key. */
  readonly key: string;
  /** The values of the bound parameters, in walk order. */
  readonly values: unknown[];
}

interface Sink extends KeySink {
  /** Walk by the field declarations only, ignoring the generated walkers (tests compare both). */
  generic: boolean;
}

function newSink(generic: boolean): Sink {
  return { t: [], n: 0, values: [], seen: undefined, generic };
}

/** Computes the key and extracts bound values. */
export function cacheKeyOf(el: ClauseElement): CacheKey {
  return keyOf(el, false);
}

/**
 * The same key, computed by the generic walk over the field declarations instead of the
 * walkers generated from them: the two must always agree (tested).
 */
export function genericCacheKeyOf(el: ClauseElement): CacheKey {
  return keyOf(el, true);
}

function keyOf(el: ClauseElement, generic: boolean): CacheKey {
  const s = newSink(generic);
  walk(el, s);
  return { key: renderTokens(s.t, s.n), values: s.values };
}

/**
 * One sink reused by every `keyTokensOf` call (its token array keeps its capacity). A walk
 * never starts another (it only reads the tree), and the compiled cache copies what it
 * keeps before compiling, so one sink is enough.
 */
const shared = newSink(false);

/**
 * The key as tokens in a reused buffer (`t[0..n)`; valid until the next call) and a fresh
 * list of the bound values: what the compiled cache looks statements up by.
 */
export function keyTokensOf(el: ClauseElement): KeySink {
  const s = shared;
  s.n = 0;
  s.values = [];
  s.seen = undefined;
  walk(el, s);
  return s;
}

/**
 * A small integer hash of tokens (a `Map` key that is a small integer is hashed by value).
 * Strings count by length and first character: cheap, and a hit compares every token anyway.
 * Two lanes (even and odd tokens) so one multiply need not wait for the previous one.
 */
export function hashTokens(t: readonly unknown[], n: number): number {
  let even = 0x811c9dc5 | 0;
  let odd = 0x2545f491;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    even = Math.imul(even ^ tokenBits(t[i]), 0x01000193);
    odd = Math.imul(odd ^ tokenBits(t[i + 1]), 0x01000193);
  }
  if (i < n) even = Math.imul(even ^ tokenBits(t[i]), 0x01000193);
  const h = even ^ Math.imul(odd, 31);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

function tokenBits(x: unknown): number {
  if (typeof x === 'number') return x | 0;
  const str = x as string;
  return str.length === 0 ? 0x5bd1e995 : (str.length << 16) ^ str.charCodeAt(0);
}

/** Numbers end with `,` (identities read `#12,`); strings are length-prefixed: one string per token stream. */
function renderTokens(t: readonly unknown[], n: number): string {
  let k = '';
  for (let i = 0; i < n; i++) {
    const x = t[i];
    k += typeof x === 'string' ? x.length + ':' + x : (x as number) < 0 ? '#' + -(x as number) + ',' : x + ',';
  }
  return k;
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

function isTableColumn(el: ClauseElement): boolean {
  if (el.kind !== 'column') return false;
  const table = (el as any).table;
  return table !== undefined && table !== null && table.kind === 'table' && table.uid !== undefined;
}

/**
 * A table's or table column's token (a negative number, unique in the process) lives on the
 * object under a non-enumerable symbol: a column is its own identity, so one token says as
 * much as its name, type and table would. Frozen objects fall back to a WeakMap.
 */
const frozenTokens = new WeakMap<object, number>();

function identityToken(el: object): number {
  const token = (el as { [TOKEN]?: number })[TOKEN];
  if (token !== undefined) return token;
  const memo = frozenTokens.get(el);
  if (memo !== undefined) return memo;
  const made = -newUid();
  if (Object.isExtensible(el)) Object.defineProperty(el, TOKEN, { value: made });
  else frozenTokens.set(el, made);
  return made;
}

function identityKey(el: ClauseElement, s: KeySink): void {
  s.t[s.n++] = identityToken(el);
}

/** Makes instances of `cls` keyed by identity (`schema/table.ts` uses it for tables and their columns). */
export function useIdentityKey(cls: abstract new (...args: any[]) => ClauseElement): void {
  Object.defineProperty(cls.prototype, 'keyFn', { value: identityKey as KeyFn, writable: false });
}

/**
 * Gives a list of identity-keyed elements (a table's `columns`, which `select(table)`
 * shares) one token of its own, before it is frozen: the key of `select(table)` then
 * writes one token instead of one per column.
 */
export function identityList<T extends readonly ClauseElement[]>(list: T): Readonly<T> {
  Object.defineProperty(list, LIST_TOKEN, { value: -newUid() });
  return Object.freeze(list);
}

function walk(el: ClauseElement, s: Sink): void {
  // One property read per node: tables and their columns carry `identityKey` as their key
  // function (see `useIdentityKey`), every other class a function generated from its fields.
  const fn = el.keyFn;
  if (fn !== undefined && !s.generic) fn(el, s, keyHelpers);
  else if (el.kind === 'table' || isTableColumn(el)) identityKey(el, s);
  else walkFields(el, s);
}

/** `n` and the elements, or the list's identity token (a table's columns). */
function walkElements(v: readonly ClauseElement[], s: Sink): void {
  const token = (v as { [LIST_TOKEN]?: number })[LIST_TOKEN];
  if (token !== undefined) {
    s.t[s.n++] = token;
    return;
  }
  const n = v.length;
  s.t[s.n++] = n;
  for (let j = 0; j < n; j++) walk(v[j], s);
}

/** `n`, then each pair's key name and element. */
function walkPairs(v: readonly (readonly [{ keyName: string }, ClauseElement])[], s: Sink): void {
  s.t[s.n++] = v.length;
  for (let j = 0; j < v.length; j++) {
    s.t[s.n++] = v[j][0].keyName;
    walk(v[j][1], s);
  }
}

function walkRows(v: readonly (readonly (readonly [{ keyName: string }, ClauseElement])[])[], s: Sink): void {
  s.t[s.n++] = v.length;
  for (let r = 0; r < v.length; r++) walkPairs(v[r], s);
}

function walkRef(v: any, s: Sink): void {
  if (isStructuredRef(v)) {
    const set = (s.seen ??= new Set());
    if (!set.has(v)) {
      set.add(v);
      walk(v, s);
      return;
    }
  }
  refToken(v, s);
}

/** An object referred to by identity: its uid, or a per-process id from the same counter (negative, like identity tokens). */
function refToken(v: any, s: KeySink): void {
  if (v === undefined || v === null) s.t[s.n++] = KeyToken.NULL;
  else if (v.uid !== undefined) s.t[s.n++] = -v.uid;
  else {
    let id = refIds.get(v);
    if (id === undefined) refIds.set(v, (id = -newUid()));
    s.t[s.n++] = id;
  }
}
const refIds = new WeakMap<object, number>();

function valueTokens(v: unknown, s: KeySink): void {
  const t = s.t;
  switch (typeof v) {
    case 'string':
      t[s.n++] = v;
      return;
    case 'number':
      t[s.n++] = KeyToken.NUMBER;
      t[s.n++] = v;
      return;
    case 'boolean':
      t[s.n++] = v ? KeyToken.TRUE : KeyToken.FALSE;
      return;
    case 'bigint':
      t[s.n++] = KeyToken.BIGINT;
      t[s.n++] = String(v);
      return;
    case 'undefined':
      t[s.n++] = KeyToken.UNDEFINED;
      return;
    case 'object': {
      if (v === null) {
        t[s.n++] = KeyToken.NULL;
        return;
      }
      if (Array.isArray(v)) {
        t[s.n++] = KeyToken.ARRAY;
        t[s.n++] = v.length;
        for (let i = 0; i < v.length; i++) valueTokens(v[i], s);
        return;
      }
      const o = v as any;
      if (o.uid !== undefined) t[s.n++] = -o.uid;
      else if (o.optionCacheKey !== undefined) {
        t[s.n++] = KeyToken.OPTION;
        t[s.n++] = o.optionCacheKey;
      } else if (o.keyName !== undefined && o.table !== undefined) {
        t[s.n++] = KeyToken.COLUMN_REF;
        refToken(o.table, s);
        t[s.n++] = o.keyName;
      } else {
        t[s.n++] = KeyToken.OBJECT;
        t[s.n++] = objectString(o);
      }
      return;
    }
    default:
      refToken(v, s);
  }
}

/** Plain option objects (rare in keys): their keys and values, recursively. */
function objectString(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return String(v);
  if (Array.isArray(v)) return '[' + v.map(objectString).join(',') + ']';
  const o = v as any;
  if (o.uid !== undefined) return '#' + o.uid;
  return '{' + Object.keys(o).map((key) => JSON.stringify(key) + ':' + objectString(o[key])).join(',') + '}';
}

/**
 * A type's token: `TYPE + code`, a code per distinct `cacheKey`, remembered on the type
 * object (a type is immutable, and `cacheKey` may build a string on each read); past 10,000
 * distinct types (parameterised types built per call) the key string itself.
 */
const typeCodes = new Map<string, number>();
function typeTokens(type: { cacheKey: string; [TYPE_TOKEN]?: number }, s: KeySink): void {
  let token = type[TYPE_TOKEN];
  if (token === undefined) {
    const key = type.cacheKey;
    let code = typeCodes.get(key);
    if (code === undefined) {
      if (typeCodes.size >= 10_000) {
        s.t[s.n++] = KeyToken.TYPE_STRING;
        s.t[s.n++] = key;
        return;
      }
      code = typeCodes.size;
      typeCodes.set(key, code);
    }
    token = KeyToken.TYPE + code;
    if (Object.isExtensible(type)) Object.defineProperty(type, TYPE_TOKEN, { value: token });
  }
  s.t[s.n++] = token;
}

const keyHelpers: KeyHelpers = {
  pairs: walkPairs as KeyHelpers['pairs'],
  rows: walkRows as KeyHelpers['rows'],
  ref: walkRef,
  value: valueTokens,
  type: typeTokens as KeyHelpers['type'],
};

/** The declaration-driven walk (fallback and reference): the tokens `generateKeyFn` writes. */
function walkFields(el: ClauseElement, s: Sink): void {
  const fields = el.fields;
  const at = s.n;
  const masks = 1 + extraMasks(fields.length);
  for (let j = 0; j < masks; j++) s.t[s.n++] = 0;
  s.t[at] = KeyToken.KIND + el.kindIndex;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = (el as any)[f[0]];
    const kind = f[1];
    if (kind === 'bind') s.values.push(v);
    else if (kind === 'ignore' || v === undefined || (v === null && kind !== 'value')) continue;
    else if ((kind === 'elements' || kind === 'pairs' || kind === 'rows') && v.length === 0) continue;
    else if ((kind === 'flag' && !v) || (kind === 'value' && v === NONE)) continue;
    const { word, bit } = fieldBit(i);
    s.t[at + word] = (s.t[at + word] as number) | bit;
    switch (kind) {
      case 'element':
        walk(v, s);
        break;
      case 'elements':
        walkElements(v, s);
        break;
      case 'pairs':
        walkPairs(v, s);
        break;
      case 'rows':
        walkRows(v, s);
        break;
      case 'value':
        valueTokens(v, s);
        break;
      case 'type':
        typeTokens(v, s);
        break;
      case 'ref':
        walkRef(v, s);
        break;
    }
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

function collectRef(v: any, out: BindParameter[], seen: { seen: Set<ClauseElement> | undefined }): void {
  if (isStructuredRef(v) && !(seen.seen ??= new Set()).has(v)) {
    seen.seen.add(v);
    collectBinds(v, out, seen);
  }
}

const bindHelpers: BindHelpers = {
  collect: collectBinds as BindHelpers['collect'],
  collectRef: collectRef as BindHelpers['collectRef'],
};
