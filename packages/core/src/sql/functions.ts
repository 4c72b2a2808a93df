/**
 * SQL functions (`func.count(x)`, `func.anything(...)`), window functions (`.over()`),
 * `case`, `literal`, `bindparam`, `tuple_`, `typeCoerce`, `cast`.
 */
import { ArgumentError } from '../errors';
import type { Decimal, IsDecimal, ValueInput } from '../types/decimal';
import type { DateString } from '../types/generic';
import { BigInteger, DateTime, Float, Integer, Numeric, NullTypeOf, String as StringT, Date as DateT } from '../types/generic';
import { type TypeArg, type TypeEngine, toType } from '../types/type-engine';
import { BindParameter, Cast, ColumnElement, type ExpressionOrValue, type OrderByElement, Tuple, toElement } from './column-element';
import { defineElement } from './element';
import { isNumberType, isNumericType, numericBindType } from './numeric-coercion';

type Expr<T = unknown> = ColumnElement<T, any>;
type ValueOf<E> = E extends ColumnElement<infer T, any> ? T : E;

/** `name(arg, ...)`. The result key in a select is the function's name. */
export class FunctionCall<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  readonly name: N;
  readonly args: readonly Expr<any>[];
  readonly type: TypeEngine<any>;
  readonly distinctArgs: boolean;
  readonly filterClause: Expr<boolean> | undefined;

  constructor(name: N, args: readonly Expr<any>[], type: TypeEngine<any>, distinctArgs = false, filterClause?: Expr<boolean>) {
    super();
    this.name = name;
    this.args = args;
    this.type = type;
    this.distinctArgs = distinctArgs;
    this.filterClause = filterClause;
  }
  override get key(): string {
    return this.name;
  }
  /** `name(arg) OVER (PARTITION BY ... ORDER BY ... ROWS ...)`. */
  over(spec: WindowSpec = {}): Over<T, N> {
    return new Over(this, toList(spec.partitionBy), toList(spec.orderBy), spec.rows, spec.range);
  }
  /** `count(x) FILTER (WHERE cond)` (emulated with CASE where unsupported). */
  filter(condition: Expr<boolean>): FunctionCall<T, N> {
    return new FunctionCall(this.name, this.args, this.type, this.distinctArgs, condition);
  }
}
defineElement(FunctionCall, 'function', [
  ['name', 'value'],
  ['distinctArgs', 'flag'],
  ['args', 'elements'],
  ['filterClause', 'element'],
  ['type', 'type'],
]);

/** A frame bound: a number of rows before (negative) or after (positive); `null` is UNBOUNDED; 0 is CURRENT ROW. */
export type FrameBound = number | null;
/** The window of `fn.over({...})`: `PARTITION BY`, `ORDER BY`, and a `ROWS` or `RANGE` frame. */
export interface WindowSpec {
  partitionBy?: Expr<any> | readonly Expr<any>[];
  orderBy?: Expr<any> | OrderByElement | readonly (Expr<any> | OrderByElement)[];
  rows?: readonly [FrameBound, FrameBound];
  range?: readonly [FrameBound, FrameBound];
}

function toList<T>(v: T | readonly T[] | undefined): readonly T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v as T];
}

/** A window function call. */
export class Over<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  constructor(
    readonly element: FunctionCall<T, N>,
    readonly partitionBy: readonly Expr<any>[],
    readonly orderBy: readonly Expr<any>[],
    readonly rows: readonly [FrameBound, FrameBound] | undefined,
    readonly range: readonly [FrameBound, FrameBound] | undefined,
  ) {
    super();
  }
  get type(): TypeEngine<any> {
    return this.element.type;
  }
  override get key(): string {
    return this.element.key;
  }
}
defineElement(Over, 'over', [
  ['element', 'element'],
  ['partitionBy', 'elements'],
  ['orderBy', 'elements'],
  ['rows', 'value'],
  ['range', 'value'],
]);

const fixed =
  <R, N extends string>(name: N, type: () => TypeEngine<any>) =>
  (...args: ExpressionOrValue<unknown>[]): FunctionCall<R, N> =>
    new FunctionCall(name, args.map((a) => toElement(a)), type());

const sameAsFirst =
  <N extends string>(name: N) =>
  <E>(arg: E, ...rest: unknown[]): FunctionCall<ValueOf<E> | null, N> => {
    const first = toElement(arg);
    return new FunctionCall(name, [first, ...rest.map((a) => toElement(a))], first.type);
  };

const sameAsFirstNotNull =
  <N extends string>(name: N) =>
  <E>(arg: E, ...rest: unknown[]): FunctionCall<ValueOf<E>, N> => {
    const first = toElement(arg);
    return new FunctionCall(name, [first, ...rest.map((a) => toElement(a))], first.type);
  };

/** Functions with known return types; any other name is a generic function returning `unknown`. */
const known = {
  count: (arg?: ExpressionOrValue<unknown>): FunctionCall<number, 'count'> =>
    new FunctionCall('count', arg === undefined ? [] : [toElement(arg)], Integer()),
  /** `count(DISTINCT x)`. */
  countDistinct: (arg: Expr<any>): FunctionCall<number, 'count'> => new FunctionCall('count', [arg], Integer(), true),
  sum: sameAsFirst('sum'),
  avg: <E>(arg: E): FunctionCall<string | null, 'avg'> => new FunctionCall('avg', [toElement(arg)], Numeric()),
  min: sameAsFirst('min'),
  max: sameAsFirst('max'),
  coalesce: <E>(arg: E, ...rest: ExpressionOrValue<NonNullable<ValueOf<E>>>[]): FunctionCall<NonNullable<ValueOf<E>>, 'coalesce'> => {
    const first = toElement(arg);
    return new FunctionCall('coalesce', [first, ...rest.map((a) => toElement(a, first.type))], first.type);
  },
  now: fixed<Date, 'now'>('now', () => DateTime({ timezone: true })),
  currentTimestamp: fixed<Date, 'current_timestamp'>('current_timestamp', () => DateTime({ timezone: true })),
  currentDate: fixed<DateString, 'current_date'>('current_date', DateT),
  lower: sameAsFirst('lower'),
  upper: sameAsFirst('upper'),
  trim: sameAsFirst('trim'),
  length: <E>(arg: E): FunctionCall<number | null, 'length'> => new FunctionCall('length', [toElement(arg)], Integer()),
  charLength: <E>(arg: E): FunctionCall<number | null, 'char_length'> => new FunctionCall('char_length', [toElement(arg)], Integer()),
  abs: sameAsFirst('abs'),
  round: sameAsFirst('round'),
  floor: sameAsFirst('floor'),
  ceil: sameAsFirst('ceil'),
  random: fixed<number, 'random'>('random', Float),
  concat: fixed<string, 'concat'>('concat', () => StringT()),
  substr: sameAsFirst('substr'),
  replace: sameAsFirst('replace'),
  nullif: sameAsFirst('nullif'),
  greatest: sameAsFirstNotNull('greatest'),
  least: sameAsFirstNotNull('least'),
  rowNumber: fixed<number, 'row_number'>('row_number', Integer),
  rank: fixed<number, 'rank'>('rank', Integer),
  denseRank: fixed<number, 'dense_rank'>('dense_rank', Integer),
  percentRank: fixed<number, 'percent_rank'>('percent_rank', Float),
  cumeDist: fixed<number, 'cume_dist'>('cume_dist', Float),
  ntile: fixed<number, 'ntile'>('ntile', Integer),
  lag: sameAsFirst('lag'),
  lead: sameAsFirst('lead'),
  firstValue: sameAsFirst('first_value'),
  lastValue: sameAsFirst('last_value'),
  /** Total as a 64-bit integer (bigint) where exactness matters. */
  sumBig: <E>(arg: E): FunctionCall<bigint | null, 'sum'> => new FunctionCall('sum', [toElement(arg)], BigInteger()),
};

type GenericFunction = (...args: unknown[]) => FunctionCall<unknown, string>;
/** The type of `func`: the known SQL functions with typed results, and any other function by name returning an untyped call. */
export type FuncProxy = typeof known & { [name: string]: GenericFunction };

/**
 * `func.count(users.c.id)`, `func.lower(x)`, and any other SQL function by name:
 * `func.json_extract(col, '$.a')`. camelCase names of known functions render snake_case.
 */
export const func: FuncProxy = new Proxy(known as FuncProxy, {
  get(target, prop) {
    if (typeof prop !== 'string') return undefined;
    if (prop in target) return (target as any)[prop];
    return (...args: unknown[]) => new FunctionCall(prop, args.map((a) => toElement(a)), NullTypeOf());
  },
});

/** `CASE WHEN cond THEN value ... ELSE value END`. */
export class Case<T = unknown> extends ColumnElement<T> {
  readonly type: TypeEngine<any>;
  constructor(
    readonly whens: readonly Expr<any>[],
    readonly thens: readonly Expr<any>[],
    readonly elseValue: Expr<any> | undefined,
    readonly value: Expr<any> | undefined,
  ) {
    super();
    this.type = thens.find((t) => t.type.typeName !== 'Null')?.type ?? elseValue?.type ?? NullTypeOf();
  }
}
defineElement(Case, 'case', [
  ['value', 'element'],
  ['whens', 'elements'],
  ['thens', 'elements'],
  ['elseValue', 'element'],
]);

/** A CASE branch's value type: an expression's, or a plain value's widened (`0` is `number`). */
type BranchValue<X> = X extends ColumnElement<infer V, any> ? V : X extends string ? string : X extends number ? number : X extends boolean ? boolean : X extends bigint ? bigint : X;
/** Branches of Numeric and plain numbers are one Numeric (`case_([[c, price]], { else: 0 })`). */
type CaseValue<V> = true extends (V extends unknown ? IsDecimal<V> : never) ? Exclude<V, number | bigint | string> | Decimal : V;
type Branches = readonly (readonly [unknown, unknown])[];
type ThenOf<W extends Branches> = BranchValue<W[number][1]>;

/**
 * `case([cond, value], ..., { else: value })`; with `{ value: expr }` it is the simple form
 * `CASE expr WHEN a THEN ...`.
 */
export function case_<const W extends Branches, E>(whens: W, options: { else: E; value?: Expr<any> }): Case<CaseValue<ThenOf<W> | BranchValue<E>>>;
/** Without `else`, unmatched rows are NULL. */
export function case_<const W extends Branches>(whens: W, options?: { value?: Expr<any> }): Case<CaseValue<ThenOf<W>> | null>;
export function case_(whens: Branches, options: { else?: unknown; value?: Expr<any> } = {}): Case<any> {
  if (whens.length === 0) throw new ArgumentError('case() needs at least one [condition, value] pair.');
  const thens = whens.map(([, t]) => toElement(t));
  const elseValue = options.else === undefined ? undefined : toElement(options.else);
  // The CASE's type: the first typed branch's; a Numeric anywhere makes plain-number branches Numeric too.
  const numeric = [...thens, ...(elseValue ? [elseValue] : [])].find((e) => isNumericType(e.type));
  const retype = (e: Expr<any>) => (numeric && e instanceof BindParameter && !e.isNamed && isNumberType(e.type) ? new BindParameter(undefined, e.value, numericBindType(e.value)) : e);
  return new Case(
    whens.map(([w]) => toElement(w, options.value?.type)),
    thens.map(retype),
    elseValue && retype(elseValue),
    options.value,
  );
}

/** `null` when the expression may be NULL: NULL casts to NULL. */
type NullOf<E> = E extends ColumnElement<infer V, any> ? Extract<V, null> : Extract<E, null>;

/** `CAST(expr AS type)`; a nullable expression keeps `| null`, as `col.cast(T)` does. */
export function cast<R, E extends ExpressionOrValue<unknown>>(expression: E, type: TypeArg<R>): ColumnElement<R | NullOf<E>> {
  return new Cast(toElement(expression), toType(type));
}

/** A bound value standing as an expression: `select(literal(1).label('one'))`, `literal(0.5, Numeric(3, 2))`. */
export function literal<T>(value: NoInfer<ValueInput<T>> | null, type: TypeArg<T>): ColumnElement<T>;
export function literal<T>(value: T): ColumnElement<T>;
export function literal<T>(value: T, type?: TypeArg<T>): ColumnElement<T> {
  return new BindParameter(undefined, value, type ? toType(type) : undefined);
}

/**
 * A named parameter whose value is given at execution: `where(users.c.id.eq(bindparam('id')))`,
 * then `conn.execute(stmt, { id: 5 })`. A prebuilt statement with bindparams compiles once.
 */
export function bindparam<T = unknown>(name: string, options: { value?: T; type?: TypeArg<T>; expanding?: boolean } = {}): ColumnElement<T> {
  return new BindParameter(name, options.value, options.type ? toType(options.type) : NullTypeOf(), { isNamed: true, expanding: options.expanding });
}

/** `(a, b)`: for tuple comparisons, `tuple_(a, b).in([[1, 2], [3, 4]])`. */
export function tuple_<E extends Expr<any>[]>(...elements: E): Tuple<{ [I in keyof E]: ValueOf<E[I]> }> {
  return new Tuple(elements) as any;
}

/** Gives an expression a type for processing and typing, without a CAST in SQL. */
export class TypeCoerce<T = unknown> extends ColumnElement<T> {
  constructor(
    readonly element: Expr<any>,
    readonly type: TypeEngine<any>,
  ) {
    super();
  }
  override get key(): string | undefined {
    return this.element.key;
  }
}
defineElement(TypeCoerce, 'typeCoerce', [
  ['element', 'element'],
  ['type', 'type'],
]);

/** Gives an expression another type in TypeScript and in result processing without a SQL `CAST` (SQLAlchemy's `type_coerce`). */
export function typeCoerce<R>(expression: ExpressionOrValue<unknown>, type: TypeArg<R>): ColumnElement<R> {
  return new TypeCoerce<R>(toElement(expression), toType(type));
}
