/**
 * The positional parameters of one execution of a statement without expanding IN lists,
 * by a function generated per compiled statement (as the engine's row maker is): each
 * slot's walk index, name, default and bind processor are fixed by the compiled statement,
 * so the generated code reads `named["id"]` at a site that sees one key, calls each
 * processor directly, and returns one array literal. Same semantics as the generic loop in
 * compile.ts, which serves where code generation is unavailable and for very wide
 * statements (large INSERT batches), where a generated function would be too big to optimise.
 */
import { ArgumentError } from '../errors';
import type { Compiled } from './compiled';

export type ParamBuilder = (values: readonly unknown[], named: Record<string, unknown> | undefined) => unknown[];

/** Past this many slots the loop is used (V8 stops optimising very large functions). */
const MAX_GENERATED_SLOTS = 64;

export function missingParameter(name: string): never {
  throw new ArgumentError(`No value for bound parameter '${name}': pass it at execution, e.g. conn.execute(stmt, { ${name}: ... }).`);
}

/** The statement's builder, made on first use and kept on it; null where the loop serves. */
export function paramBuilder(compiled: Compiled): ParamBuilder | null {
  let build = compiled.paramBuilder;
  if (build === undefined) {
    build = generate(compiled);
    compiled.paramBuilder = build;
  }
  return build;
}

function generate(compiled: Compiled): ParamBuilder | null {
  const slots = compiled.slots;
  if (slots.length > MAX_GENERATED_SLOTS) return null;
  const bound: unknown[] = [];
  const bind = (value: unknown) => `b${bound.push(value) - 1}`;
  const hasOwn = bind(Object.hasOwn);
  const missing = bind(missingParameter);
  let body = '';
  slots.forEach((s, i) => {
    const v = `v${i}`;
    body += `var ${v} = ${s.walkIndex >= 0 ? `values[${s.walkIndex}]` : 'undefined'};\n`;
    const key = s.isNamed ? s.name : s.columnKey;
    // Otherwise: a column default, or (for bindparam()) an error when no value was ever given.
    const otherwise =
      s.columnDefault !== undefined
        ? `${v} = ${bind(s.columnDefault)}.evaluate();`
        : s.isNamed
          ? `if (${v} === undefined) ${missing}(${JSON.stringify(s.name)});`
          : '';
    if (key !== undefined) {
      const k = JSON.stringify(key);
      body += `if (named !== undefined && ${hasOwn}(named, ${k})) ${v} = named[${k}];\n`;
      if (otherwise) body += `else { ${otherwise} }\n`;
    } else if (otherwise) body += `${otherwise}\n`;
    body +=
      s.processor === null
        ? `if (${v} === undefined) ${v} = null;\n`
        : `${v} = ${v} === null || ${v} === undefined ? null : ${bind(s.processor)}(${v});\n`;
  });
  body += `return [${slots.map((_, i) => `v${i}`).join(', ')}];`;
  try {
    const names = bound.map((_, i) => `b${i}`);
    const factory = new Function(...names, `return function buildParams(values, named) {\n${body}\n};`) as (...b: unknown[]) => ParamBuilder;
    return factory(...bound);
  } catch {
    // A content security policy that forbids eval: the loop serves.
    return null;
  }
}
