import { Dialect } from '../dialect/dialect';
import type { ClauseElement } from '../sql/element';
import { type CompiledSQL, compileForDisplay } from './compile';

/** The generic dialect behind `stmt.toString()` and `stmt.compile()` without an argument. */
export const defaultDialect = new Dialect({ compiledCacheSize: 0 });

/** `stmt.compile(dialect?)`. */
export function compileStatement(el: ClauseElement, dialect: Dialect = defaultDialect, params?: Record<string, unknown>): CompiledSQL {
  return compileForDisplay(dialect, el, params);
}
