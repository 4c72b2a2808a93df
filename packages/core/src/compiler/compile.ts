/**
 * Compiling through the cache, and turning extracted values into the driver's parameters.
 * Two levels of caching: per statement object (a prebuilt statement skips even the
 * cache-key walk) and per structural key in the dialect's LRU.
 */
import { ArgumentError } from '../errors';
import type { Dialect } from '../dialect/dialect';
import { bindsInWalkOrder, hashTokens, keyTokensOf } from '../sql/cache-key';
import { COMPILED_MEMO, type ClauseElement } from '../sql/element';
import type { BindSlot, Compiled, StatementKind } from './compiled';
import { bindErrorAt, bindValue, paramBuilder, slotValue } from './param-builder';
import type { SQLCompiler } from './sql-compiler';

/** A statement's compiled form (from the cache when its structure was seen before) together with its own bound values. */
export interface CompiledWithValues {
  compiled: Compiled;
  /** The statement's own bound values, in walk order. */
  values: unknown[];
}

/**
 * The per-statement memo lives on the statement under a symbol (a plain assignment: a
 * `defineProperty` costs ten times more on the many statements built per call, and a
 * WeakMap entry more still). Generative copies never carry it (see `withFields`).
 */
interface StatementMemo extends CompiledWithValues {
  /** The dialect it was compiled for: a statement compiled for another one is compiled again. */
  dialect: Dialect;
}

const KINDS: Record<string, StatementKind> = {
  select: 'select',
  compoundSelect: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  merge: 'update',
  text: 'text',
  sqlFragment: 'text',
};

/** Compiles `el` for `dialect`, using the caches. */
export function compileCached(dialect: Dialect, el: ClauseElement): CompiledWithValues {
  const memo = el[COMPILED_MEMO] as StatementMemo | undefined;
  if (memo !== undefined && memo.dialect === dialect) return memo;
  const key = keyTokensOf(el);
  const values = key.values;
  const hash = hashTokens(key.t, key.n);
  let compiled = dialect.compiledCache.get(hash, key.t, key.n);
  if (compiled === undefined) {
    // Copied before compiling: the token buffer is reused by the next key walk.
    const tokens = key.t.slice(0, key.n);
    compiled = compileUncached(dialect, el);
    dialect.compiledCache.set(hash, tokens, compiled);
  }
  // The result is the memo (one allocation, not two): a statement built per call pays for it
  // on every execution, and most are executed once.
  const result: StatementMemo = { compiled, values, dialect };
  if (memo !== undefined || Object.isExtensible(el)) el[COMPILED_MEMO] = result;
  return result;
}

/** Compiles without any cache (benchmarks, and the cache's own misses). */
export function compileUncached(dialect: Dialect, el: ClauseElement): Compiled {
  return dialect.createCompiler().compileStatement(el, bindsInWalkOrder(el), KINDS[el.kind] ?? 'ddl');
}

/**
 * The positional parameter list for one execution, and the SQL (re-rendered only when
 * expanding parameters change the placeholder count). `named` overrides `bindparam()` values.
 */
export function buildParams(
  dialect: Dialect,
  compiled: Compiled,
  values: readonly unknown[],
  named?: Record<string, unknown>,
): { sql: string; params: unknown[]; names?: string[] } {
  const slots = compiled.slots;
  const n = slots.length;
  if (!compiled.hasExpanding) return { sql: compiled.sql, params: paramBuilder(compiled)(values, named) };
  // Expanding: one placeholder per list item, numbered afresh.
  const compiler = dialect.createCompiler();
  const params: unknown[] = [];
  const names: string[] = [];
  let sql = compiled.parts[0];
  for (let i = 0; i < n; i++) {
    const s = slots[i];
    const v = slotValue(s, values, named);
    try {
      if (s.expanding) sql += expandList(compiler, s, v, params, names);
      else {
        names.push(s.name);
        sql += compiler.placeholder(params.length, s.name);
        params.push(bindValue(s.processor, v));
      }
    } catch (e) {
      throw bindErrorAt(e, s);
    }
    sql += compiled.parts[i + 1];
  }
  return { sql, params, names };
}

/**
 * An expanding IN list: one placeholder per item (a parenthesised group per tuple), each
 * item through the bind step of its type (a tuple's items by element), appended to `params`.
 */
function expandList(compiler: SQLCompiler, s: BindSlot, list: unknown, params: unknown[], names: string[]): string {
  if (!Array.isArray(list)) throw new ArgumentError(`Parameter '${s.name}' is an expanding IN list and needs an array value.`);
  // An empty list matches nothing: (NULL) never equals anything.
  if (list.length === 0) return 'NULL';
  const items: string[] = [];
  const itemProcessors = s.itemProcessors;
  for (const item of list) {
    if (itemProcessors !== undefined) {
      if (!Array.isArray(item) || item.length !== itemProcessors.length) {
        throw new ArgumentError(`Parameter '${s.name}' compares a tuple of ${itemProcessors.length} elements: each item must be an array of ${itemProcessors.length} values.`);
      }
      const tuple: string[] = [];
      for (let j = 0; j < item.length; j++) {
        names.push(`${s.name}_${names.length}`);
        tuple.push(compiler.placeholder(params.length, names[names.length - 1]));
        params.push(bindValue(itemProcessors[j], item[j]));
      }
      items.push(`(${tuple.join(', ')})`);
    } else {
      if (item === undefined) throw new ArgumentError(`Parameter '${s.name}': an in() list item is undefined; remove it, or pass null.`);
      names.push(`${s.name}_${names.length}`);
      items.push(compiler.placeholder(params.length, names[names.length - 1]));
      params.push(bindValue(s.processor, item));
    }
  }
  return items.join(', ');
}

/** What `stmt.compile(dialect)` returns: SQL text and its parameters (an object for `:name` style). */
export interface CompiledSQL {
  sql: string;
  params: unknown[] | Record<string, unknown>;
}

export function compileForDisplay(dialect: Dialect, el: ClauseElement, named?: Record<string, unknown>): CompiledSQL {
  const compiled = compileUncached(dialect, el);
  const { values } = keyTokensOf(el);
  if (dialect.paramStyle !== 'named') {
    if (!compiled.hasExpanding) return { sql: compiled.sql, params: displayParams(compiled, values, named) };
    const { sql, params } = buildParams(dialect, compiled, values, named);
    return { sql, params };
  }
  if (compiled.hasExpanding) {
    const built = buildParams(dialect, compiled, values, named);
    const obj: Record<string, unknown> = {};
    built.names!.forEach((n, i) => {
      obj[n] = built.params[i];
    });
    return { sql: built.sql, params: obj };
  }
  const params: Record<string, unknown> = {};
  const shown = displayParams(compiled, values, named);
  compiled.slots.forEach((s, i) => {
    params[s.name] = shown[i];
  });
  return { sql: compiled.sql, params };
}

/**
 * Positional parameters for display: as execution would bind them, except that a
 * `bindparam()` still waiting for its value shows as `undefined` instead of failing, so a
 * prebuilt statement's SQL can be inspected before it runs.
 */
function displayParams(compiled: Compiled, values: readonly unknown[], named: Record<string, unknown> | undefined): unknown[] {
  return compiled.slots.map((s) => {
    const waiting = s.isNamed && s.walkIndex >= 0 && values[s.walkIndex] === undefined && !(named !== undefined && Object.hasOwn(named, s.name));
    if (waiting) return undefined;
    try {
      return bindValue(s.processor, slotValue(s, values, named));
    } catch (e) {
      throw bindErrorAt(e, s);
    }
  });
}
