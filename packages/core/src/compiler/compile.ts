/**
 * Compiling through the cache, and turning extracted values into the driver's parameters.
 * Two levels of caching: per statement object (a prebuilt statement skips even the
 * cache-key walk) and per structural key in the dialect's LRU.
 */
import { ArgumentError } from '../errors';
import type { Dialect } from '../dialect/dialect';
import { bindsInWalkOrder, hashTokens, keyTokensOf } from '../sql/cache-key';
import { COMPILED_MEMO, type ClauseElement } from '../sql/element';
import type { Compiled, StatementKind } from './compiled';
import { bindValue, missingParameter, paramBuilder } from './param-builder';

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
    let v = s.walkIndex >= 0 ? values[s.walkIndex] : undefined;
    if (named !== undefined && s.isNamed && Object.hasOwn(named, s.name)) v = named[s.name];
    else if (s.isNamed && v === undefined) missingParameter(s.name);
    if (s.expanding) {
      const list = v as unknown[];
      if (!Array.isArray(list)) throw new ArgumentError(`Parameter '${s.name}' is an expanding IN list and needs an array value.`);
      if (list.length === 0) {
        // An empty list matches nothing: (NULL) never equals anything.
        sql += 'NULL';
      } else {
        const items: string[] = [];
        for (const item of list) {
          if (Array.isArray(item)) {
            const tuple: string[] = [];
            for (const x of item) {
              names.push(`${s.name}_${names.length}`);
              tuple.push(compiler.placeholder(params.length, names[names.length - 1]));
              params.push(x);
            }
            items.push(`(${tuple.join(', ')})`);
          } else {
            names.push(`${s.name}_${names.length}`);
            items.push(compiler.placeholder(params.length, names[names.length - 1]));
            params.push(s.processor === null || item === null ? item : s.processor(item));
          }
        }
        sql += items.join(', ');
      }
    } else {
      if (s.columnDefault !== undefined && v === undefined) v = s.columnDefault.evaluate();
      names.push(s.name);
      sql += compiler.placeholder(params.length, s.name);
      params.push(bindValue(s.processor, v));
    }
    sql += compiled.parts[i + 1];
  }
  return { sql, params, names };
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
  const safe = compiled.slots.map((s) => {
    let v = s.walkIndex >= 0 ? values[s.walkIndex] : undefined;
    if (named && Object.hasOwn(named, s.name)) v = named[s.name];
    if (s.columnDefault) v = s.columnDefault.evaluate();
    return v;
  });
  compiled.slots.forEach((s, i) => {
    params[s.name] = safe[i];
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
    let v = s.walkIndex >= 0 ? values[s.walkIndex] : undefined;
    const key = s.isNamed ? s.name : s.columnKey;
    if (named !== undefined && key !== undefined && Object.hasOwn(named, key)) v = named[key];
    else if (s.columnDefault !== undefined) v = s.columnDefault.evaluate();
    else if (s.isNamed && v === undefined) return undefined;
    return bindValue(s.processor, v);
  });
}
