import { ClauseElement, type FieldSpec, defineElement } from './element';

/**
 * The base of dialect-only constructs (`ON CONFLICT`, `ON DUPLICATE KEY UPDATE`...). Core
 * compiles it by asking the compiler for a renderer registered under `clauseName`; a
 * dialect that has none raises an error naming the dialect the construct belongs to.
 * Subclasses declare their own structure with `defineDialectClause`.
 */
export abstract class DialectClause extends ClauseElement {
  /** The renderer name, e.g. `'postgresql.onConflict'`. */
  declare readonly clauseName: string;
  /** The dialects that can compile this construct, for the error message. */
  declare readonly dialects: readonly string[];
}

/** Declares a dialect-only construct: its renderer name, the dialects that compile it, and its fields (as `defineElement` does for Core elements). */
export function defineDialectClause(
  cls: abstract new (...args: any[]) => DialectClause,
  clauseName: string,
  dialects: readonly string[],
  fields: FieldSpec,
): void {
  defineElement(cls, 'dialectClause', [['clauseName', 'value'], ...fields]);
  Object.defineProperty(cls.prototype, 'clauseName', { value: clauseName });
  Object.defineProperty(cls.prototype, 'dialects', { value: dialects });
}
