/**
 * Specialised walkers generated from an element's field declaration.
 *
 * The cache key, the bind collection and the FROM collection run over every node of every
 * statement built per call. Read generically (`el[fieldName]` for each declared field)
 * every property load is megamorphic: the same site sees every element class and every
 * field name. A function generated per element kind reads `el.whereClause` at a site that
 * sees one class, which V8 turns into a direct load. The declaration stays the single
 * source of truth: these functions are derived from it, never written by hand.
 *
 * Where code generation is forbidden (see util/codegen.ts) the generators return undefined
 * and the callers fall back to their generic, declaration-driven loops.
 */
import { generateFunction as generate } from '../util/codegen';
import type { FieldSpec } from './element';
import { NONE } from './none';

/**
 * The cache key's token stream (see cache-key.ts). An element writes one header token
 * (`KIND + kindIndex`, plus a bit per present field among its first 19), one more mask
 * token per further 30 declared fields, then each present field's payload. Identity tokens
 * (a table, a table column, a table's column list, any object referred to by identity) are
 * negative numbers; a string value is one string token; other values start with a marker.
 * A stream can be read back one way only, so two different structures never write the same
 * stream.
 */
export const KeyToken = {
  NUMBER: 1,
  BIGINT: 2,
  TRUE: 3,
  FALSE: 4,
  UNDEFINED: 5,
  NULL: 6,
  /** `ARRAY, n, ...n values` */
  ARRAY: 7,
  /** A loader option's own key string follows. */
  OPTION: 8,
  /** `COLUMN_REF, table identity, key name` */
  COLUMN_REF: 9,
  /** Any other object: its string form follows. */
  OBJECT: 10,
  /** A type past the interned codes: its `cacheKey` string follows. */
  TYPE_STRING: 11,
  /** An element's header: `KIND + kindIndex` (below 2048) + present-field bits from bit 11. */
  KIND: 1024,
  /** An interned type: `TYPE + code`. */
  TYPE: 1 << 20,
} as const;

/** Fields whose presence bits fit in the header token (bits 11–29: a small integer). */
const HEADER_FIELDS = 19;
/** Fields per further mask token. */
const FIELDS_PER_MASK = 30;

/** Mask tokens after the header for an element with `fieldCount` fields. */
export function extraMasks(fieldCount: number): number {
  return fieldCount <= HEADER_FIELDS ? 0 : Math.ceil((fieldCount - HEADER_FIELDS) / FIELDS_PER_MASK);
}

/** Where field `index`'s presence bit goes: word 0 is the header, 1.. the extra masks. */
export function fieldBit(index: number): { word: number; bit: number } {
  if (index < HEADER_FIELDS) return { word: 0, bit: 1 << (11 + index) };
  const rest = index - HEADER_FIELDS;
  return { word: 1 + Math.floor(rest / FIELDS_PER_MASK), bit: 1 << rest % FIELDS_PER_MASK };
}

/** Where a table or table column keeps its identity token (cache-key.ts `identityToken`). */
export const IDENTITY_TOKEN = Symbol('athanor.cacheKeyToken');
/** Where a list of identity-keyed elements (a table's columns) keeps its one token. */
export const LIST_TOKEN = Symbol('athanor.listToken');
/** Where a type object keeps its token (`TYPE + code`) once interned. */
export const TYPE_TOKEN = Symbol('athanor.typeToken');

/** Where a walk writes its tokens and the bound values it meets. */
export interface KeySink {
  /** The tokens; only `[0, n)` is this walk's (the array is reused between walks). */
  t: unknown[];
  n: number;
  values: unknown[];
  /** Structured refs (subqueries, CTEs) already walked: each is walked once per key. */
  seen: Set<unknown> | undefined;
}

/**
 * Helpers the generated key function calls (supplied by cache-key.ts at call time); child
 * elements and element lists it walks itself.
 */
export interface KeyHelpers {
  pairs(v: unknown, s: KeySink): void;
  rows(v: unknown, s: KeySink): void;
  ref(v: unknown, s: KeySink): void;
  value(v: unknown, s: KeySink): void;
  type(type: unknown, s: KeySink): void;
}

export type KeyFn = (el: unknown, s: KeySink, h: KeyHelpers) => void;

/** Helpers the generated bind collector calls. */
export interface BindHelpers {
  collect(el: unknown, out: unknown[], seen: unknown): void;
  collectRef(v: unknown, out: unknown[], seen: unknown): void;
}
export type BindsFn = (el: unknown, out: unknown[], seen: unknown, h: BindHelpers) => void;
/** Calls `visit(child, arg)` on each child element (children of `pairs` and `rows` included), in declaration order. */
export type ChildVisitor = <A>(el: unknown, visit: (child: any, arg: A) => void, arg: A) => void;

const IDENT = /^[A-Za-z_$][\w$]*$/;

function access(name: string): string {
  return IDENT.test(name) ? `el.${name}` : `el[${JSON.stringify(name)}]`;
}

/** Writes the header, the extra masks, and each present field's payload: the same tokens as the generic walk in cache-key.ts. */
export function generateKeyFn(kindIndex: number, fields: FieldSpec): KeyFn | undefined {
  if (kindIndex >= 1024) throw new Error('More than 1024 element kinds: the cache key header has room for 1024.');
  const masks = 1 + extraMasks(fields.length);
  // Children are dispatched here, not through a shared helper: each call site below sees
  // only the classes that occur in this field (a column, a bind...), so V8 keeps it
  // polymorphic instead of one megamorphic site for every node of every statement.
  let body = 'return function (el, s, h) {\nvar v, c, i, tok, at;\n';
  for (let j = 0; j < masks; j++) body += `var m${j} = 0;\n`;
  body += `at = s.n; s.n += ${masks};\n`;
  fields.forEach(([name, fieldKind], index) => {
    const get = access(name);
    const { word, bit } = fieldBit(index);
    const mark = `m${word} |= ${bit};`;
    const present = `v = ${get}; if (v !== undefined && v !== null)`;
    switch (fieldKind) {
      case 'element':
        // A table column is written by its identity token (once made) without a call.
        body += `${present} { ${mark} tok = v[T]; if (tok !== undefined) s.t[s.n++] = tok; else v.keyFn(v, s, h); }\n`;
        break;
      case 'elements':
        body +=
          `${present} { if (v.length !== 0) { ${mark} tok = v[L];\n` +
          '  if (tok !== undefined) s.t[s.n++] = tok;\n' +
          '  else { s.t[s.n++] = v.length; for (i = 0; i < v.length; i++) { c = v[i]; tok = c[T]; if (tok !== undefined) s.t[s.n++] = tok; else c.keyFn(c, s, h); } } } }\n';
        break;
      case 'pairs':
        body += `${present} { if (v.length !== 0) { ${mark} h.pairs(v, s); } }\n`;
        break;
      case 'rows':
        body += `${present} { if (v.length !== 0) { ${mark} h.rows(v, s); } }\n`;
        break;
      case 'value':
        // Mostly strings (operators, names): written here, other values by the helper.
        body += `v = ${get}; if (v !== undefined && v !== N) { ${mark} if (typeof v === 'string') s.t[s.n++] = v; else h.value(v, s); }\n`;
        break;
      case 'flag':
        body += `if (${get}) ${mark}\n`;
        break;
      case 'type':
        body += `${present} { ${mark} tok = v[Y]; if (tok !== undefined) s.t[s.n++] = tok; else h.type(v, s); }\n`;
        break;
      case 'ref':
        body += `${present} { ${mark} h.ref(v, s); }\n`;
        break;
      case 'bind':
        body += `s.values.push(${get}); ${mark}\n`;
        break;
      case 'ignore':
        break;
    }
  });
  body += `s.t[at] = ${KeyToken.KIND + kindIndex} + m0;\n`;
  for (let j = 1; j < masks; j++) body += `s.t[at + ${j}] = m${j};\n`;
  body += '};';
  return generate<(listToken: symbol, typeToken: symbol, none: readonly never[], identityToken: symbol) => KeyFn>(['L', 'Y', 'N', 'T'], body)?.(LIST_TOKEN, TYPE_TOKEN, NONE, IDENTITY_TOKEN);
}

/**
 * Code that calls `call(child)` for every child element of the fields (`element`,
 * `elements`, `pairs` values, `rows` values), plus `extra(kind, value)` for other kinds.
 */
function childCalls(fields: FieldSpec, call: (child: string) => string, extra?: (kind: string, get: string) => string): string {
  let body = 'var v, i, j;\n';
  for (const [name, fieldKind] of fields) {
    const get = access(name);
    const present = `v = ${get}; if (v !== undefined && v !== null)`;
    switch (fieldKind) {
      case 'element':
        body += `${present} ${call('v')};\n`;
        break;
      case 'elements':
        body += `${present} for (i = 0; i < v.length; i++) ${call('v[i]')};\n`;
        break;
      case 'pairs':
        body += `${present} for (i = 0; i < v.length; i++) ${call('v[i][1]')};\n`;
        break;
      case 'rows':
        body += `${present} for (i = 0; i < v.length; i++) for (j = 0; j < v[i].length; j++) ${call('v[i][j][1]')};\n`;
        break;
      default:
        body += extra?.(fieldKind, get) ?? '';
    }
  }
  return body;
}

/** Pushes the node itself for a `bind` field, and recurses into children and structured refs. */
export function generateBindsFn(fields: FieldSpec): BindsFn | undefined {
  const body = childCalls(
    fields,
    (child) => `h.collect(${child}, out, seen)`,
    (kind, get) =>
      kind === 'bind' ? 'out.push(el);\n' : kind === 'ref' ? `v = ${get}; if (v !== undefined && v !== null) h.collectRef(v, out, seen);\n` : '',
  );
  return generate<BindsFn>(['el', 'out', 'seen', 'h'], body);
}

/** Visits the element children (not refs, not binds) of one node. */
export function generateChildVisitor(fields: FieldSpec): ChildVisitor | undefined {
  return generate<ChildVisitor>(['el', 'visit', 'arg'], childCalls(fields, (child) => `visit(${child}, arg)`));
}

/** A shallow copy of an element with some fields replaced (`withFields`). */
export type CloneFn = (source: object, changes: Record<string, unknown>) => object;

/**
 * A copier for instances of one class, generated from the own enumerable keys of a first
 * instance: `Object.create` plus `Object.assign` takes V8's generic path on every
 * generative call (`where`, `join`, `limit`...), a fixed list of assignments does not. The
 * copy is made by a constructor function of its own, so V8 sizes the object for its fields
 * (an object from `Object.create` keeps most of them in a separate, growing store).
 */
export function generateClone(proto: object, keys: readonly string[]): CloneFn | undefined {
  if (!keys.every((k) => IDENT.test(k))) return undefined;
  let body = 'function Copy(s) {\n';
  for (const k of keys) body += `this.${k} = s.${k};\n`;
  body += '}\nCopy.prototype = P;\n';
  body += 'return function clone(s, ch) {\nvar c = new Copy(s);\nfor (var k in ch) c[k] = ch[k];\nreturn c;\n};';
  const factory = generate<(p: object) => CloneFn>(['P'], body);
  return factory?.(proto);
}
