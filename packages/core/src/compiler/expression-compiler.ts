/** Column expressions: binds, operators, functions, CASE, CAST, window functions, text. */
import { CompileError, UnsupportedCompilationError } from '../errors';
import type {
  Between,
  BinaryExpression,
  BindParameter,
  BooleanClauseList,
  Cast,
  ConstantPredicate,
  Grouping,
  Keyword,
  Label,
  Tuple,
  UnaryExpression,
} from '../sql/column-element';
import type { DialectClause } from '../sql/dialect-clause';
import type { Case, FrameBound, FunctionCall, Over, TypeCoerce } from '../sql/functions';
import type { ColumnClause } from '../sql/selectable';
import type { LiteralColumn, SqlFragment, TextClause } from '../sql/text';
import type { TypeEngine } from '../types/type-engine';
import { BaseCompiler, type CompileContext } from './base-compiler';
import { isDateArithmetic } from '../sql/numeric-coercion';

/** camelCase names of known functions → SQL names. */
const FUNCTION_NAMES: Record<string, string> = { countDistinct: 'count', currentTimestamp: 'CURRENT_TIMESTAMP', currentDate: 'CURRENT_DATE' };
/** Functions written without parentheses. */
const NILADIC = new Set(['current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime']);

export abstract class ExpressionCompiler extends BaseCompiler {
  visitBindParam(el: BindParameter, ctx: CompileContext): string {
    const m = this.bindMarker(el, ctx);
    return el.expanding && !ctx.literalBinds ? `(${m})` : m;
  }

  visitColumn(el: ColumnClause<any, any>, ctx: CompileContext): string {
    if (ctx.unqualified || !el.table) return this.quote(el.name);
    const t = el.table as any;
    const tableName = t.kind === 'table' && !this.isAliasedAway(t) ? this.quoteSchemaTable(t.schema, t.name) : this.quote(t.name);
    return `${tableName}.${this.quote(el.name)}`;
  }

  /** Hook for subclasses that render a table under another name (none by default). */
  protected isAliasedAway(_table: unknown): boolean {
    return false;
  }

  visitBinary(el: BinaryExpression<any>, ctx: CompileContext): string {
    const op = el.operator;
    if (op === 'ILIKE' || op === 'NOT ILIKE') return this.ilike(el, ctx);
    if (op === '||') return this.concatOperator(this.process(el.left, ctx), this.process(el.right, ctx));
    if ((op === 'IS DISTINCT FROM' || op === 'IS NOT DISTINCT FROM')) return this.distinctFrom(el, ctx);
    if ((op === '+' || op === '-') && isDateArithmetic(el)) return this.dateArithmetic(el, ctx);
    const left = this.process(el.left, ctx);
    const right = this.process(el.right, ctx);
    if (op === '/') return this.division(el, left, right);
    const escape = el.escape !== undefined ? ` ESCAPE ${this.renderLiteral(el.escape)}` : '';
    return `${left} ${op} ${right}${escape}`;
  }

  /**
   * `a / b`. The expression's type says which division it is: Integer (both sides integers)
   * truncates, anything else is exact or floating division. Dialects whose `/` does the
   * other one override (MySQL's `/` never truncates; SQLite's truncates two INTEGERs).
   */
  protected division(_el: BinaryExpression<any>, left: string, right: string): string {
    return `${left} / ${right}`;
  }

  /** `date ± interval`, `date - date`: see DateTimeCompiler. */
  protected abstract dateArithmetic(el: BinaryExpression<any>, ctx: CompileContext): string;

  /** `a || b`; MySQL overrides with `concat(a, b)`. */
  protected concatOperator(left: string, right: string): string {
    return `${left} || ${right}`;
  }

  /** ILIKE where the database has it; `lower(a) LIKE lower(b)` elsewhere. */
  protected ilike(el: BinaryExpression<any>, ctx: CompileContext): string {
    const escape = el.escape !== undefined ? ` ESCAPE ${this.renderLiteral(el.escape)}` : '';
    const left = this.process(el.left, ctx);
    const right = this.process(el.right, ctx);
    if (this.dialect.capabilities.select.ilike) return `${left} ${el.operator} ${right}${escape}`;
    const op = el.operator === 'ILIKE' ? 'LIKE' : 'NOT LIKE';
    return `lower(${left}) ${op} lower(${right})${escape}`;
  }

  protected distinctFrom(el: BinaryExpression<any>, ctx: CompileContext): string {
    return `${this.process(el.left, ctx)} ${el.operator} ${this.process(el.right, ctx)}`;
  }

  visitUnary(el: UnaryExpression, ctx: CompileContext): string {
    let s = this.process(el.element, ctx);
    if (el.operator) s = el.operator === '-' ? `-${s}` : `${el.operator} ${s}`;
    if (el.modifier) s = this.orderModifier(s, el.modifier);
    return s;
  }

  /** `x DESC`, `x NULLS LAST`; dialects without NULLS ordering override. */
  protected orderModifier(rendered: string, modifier: string): string {
    return `${rendered} ${modifier}`;
  }

  visitBooleanList(el: BooleanClauseList, ctx: CompileContext): string {
    return el.clauses.map((c) => this.process(c, ctx)).join(` ${el.operator} `);
  }

  visitGrouping(el: Grouping, ctx: CompileContext): string {
    return `(${this.process(el.element, ctx)})`;
  }

  visitLabel(el: Label<any, any>, ctx: CompileContext): string {
    // A label outside the columns clause (WHERE, ORDER BY...) renders its expression.
    return this.process(el.element, ctx);
  }

  visitCast(el: Cast, ctx: CompileContext): string {
    return `CAST(${this.process(el.element, ctx)} AS ${this.castTypeName(el.type)})`;
  }

  /** The type name in CAST; dialects override where CAST's names differ from DDL's (MySQL). */
  protected castTypeName(type: TypeEngine<any>): string {
    return this.typeName(type);
  }

  visitTypeCoerce(el: TypeCoerce, ctx: CompileContext): string {
    return this.process(el.element, ctx);
  }

  visitBetween(el: Between, ctx: CompileContext): string {
    const kw = `${el.negated ? 'NOT ' : ''}BETWEEN${el.symmetric ? ' SYMMETRIC' : ''}`;
    return `${this.process(el.element, ctx)} ${kw} ${this.process(el.lower, ctx)} AND ${this.process(el.upper, ctx)}`;
  }

  visitTuple(el: Tuple, ctx: CompileContext): string {
    return `(${el.elements.map((e) => this.process(e, ctx)).join(', ')})`;
  }

  visitKeyword(el: Keyword, _ctx: CompileContext): string {
    if (el.word === 'NULL') return 'NULL';
    return this.booleanLiteral(el.word === 'TRUE');
  }

  visitConstantPredicate(el: ConstantPredicate, _ctx: CompileContext): string {
    return el.value ? '1 = 1' : '1 <> 1';
  }

  visitFunction(el: FunctionCall<any, any>, ctx: CompileContext): string {
    const name = this.functionName(el.name);
    if (NILADIC.has(name.toLowerCase()) && el.args.length === 0) return name.toUpperCase();
    const args = el.args.map((a) => this.process(a, ctx)).join(', ');
    const call = `${name}(${el.distinctArgs ? 'DISTINCT ' : ''}${el.name === 'count' && el.args.length === 0 ? '*' : args})`;
    if (!el.filterClause) return call;
    if (this.dialect.capabilities.select.aggregateFilter) return `${call} FILTER (WHERE ${this.process(el.filterClause, ctx)})`;
    // Emulate FILTER with CASE inside the aggregate.
    const inner = el.args.length ? args : '1';
    return `${name}(${el.distinctArgs ? 'DISTINCT ' : ''}CASE WHEN ${this.process(el.filterClause, ctx)} THEN ${inner} END)`;
  }

  /** The SQL name of a function; dialects map names that differ (`now` on SQLite...). */
  protected functionName(name: string): string {
    const mapped = FUNCTION_NAMES[name];
    if (mapped) return mapped;
    return /[A-Z]/.test(name) ? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : name;
  }

  visitOver(el: Over<any, any>, ctx: CompileContext): string {
    if (!this.dialect.capabilities.select.windowFunctions) {
      throw new UnsupportedCompilationError(`Window functions are not supported by ${this.dialect.name} ${this.dialect.serverVersion.join('.')}.`);
    }
    const parts: string[] = [];
    if (el.partitionBy.length) parts.push(`PARTITION BY ${el.partitionBy.map((p) => this.process(p, ctx)).join(', ')}`);
    if (el.orderBy.length) parts.push(`ORDER BY ${el.orderBy.map((p) => this.process(p, ctx)).join(', ')}`);
    if (el.rows) parts.push(`ROWS ${this.frame(el.rows)}`);
    else if (el.range) parts.push(`RANGE ${this.frame(el.range)}`);
    return `${this.process(el.element, ctx)} OVER (${parts.join(' ')})`;
  }

  private frame([start, end]: readonly [FrameBound, FrameBound]): string {
    const bound = (b: FrameBound, side: 'PRECEDING' | 'FOLLOWING') => {
      if (b === null) return `UNBOUNDED ${side}`;
      if (b === 0) return 'CURRENT ROW';
      return b < 0 ? `${-b} PRECEDING` : `${b} FOLLOWING`;
    };
    return `BETWEEN ${bound(start, 'PRECEDING')} AND ${bound(end, 'FOLLOWING')}`;
  }

  visitCase(el: Case, ctx: CompileContext): string {
    let s = 'CASE';
    if (el.value) s += ` ${this.process(el.value, ctx)}`;
    for (let i = 0; i < el.whens.length; i++) s += ` WHEN ${this.process(el.whens[i], ctx)} THEN ${this.process(el.thens[i], ctx)}`;
    if (el.elseValue) s += ` ELSE ${this.process(el.elseValue, ctx)}`;
    return `${s} END`;
  }

  visitText(el: TextClause<any>, ctx: CompileContext): string {
    // A top-level text() with .columns() types and processes its rows.
    if (this.statementDepth === 0 && el.typedColumns) this.topResultColumns = el.resultColumns().map((c) => ({ ...c, element: el }));
    let s = el.parts[0];
    for (let i = 0; i < el.binds.length; i++) s += this.process(el.binds[i], ctx) + el.parts[i + 1];
    return s;
  }

  visitSqlFragment(el: SqlFragment, ctx: CompileContext): string {
    let s = el.parts[0];
    for (let i = 0; i < el.values.length; i++) {
      const v = el.values[i] as any;
      // A table or alias inside a fragment renders as its name, not as a subquery.
      const rendered = v.kind === 'table' ? this.quoteSchemaTable(v.schema, v.name) : this.process(v, ctx);
      s += rendered + el.parts[i + 1];
    }
    return s;
  }

  visitLiteralColumn(el: LiteralColumn, _ctx: CompileContext): string {
    return el.text;
  }

  visitDialectClause(el: DialectClause, ctx: CompileContext): string {
    const render = this.dialectClauseRenderers()[el.clauseName];
    if (!render) {
      throw new UnsupportedCompilationError(
        `${el.constructor.name} is specific to ${el.dialects.join(' / ')} and cannot be compiled for the '${this.dialect.name}' dialect; compile it with ${el.dialects[0]}'s dialect or remove it.`,
      );
    }
    return render.call(this, el, ctx);
  }

  /** Dialect-only constructs this compiler can render, by clause name. */
  protected dialectClauseRenderers(): Record<string, (el: any, ctx: CompileContext) => string> {
    return {};
  }

  /** The SQL type name for DDL and CAST. */
  abstract typeName(type: TypeEngine<any>): string;

  protected unsupported(what: string): never {
    throw new UnsupportedCompilationError(`${what} is not supported by the '${this.dialect.name}' dialect.`);
  }

  protected internal(what: string): never {
    throw new CompileError(what);
  }
}
