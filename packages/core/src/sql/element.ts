/**
 * The element tree's base. Every element kind declares its structure ONCE, with
 * `defineElement`: its kind (the compiler's dispatch key) and its fields. That one list
 * drives traversal (`children`), generative copies (`withFields`) and the statement cache
 * key (`cache-key.ts`), so there is nothing per class to keep in sync (unlike
 * SQLAlchemy's `inherit_cache`).
 */
import type { CompiledSQL } from '../compiler/compile';
import type { Dialect } from '../dialect/dialect';
import { ELEMENT_BRAND, brandedInstanceOf } from '../util/brand';
import { type BindsFn, type ChildVisitor, type CloneFn, type KeyFn, generateClone, generateBindsFn, generateChildVisitor, generateKeyFn } from './field-codegen';
import type { ElementKinds } from './kinds';

/**
 * Wiring set by the package entry (index.ts): the compiler sits above the element tree,
 * so elements reach it through this slot instead of importing it (no import cycle).
 */
export const elementHooks: { compile?: (el: ClauseElement, dialect?: Dialect, params?: Record<string, unknown>) => CompiledSQL } = {};

/**
 * How a field takes part in structure:
 * - `element`: a child element (or undefined);  `elements`: an array of child elements;
 * - `pairs`: `[column, element][]` (SET clauses); `rows`: an array of `pairs` (VALUES rows);
 * - `value`: a scalar that changes the SQL (operator, name): part of the cache key;
 * - `flag`: a boolean that changes the SQL when true (DISTINCT, OUTER): in the key only when set;
 * - `type`: a TypeEngine, keyed by its `cacheKey`;
 * - `ref`: an object keyed by identity (a Table, a Column's parent), through its `uid`;
 * - `bind`: a value sent as a bound parameter: extracted, never part of the key;
 * - `ignore`: neither structure nor parameter (memoised data).
 */
export type FieldKind = 'element' | 'elements' | 'pairs' | 'rows' | 'value' | 'flag' | 'type' | 'ref' | 'bind' | 'ignore';
/** An element class's declared structure: each field's name and kind, from which its cache key, copy and traversal are generated. */
export type FieldSpec = readonly (readonly [name: string, kind: FieldKind])[];

/** The name of an element kind (`'select'`, `'binary'`, `'bindParam'`…): what a compiler's visitor is chosen by. */
export type ElementKind = keyof ElementKinds;

/**
 * The slot where `compileCached` memoises a statement's compiled form (compiler/compile.ts).
 * A symbol, so the generated copiers (own string keys only) never copy it to a derived statement.
 */
export const COMPILED_MEMO = Symbol('athanor.compiledMemo');

export { NONE } from './none';

let nextUid = 1;
/** A process-unique id, for structures keyed by identity (tables, aliases, CTEs). */
export function newUid(): number {
  return nextUid++;
}

/** The base of every SQL construct (columns, expressions, statements, DDL): a node of the statement tree that compiles to SQL. */
export abstract class ClauseElement {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, ELEMENT_BRAND);
  }

  /** The compiler dispatch key; declared by `defineElement`, stored on the prototype. */
  declare readonly kind: ElementKind;
  /** The structural declaration; stored on the prototype. */
  declare readonly fields: FieldSpec;
  /** The compiler method for this kind (`visitSelect`...), precomputed by `defineElement`. */
  declare readonly visitName: string;
  /** A small number per kind in this copy of the package, for the compiler's dispatch table. */
  declare readonly kindIndex: number;
  /** Walkers generated from `fields` (field-codegen.ts); undefined where code generation is unavailable. */
  declare readonly keyFn: KeyFn | undefined;
  declare readonly bindsFn: BindsFn | undefined;
  declare readonly childVisitor: ChildVisitor | undefined;
  /** `compileCached`'s memo for this statement object (compiler/compile.ts). */
  declare [COMPILED_MEMO]?: unknown;

  /**
   * Compiles to SQL text and parameters for `dialect` (the generic dialect by default):
   * `const { sql, params } = stmt.compile(engine.dialect)`. A `bindparam()` whose value is
   * given at execution shows as `undefined` among the parameters (or pass `params`).
   */
  compile(dialect?: Dialect, params?: Record<string, unknown>): CompiledSQL {
    return elementHooks.compile!(this, dialect, params);
  }

  /** Readable SQL for the generic dialect, with `:name` placeholders. */
  toString(): string {
    return this.compile().sql;
  }

  /** Child elements, in declaration order. */
  children(): ClauseElement[] {
    const out: ClauseElement[] = [];
    const visit = this.childVisitor;
    if (visit !== undefined) {
      visit(this, pushChild, out);
      return out;
    }
    for (const [name, kind] of this.fields) {
      const v = (this as any)[name];
      if (v === undefined || v === null) continue;
      if (kind === 'element') out.push(v);
      else if (kind === 'elements') for (const c of v) out.push(c);
      else if (kind === 'pairs') for (const [, c] of v) out.push(c);
      else if (kind === 'rows') for (const row of v) for (const [, c] of row) out.push(c);
    }
    return out;
  }

  /** A shallow copy with some fields replaced: the basis of every generative method. */
  protected withFields(changes: Record<string, unknown>): this {
    const proto = Object.getPrototypeOf(this);
    let clone = clones.get(proto);
    if (clone === undefined) {
      clone = generateClone(proto, Object.keys(this)) ?? genericClone;
      clones.set(proto, clone);
    }
    return clone(this, changes) as this;
  }
}

Object.defineProperty(ClauseElement.prototype, ELEMENT_BRAND, { value: true });

const kindIndexes = new Map<string, number>();

/** Copiers per element class (generated on the first copy; see field-codegen.ts). */
const clones = new Map<object, CloneFn>();
function genericClone(source: object, changes: Record<string, unknown>): object {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(source)), source, changes);
  // Object.assign copies enumerable symbols too: a derived statement must compile afresh.
  copy[COMPILED_MEMO] = undefined;
  return copy;
}

function pushChild(child: ClauseElement, out: ClauseElement[]): void {
  out.push(child);
}

/**
 * Declares an element class's kind and structure. Call once, right after the class.
 */
export function defineElement(cls: abstract new (...args: any[]) => ClauseElement, kind: ElementKind, fields: FieldSpec): void {
  Object.defineProperty(cls.prototype, 'kind', { value: kind, writable: false });
  Object.defineProperty(cls.prototype, 'fields', { value: fields, writable: false });
  // Computed once here so the compiler's dispatch is one property read, not a map lookup.
  Object.defineProperty(cls.prototype, 'visitName', { value: `visit${kind[0].toUpperCase()}${kind.slice(1)}`, writable: false });
  let index = kindIndexes.get(kind);
  if (index === undefined) kindIndexes.set(kind, (index = kindIndexes.size));
  Object.defineProperty(cls.prototype, 'kindIndex', { value: index, writable: false });
  // Configurable: tables and their columns replace it with an identity key (cache-key.ts).
  Object.defineProperty(cls.prototype, 'keyFn', { value: generateKeyFn(index, fields), writable: false, configurable: true });
  Object.defineProperty(cls.prototype, 'bindsFn', { value: generateBindsFn(fields), writable: false });
  Object.defineProperty(cls.prototype, 'childVisitor', { value: generateChildVisitor(fields), writable: false });
}

/** Depth-first walk over an element and all its descendants. */
export function* iterate(el: ClauseElement): Generator<ClauseElement> {
  const stack: ClauseElement[] = [el];
  while (stack.length) {
    const cur = stack.pop()!;
    yield cur;
    const ch = cur.children();
    for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]);
  }
}
