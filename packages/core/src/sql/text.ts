import { ArgumentError } from '../errors';
import { describeValue, refuseNul } from '../util/refuse';
import { NullTypeOf } from '../types/generic';
import { type TypeArg, type TypeEngine, toType } from '../types/type-engine';
import { BindParameter, ColumnElement } from './column-element';
import { ClauseElement, defineElement } from './element';

/**
 * Raw SQL: the only way to inject text. `:name` placeholders become bound parameters
 * (`text('SELECT * FROM t WHERE id = :id').bindparams({ id: 5 })`, or values at execution);
 * `\\:` escapes a literal colon. `.columns({ id: Integer })` types the rows it returns.
 */
export class TextClause<Row = Record<string, unknown>> extends ColumnElement<unknown> {
  declare readonly __row: Row;
  readonly text: string;
  /** The text split around placeholders: `parts[i]` precedes `binds[i]`. */
  readonly parts: readonly string[];
  readonly binds: readonly BindParameter[];
  readonly typedColumns: readonly { key: string; type: TypeEngine<any> }[] | undefined;
  readonly type = NullTypeOf();

  constructor(text: string, parts?: readonly string[], binds?: readonly BindParameter[], typedColumns?: { key: string; type: TypeEngine<any> }[]) {
    super();
    if (typeof text !== 'string') throw new ArgumentError(`text() takes a string of SQL; got ${describeValue(text)}.`);
    this.text = refuseNul(text, 'text() SQL');
    if (parts && binds) {
      this.parts = parts;
      this.binds = binds;
    } else {
      const p: string[] = [];
      const b: BindParameter[] = [];
      let last = 0;
      const re = /(?<![:\w\\]):(\w+)(?!:)/g;
      for (const m of text.matchAll(re)) {
        p.push(text.slice(last, m.index).replace(/\\:/g, ':'));
        b.push(new BindParameter(m[1], undefined, undefined, { isNamed: true }));
        last = m.index! + m[0].length;
      }
      p.push(text.slice(last).replace(/\\:/g, ':'));
      this.parts = p;
      this.binds = b;
    }
    this.typedColumns = typedColumns;
  }

  /** Gives values to named placeholders now (they can still be overridden at execution). */
  bindparams(values: Record<string, unknown>): TextClause<Row> {
    for (const k of Object.keys(values)) {
      if (!this.binds.some((b) => b.name === k)) throw new ArgumentError(`text(): no placeholder ':${k}' in "${this.text}".`);
    }
    const binds = this.binds.map((b) => (b.name! in values ? new BindParameter(b.name, values[b.name!], b.type, { isNamed: true }) : b));
    return new TextClause<Row>(this.text, this.parts, binds, this.typedColumns as any);
  }

  /** Declares the result columns and their types, so rows are processed and typed. */
  columns<C extends Record<string, TypeArg<any>>>(columns: C): TextClause<{ [K in keyof C]: C[K] extends TypeArg<infer T> ? T | null : never }> {
    const typed = Object.entries(columns).map(([key, t]) => ({ key, type: toType(t) }));
    return new TextClause(this.text, this.parts, this.binds, typed);
  }

  resultColumns(): { key: string; type: TypeEngine<any> }[] {
    return this.typedColumns ? [...this.typedColumns] : [];
  }
}
defineElement(TextClause, 'text', [
  ['parts', 'value'],
  ['binds', 'elements'],
]);

/** A textual SQL statement or fragment; `:name` placeholders become bound parameters. */
export function text(sql: string): TextClause {
  return new TextClause(sql);
}

/**
 * A tagged template whose `${}` values bind as parameters and whose elements (columns,
 * tables, expressions) are compiled in place: sql`SELECT * FROM ${users} WHERE id = ${id}`.
 */
export function sql<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment<T> {
  if (!isTemplateStrings(strings)) {
    throw new ArgumentError(
      'sql is a template tag: write sql`SELECT ... WHERE id = ${id}` (values become bound parameters). It does not take a string, an object or parsed JSON; for SQL text you wrote yourself use text().',
    );
  }
  if (values.length !== strings.length - 1) throw new ArgumentError(`sql: a template call with ${strings.length} strings passes ${strings.length - 1} values; got ${values.length}.`);
  for (const s of strings) refuseNul(s, 'sql`` text');
  return new SqlFragment<T>(strings.raw.map((s, i) => strings[i] ?? s), values.map((v) => (v instanceof ClauseElement ? v : new BindParameter(undefined, v))));
}

/**
 * Only a real template call passes: the engine freezes the strings array and its `raw`
 * twin, which no JSON document or spread-out object can reproduce.
 */
function isTemplateStrings(strings: unknown): strings is TemplateStringsArray {
  if (!Array.isArray(strings) || !Object.isFrozen(strings) || strings.length === 0) return false;
  const raw = (strings as unknown as { raw?: unknown }).raw;
  if (!Array.isArray(raw) || !Object.isFrozen(raw) || raw.length !== strings.length) return false;
  for (let i = 0; i < strings.length; i++) if ((strings[i] !== undefined && typeof strings[i] !== 'string') || typeof raw[i] !== 'string') return false;
  return true;
}

/** The element built by the `sql` tag: literal parts interleaved with elements. */
export class SqlFragment<T = unknown> extends ColumnElement<T> {
  readonly type: TypeEngine<any>;
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly ClauseElement[],
    type?: TypeEngine<any>,
  ) {
    super();
    this.type = type ?? NullTypeOf();
  }
  /** Types the fragment's value: sql`...`.as(Integer). */
  as<R>(type: TypeArg<R>): SqlFragment<R> {
    return new SqlFragment<R>(this.parts, this.values, toType(type));
  }
}
defineElement(SqlFragment, 'sqlFragment', [
  ['parts', 'value'],
  ['values', 'elements'],
  ['type', 'type'],
]);

/** Inline SQL text as a column expression: `literalColumn('1')`, `literalColumn('now()', DateTime)`. */
export class LiteralColumn<T = unknown> extends ColumnElement<T> {
  constructor(
    readonly text: string,
    readonly type: TypeEngine<any>,
  ) {
    super();
  }
}
defineElement(LiteralColumn, 'literalColumn', [
  ['text', 'value'],
  ['type', 'type'],
]);

/** A column given as SQL text (`literalColumn('count(*)', Integer)`), selectable and comparable like any column. */
export function literalColumn<T = unknown>(text: string, type?: TypeArg<T>): LiteralColumn<T> {
  if (typeof text !== 'string') throw new ArgumentError(`literalColumn() takes a string of SQL; got ${describeValue(text)}.`);
  refuseNul(text, 'literalColumn() SQL');
  return new LiteralColumn<T>(text, type ? toType(type) : NullTypeOf());
}
