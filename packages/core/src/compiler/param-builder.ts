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
import { locateBindError } from '../types/bind-checks';
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

/**
 * The one rule for a slot's value, used by every parameter path (the loop here, expanding
 * IN lists and display in compile.ts; the generated builder is its unrolled form, tested
 * against it): a value given by name at execution overrides the statement's; else a column
 * default, or (for bindparam()) an error. A row that gives a column as undefined is refused.
 */
export function slotValue(s: BindSlot, values: readonly unknown[], named: Record<string, unknown> | undefined): unknown {
  const key = s.isNamed ? s.name : s.columnKey;
  if (named !== undefined && key !== undefined && Object.hasOwn(named, key)) {
    const v = named[key];
    if (v === undefined && !s.isNamed) undefinedColumn(key);
    return v;
  }
  if (s.columnDefault !== undefined) return s.columnDefault.evaluate();
  const v = s.walkIndex >= 0 ? values[s.walkIndex] : undefined;
  if (s.isNamed && v === undefined) missingParameter(s.name);
  return v;
}

export function undefinedColumn(key: string): never {
  throw new ArgumentError(`The value for column '${key}' is undefined. Omit the key to use the column's default, or pass null to store NULL.`);
}

/** A bind check's error, rethrown naming the slot's column or parameter. */
export function bindErrorAt(e: unknown, s: BindSlot): unknown {
  return locateBindError(e, s.columnKey !== undefined ? `column '${s.columnKey}'` : `parameter '${s.name}'`);
}

function loop(slots: readonly BindSlot[], values: readonly unknown[], named: Record<string, unknown> | undefined): unknown[] {
  const params = new Array(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const v = slotValue(s, values, named);
    try {
      params[i] = bindValue(s.processor, v);
    } catch (e) {
      throw bindErrorAt(e, s);
    }
  }
  return params;
}

/** `loop`, unrolled for one statement's slots. */
function generate(slots: readonly BindSlot[]): ParamBuilder | undefined {
  return generateWithBindings<ParamBuilder>((bind) => {
    const { body, catcher } = unrolled(bind, slots);
    return `return function buildParams(values, named) {\nvar at = -1;\ntry {\n${body}return [${slots.map((_, i) => `v${i}`).join(', ')}];\n} ${catcher}\n};`;
  });
}

/**
 * Fills `out` with the parameters of `count` rows from `rows[start]` on, one after another
 * (a multi-row INSERT's batch from its single-row statement's slots).
 */
export type BatchFiller = (rows: readonly Record<string, unknown>[], start: number, count: number, out: unknown[]) => void;

/**
 * The single-row statement's builder unrolled inside a loop over rows, writing straight into
 * the batch's array (no array per row). Undefined where code generation is off or the row is
 * too wide; the caller then builds each row with `paramBuilder`.
 */
export function batchFiller(slots: readonly BindSlot[]): BatchFiller | undefined {
  if (slots.length > MAX_GENERATED_SLOTS) return undefined;
  return generateWithBindings<BatchFiller>((bind) => {
    const noValues = bind([]);
    const { body, catcher } = unrolled(bind, slots);
    const stores = slots.map((_, i) => `out[o + ${i}] = v${i};`).join(' ');
    return (
      `return function fillBatch(rows, start, count, out) {\nvar at = -1;\nvar values = ${noValues};\ntry {\n` +
      `for (var r = 0, o = 0; r < count; r++, o += ${slots.length}) {\nvar named = rows[start + r];\n${body}${stores}\n}\n} ${catcher}\n};`
    );
  });
}

/** The statements computing `v0`, `v1`... from `values` and `named`, and the catch clause naming the slot that failed. */
function unrolled(bind: (value: unknown) => string, slots: readonly BindSlot[]): { body: string; catcher: string } {
  const hasOwn = bind(Object.hasOwn);
  const missing = bind(missingParameter);
  const undefinedCol = bind(undefinedColumn);
  const errorAt = bind(bindErrorAt);
  const slotList = bind(slots);
  let body = '';
  slots.forEach((s, i) => {
    const v = `v${i}`;
    const key = s.isNamed ? s.name : s.columnKey;
    const otherwise =
      s.columnDefault !== undefined
        ? `${v} = ${bind(s.columnDefault)}.evaluate();`
        : `${v} = ${s.walkIndex >= 0 ? `values[${s.walkIndex}]` : 'undefined'};${s.isNamed ? ` if (${v} === undefined) ${missing}(${JSON.stringify(s.name)});` : ''}`;
    body += `var ${v};\n`;
    if (key !== undefined) {
      const k = JSON.stringify(key);
      const refuseUndefined = s.isNamed ? '' : ` if (${v} === undefined) ${undefinedCol}(${k});`;
      body += `if (named !== undefined && ${hasOwn}(named, ${k})) { ${v} = named[${k}];${refuseUndefined} }\n`;
      body += `else { ${otherwise} }\n`;
    } else body += `${otherwise}\n`;
    body +=
      s.processor === null
        ? `if (${v} === undefined) ${v} = null;\n`
        : `at = ${i}; ${v} = ${v} === null || ${v} === undefined ? null : ${bind(s.processor)}(${v});\n`;
  });
  return { body, catcher: `catch (e) { throw at < 0 ? e : ${errorAt}(e, ${slotList}[at]); }` };
}
