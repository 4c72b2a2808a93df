/**
 * Dates and times in expressions: `extract(field, expr)`, `dateTrunc(field, expr)` and
 * `interval({...})`, the operand of date arithmetic (`day.add(interval({ months: 3 }))`,
 * `at.sub(interval({ days: 90 }))`). Each dialect renders them (the compiler's
 * `visitExtract`, `visitDateTrunc`, `dateArithmetic`); the results are in UTC on every
 * database, whatever the session or process time zone.
 */
import { ArgumentError } from '../errors';
import { Float, Integer } from '../types/generic';
import { TypeEngine } from '../types/type-engine';
import { ColumnElement } from './column-element';
import { defineElement } from './element';
import type { IntervalValue, IsDateLike } from './numeric-coercion';

/** Fields `extract()` reads: `dow` is 0 (Sunday) to 6, `doy` 1 to 366, `epoch` seconds since 1970-01-01 UTC (with milliseconds). */
export type DateField = 'year' | 'quarter' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'dow' | 'doy' | 'epoch';
const DATE_FIELDS: ReadonlySet<string> = new Set(['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'dow', 'doy', 'epoch']);

/** Units `dateTrunc()` truncates to. */
export type TruncField = 'year' | 'quarter' | 'month' | 'day' | 'hour' | 'minute';
const TRUNC_FIELDS: ReadonlySet<string> = new Set(['year', 'quarter', 'month', 'day', 'hour', 'minute']);

type DateValued = ColumnElement<string | Date | null, any>;
/** `E` when its values are dates (Date or DateTime); `never` for text, so `extract('year', name)` does not type-check. */
type DateOperand<E> = E extends ColumnElement<infer V, any> ? (IsDateLike<NonNullable<V>> extends true ? E : never) : never;
type NullOf<E> = E extends ColumnElement<infer V, any> ? Extract<V, null> : never;
type ValueOf<E> = E extends ColumnElement<infer V, any> ? V : never;

function checkDateOperand(what: string, el: ColumnElement<any, any>): void {
  if (el.type.impl.affinity !== 'date' && el.type.impl.typeName !== 'Null') {
    throw new ArgumentError(`${what} takes a Date or DateTime expression; got one of type ${el.type.impl.typeName}. Cast it first: cast(x, DateTime).`);
  }
}

/** `EXTRACT(field FROM expr)`: an integer (seconds are whole; `epoch` is a float with milliseconds). */
export class ExtractField extends ColumnElement<number> {
  readonly type: TypeEngine<any>;
  constructor(
    readonly field: DateField,
    readonly element: ColumnElement<any, any>,
  ) {
    super();
    this.type = field === 'epoch' ? Float() : Integer();
  }
  override get key(): string {
    return this.field;
  }
}
defineElement(ExtractField, 'extract', [
  ['field', 'value'],
  ['element', 'element'],
]);

/** `EXTRACT(field FROM expr)` on every dialect: the year, month, day, hour… of a date or timestamp, as a number. */
export function extract<E extends DateValued>(field: DateField, expression: DateOperand<E>): ColumnElement<number | NullOf<E>> {
  if (!DATE_FIELDS.has(field)) throw new ArgumentError(`extract(): unknown field '${field}'; use one of ${[...DATE_FIELDS].join(', ')}.`);
  checkDateOperand('extract()', expression as ColumnElement<any, any>);
  return new ExtractField(field, expression as ColumnElement<any, any>) as ColumnElement<any>;
}

/** `date_trunc(field, expr)`, emulated where the database lacks it; the value keeps its type. */
export class DateTrunc<T = unknown> extends ColumnElement<T> {
  constructor(
    readonly field: TruncField,
    readonly element: ColumnElement<any, any>,
  ) {
    super();
  }
  get type(): TypeEngine<any> {
    return this.element.type;
  }
  override get key(): string | undefined {
    return this.element.key;
  }
}
defineElement(DateTrunc, 'dateTrunc', [
  ['field', 'value'],
  ['element', 'element'],
]);

/** A date or timestamp truncated to a unit (`'day'`, `'month'`…): `date_trunc` on PostgreSQL, its equivalent elsewhere. */
export function dateTrunc<E extends DateValued>(field: TruncField, expression: DateOperand<E>): ColumnElement<ValueOf<E>> {
  if (!TRUNC_FIELDS.has(field)) throw new ArgumentError(`dateTrunc(): unknown unit '${field}'; use one of ${[...TRUNC_FIELDS].join(', ')}.`);
  checkDateOperand('dateTrunc()', expression as ColumnElement<any, any>);
  return new DateTrunc(field, expression as ColumnElement<any, any>);
}

/** The parts of an interval: whole numbers, except `seconds`, which may have up to 6 decimals. */
export interface IntervalSpec {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

/** The type of `interval()` values: only an operand of date arithmetic, never a column. */
export class IntervalType extends TypeEngine<IntervalValue> {
  readonly typeName = 'Interval';
}
const intervalType = new IntervalType();

/**
 * A calendar interval, normalised as databases apply one: months first (years are 12),
 * then days (weeks are 7), then microseconds. Adding months clamps to the month's last day
 * on every database (Jan 31 + 1 month is Feb 29 in 2024).
 */
export class Interval extends ColumnElement<IntervalValue> {
  readonly type = intervalType;
  constructor(
    readonly months: number,
    readonly days: number,
    readonly microseconds: number,
  ) {
    super();
  }
  /** The same interval the other way. */
  negate(): Interval {
    return new Interval(-this.months, -this.days, -this.microseconds);
  }
  get isZero(): boolean {
    return this.months === 0 && this.days === 0 && this.microseconds === 0;
  }
}
defineElement(Interval, 'interval', [
  ['months', 'value'],
  ['days', 'value'],
  ['microseconds', 'value'],
]);

const UNITS: readonly (readonly [keyof IntervalSpec, 'months' | 'days' | 'microseconds', number])[] = [
  ['years', 'months', 12],
  ['months', 'months', 1],
  ['weeks', 'days', 7],
  ['days', 'days', 1],
  ['hours', 'microseconds', 3_600_000_000],
  ['minutes', 'microseconds', 60_000_000],
  ['seconds', 'microseconds', 1_000_000],
];

/** `interval({ months: 3, days: 2 })`: validated numbers, rendered per dialect. */
export function interval(spec: IntervalSpec): Interval {
  const total = { months: 0, days: 0, microseconds: 0 };
  for (const key of Object.keys(spec)) {
    if (!UNITS.some(([k]) => k === key)) throw new ArgumentError(`interval(): unknown part '${key}'; use ${UNITS.map(([k]) => k).join(', ')}.`);
  }
  for (const [key, into, factor] of UNITS) {
    const v = spec[key];
    if (v === undefined) continue;
    const scaled = v * factor;
    const whole = key === 'seconds' ? Number.isInteger(Math.round(scaled)) && Math.abs(scaled - Math.round(scaled)) < 1e-6 : Number.isInteger(v);
    if (typeof v !== 'number' || !Number.isFinite(v) || !whole || !Number.isSafeInteger(Math.round(scaled))) {
      throw new ArgumentError(`interval(): ${key} must be a whole number${key === 'seconds' ? ' of microseconds' : ''} within range; got ${String(v)}.`);
    }
    total[into] += Math.round(scaled);
  }
  return new Interval(total.months, total.days, total.microseconds);
}
