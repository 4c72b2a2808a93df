/**
 * Date and time expressions: `extract()`, `dateTrunc()`, `interval()` and the date
 * arithmetic built on them (`date ± interval`, `date - date`). The defaults here are
 * PostgreSQL's spelling (standard SQL where there is one); SQLite and MySQL override each
 * method. Values are read in UTC: `utc()` is the hook a dialect with zone-aware timestamps
 * uses to take the session time zone out of the answer.
 */
import type { BinaryExpression } from '../sql/column-element';
import type { DateField, DateTrunc, ExtractField, Interval, TruncField } from '../sql/datetime';
import type { TypeEngine } from '../types/type-engine';
import type { CompileContext } from './base-compiler';
import { ExpressionCompiler } from './expression-compiler';

/**
 * Microseconds as a plain decimal literal of seconds (`1500000` → `1.5`).
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function secondsLiteral(microseconds: number): string {
  const sign = microseconds < 0 ? '-' : '';
  const abs = Math.abs(microseconds);
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

const isDate = (type: TypeEngine<any>) => type.impl.typeName === 'Date';

export abstract class DateTimeCompiler extends ExpressionCompiler {
  /** A timestamp expression read as UTC wall-clock time (PostgreSQL: `x AT TIME ZONE 'UTC'` for timestamptz). */
  protected utc(_type: TypeEngine<any>, sql: string): string {
    return sql;
  }

  /** Turns a UTC wall-clock result back into the expression's type (the inverse of `utc`). */
  protected fromUtc(_type: TypeEngine<any>, sql: string): string {
    return sql;
  }

  visitExtract(el: ExtractField, ctx: CompileContext): string {
    return this.extractField(el.field, this.utc(el.element.type, this.process(el.element, ctx)));
  }

  protected extractField(field: DateField, x: string): string {
    if (field === 'epoch') return `EXTRACT(EPOCH FROM ${x})`;
    if (field === 'second') return `CAST(FLOOR(EXTRACT(SECOND FROM ${x})) AS INTEGER)`;
    return `CAST(EXTRACT(${field.toUpperCase()} FROM ${x}) AS INTEGER)`;
  }

  visitDateTrunc(el: DateTrunc, ctx: CompileContext): string {
    const type = el.element.type;
    const sql = this.truncate(el.field, this.utc(type, this.process(el.element, ctx)), isDate(type));
    return this.fromUtc(type, sql);
  }

  protected truncate(field: TruncField, x: string, date: boolean): string {
    const sql = `date_trunc('${field}', ${x})`;
    return date ? `CAST(${sql} AS DATE)` : sql;
  }

  /** A standalone interval (PostgreSQL); as an operand it goes through `dateArithmetic`. */
  visitInterval(el: Interval, _ctx: CompileContext): string {
    return `make_interval(0, ${el.months}, 0, ${el.days}, 0, 0, ${secondsLiteral(el.microseconds)})`;
  }

  /** `date ± interval` (the date's type) or `date - date` (days between Dates, else seconds). */
  protected dateArithmetic(el: BinaryExpression<any>, ctx: CompileContext): string {
    const left = this.utc(el.left.type, this.process(el.left, ctx));
    if (el.right.kind === 'interval') {
      const iv = el.right as Interval;
      const sql = this.addInterval(left, el.operator === '-' ? iv.negate() : iv, isDate(el.left.type));
      return this.fromUtc(el.left.type, sql);
    }
    const right = this.utc(el.right.type, this.process(el.right, ctx));
    return isDate(el.left.type) && isDate(el.right.type) ? this.daysBetween(left, right) : this.secondsBetween(left, right);
  }

  protected addInterval(x: string, iv: Interval, date: boolean): string {
    if (iv.isZero) return x;
    const sql = `${x} + ${this.visitInterval(iv, {})}`;
    return date ? `CAST(${sql} AS DATE)` : `(${sql})`;
  }

  protected daysBetween(a: string, b: string): string {
    return `(${a} - ${b})`;
  }

  protected secondsBetween(a: string, b: string): string {
    return `EXTRACT(EPOCH FROM (${a} - ${b}))`;
  }
}
