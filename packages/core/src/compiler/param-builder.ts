/**
 * The positional parameters of one execution of a statement without expanding IN lists.
 * Each slot's walk index, name, default and bind processor are fixed by the compiled
 * statement, so a function is generated per statement (as the engine's row maker is): it
 * reads `named["id"]` at a site that sees one key, calls each processor directly, and
 * returns one array literal. The loop below does the same where code generation is
 * unavailable and for very wide statements (large INSERT batches), where a generated
 * function would be too big for V8 to optimise.
 */
import { ArgumentError } from '../errors';
import type { Processor } from '../types/type-engine';
import { generateWithBindings } from '../util/codegen';
import type { BindSlot, Compiled } from './compiled';

export type ParamBuilder = (values: readonly unknown[], named: Record<string, unknown> | undefined) => unknown[];

/** Past this many slots the loop is used (V8 stops optimising very large functions). */
const MAX_GENERATED_SLOTS = 64;

export function missingParameter(name: string): never {
  throw new ArgumentError(`No value for bound parameter '${name}': pass it at execution, e.g. conn.execute(stmt, { ${name}: ... }).`);
}

/** A value as the driver gets it: NULL for null and undefined, else through the bind processor. */
export function bindValue(processor: Processor | null, v: unknown): unknown {
  return v === null || v === undefined ? null : processor === null ? v : processor(v);
}

/** The statement's builder, made on first use and kept on it. */
export function paramBuilder(compiled: Compiled): ParamBuilder {
  let build = compiled.paramBuilder;
  if (build === undefined) {
    const slots = compiled.slots;
    build = (slots.length <= MAX_GENERATED_SLOTS ? generate(slots) : undefined) ?? ((values, named) => loop(slots, values, named));
    compiled.paramBuilder = build;
  }
  return build;
}

/** A value given by name at execution overrides the statement's; else a column default, or (for bindparam()) an error. */
function loop(slots: readonly BindSlot[], values: readonly unknown[], named: Record<string, unknown> | undefined): unknown[] {
  const params = new Array(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    let v = s.walkIndex >= 0 ? values[s.walkIndex] : undefined;
    const key = s.isNamed ? s.name : s.columnKey;
    if (named !== undefined && key !== undefined && Object.hasOwn(named, key)) v = named[key];
    else if (s.columnDefault !== undefined) v = s.columnDefault.evaluate();
    else if (s.isNamed && v === undefined) missingParameter(s.name);
    params[i] = bindValue(s.processor, v);
  }
  return params;
}

/** `loop`, unrolled for one statement's slots. */
function generate(slots: readonly BindSlot[]): ParamBuilder | undefined {
  return generateWithBindings<ParamBuilder>((bind) => {
    const hasOwn = bind(Object.hasOwn);
    const missing = bind(missingParameter);
    let body = '';
    slots.forEach((s, i) => {
      const v = `v${i}`;
      body += `var ${v} = ${s.walkIndex >= 0 ? `values[${s.walkIndex}]` : 'undefined'};\n`;
      const key = s.isNamed ? s.name : s.columnKey;
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
    return `return function buildParams(values, named) {\n${body}\n};`;
  });
}
