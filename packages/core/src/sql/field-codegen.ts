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
 * Where code generation is forbidden (a runtime without `new Function`), `generate` returns
 * undefined and the callers fall back to their generic, declaration-driven loops.
 */
import type { FieldSpec } from './element';

/** Helpers the generated key function calls (supplied by cache-key.ts at call time). */
export interface KeyHelpers {
  walk(el: unknown, values: unknown[], seen: unknown): string;
  walkElements(v: unknown, values: unknown[], seen: unknown): string;
  walkPairs(v: unknown, values: unknown[], seen: unknown): string;
  walkRows(v: unknown, values: unknown[], seen: unknown): string;
  refField(v: unknown, values: unknown[], seen: unknown): string;
  valueKey(v: unknown): string;
  typeKey(type: unknown): string;
}

export type KeyFn = (el: unknown, values: unknown[], seen: unknown, h: KeyHelpers) => string;

/** Helpers the generated bind collector calls. */
export interface BindHelpers {
  collect(el: unknown, out: unknown[], seen: unknown): void;
  collectRef(v: unknown, out: unknown[], seen: unknown): void;
}
export type BindsFn = (el: unknown, out: unknown[], seen: unknown, h: BindHelpers) => void;
/** Calls `visit(child, arg)` on each child element (children of `pairs` and `rows` included), in declaration order. */
export type ChildVisitor = <A>(el: unknown, visit: (child: any, arg: A) => void, arg: A) => void;

const IDENT = /^[A-Za-z_$][\w$]*$/;
let codegenAvailable = true;

function access(name: string): string {
  return IDENT.test(name) ? `el.${name}` : `el[${JSON.stringify(name)}]`;
}

function generate<F>(params: string[], body: string): F | undefined {
  if (!codegenAvailable) return undefined;
  try {
    return new Function(...params, body) as F;
  } catch {
    // A content security policy that forbids eval: use the generic walkers from now on.
    codegenAvailable = false;
    return undefined;
  }
}

/**
 * A short code for an element kind in cache keys, from its kind index (`defineElement`):
 * one Latin-1 letter for the first 64 kinds (a key stays a one-byte string, cheap to hash),
 * `~n` after that. Keys only live in this process, so the numbering need not be stable.
 */
export function kindCode(kindIndex: number): string {
  return kindIndex < 64 ? String.fromCharCode(0xc0 + kindIndex) : `~${kindIndex}`;
}

/**
 * The tag of a field in a cache key: a lower-case letter by position (`a` for the first
 * field). Only fields that differ from their empty state are written, each after its tag,
 * so a statement's many unused clauses cost nothing in the key, and the tags keep the key
 * unambiguous (no value encoding starts with a lower-case letter; see cache-key.ts).
 */
export function fieldTag(index: number): string {
  return index < 26 ? String.fromCharCode(97 + index) : `~${index}~`;
}

/** `<code>(<tag><field>...)`: the same string the generic walk in cache-key.ts builds. */
export function generateKeyFn(kindIndex: number, fields: FieldSpec): KeyFn | undefined {
  let body = 'var v;\nvar k = ' + JSON.stringify(kindCode(kindIndex) + '(') + ';\n';
  fields.forEach(([name, fieldKind], index) => {
    const get = access(name);
    const tag = JSON.stringify(fieldTag(index));
    const present = `v = ${get}; if (v !== undefined && v !== null)`;
    switch (fieldKind) {
      case 'element':
        body += `${present} k += ${tag} + h.walk(v, values, seen);\n`;
        break;
      case 'elements':
        body += `${present} { if (v.length !== 0) k += ${tag} + h.walkElements(v, values, seen); }\n`;
        break;
      case 'pairs':
        body += `${present} { if (v.length !== 0) k += ${tag} + h.walkPairs(v, values, seen); }\n`;
        break;
      case 'rows':
        body += `${present} { if (v.length !== 0) k += ${tag} + h.walkRows(v, values, seen); }\n`;
        break;
      case 'value':
        body += `v = ${get}; if (v !== undefined) k += ${tag} + h.valueKey(v);\n`;
        break;
      case 'flag':
        body += `if (${get}) k += ${tag};\n`;
        break;
      case 'type':
        body += `${present} k += ${tag} + h.typeKey(v);\n`;
        break;
      case 'ref':
        body += `${present} k += ${tag} + h.refField(v, values, seen);\n`;
        break;
      case 'bind':
        body += `values.push(${get}); k += ${tag} + '?';\n`;
        break;
      case 'ignore':
        break;
    }
  });
  body += "return k + ')';";
  return generate<KeyFn>(['el', 'values', 'seen', 'h'], body);
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
 * generative call (`where`, `join`, `limit`...), a fixed list of assignments does not.
 */
export function generateClone(proto: object, keys: readonly string[]): CloneFn | undefined {
  if (!keys.every((k) => IDENT.test(k))) return undefined;
  let body = 'return function clone(s, ch) {\nvar c = Object.create(P);\n';
  for (const k of keys) body += `c.${k} = s.${k};\n`;
  body += 'for (var k in ch) c[k] = ch[k];\nreturn c;\n};';
  const factory = generate<(p: object) => CloneFn>(['P'], body);
  return factory?.(proto);
}
