/**
 * Column expressions: the base class with every operator method, and the elements the
 * operators build (bound parameters, binary/unary expressions, AND/OR lists, labels,
 * casts, parentheses). They live in one module because each refers to the others at
 * construction time.
 */
import { ArgumentError } from '../errors';
import { BooleanType, StringType } from '../types/generic';
import { BigInteger, Boolean as BooleanT, DateTime, Float, Integer, LargeBinary, NullTypeOf } from '../types/generic';
import { type TypeEngine, type TypeArg, toType } from '../types/type-engine';
import type { Decimal, DecimalInput } from '../types/decimal';
import { ClauseElement, defineElement } from './element';
import {
  type ArithmeticResult,
  type IntervalValue,
  type IsDateLike,
  type IsNumberLike,
  arithmeticType,
  isDateArithmeticType,
  isIntegerType,
  isNumericType,
  numericBindType,
} from './numeric-coercion';
import { Prec, binaryPrecedence, nonAssociative } from './precedence';

/** Any number-valued expression: Integer, BigInteger, Float or Numeric. */
export type NumberExpression = ColumnElement<number | bigint | Decimal | null, any>;

/**
 * A value or an expression of value type `T`. Where `T` is a number type, any number
 * expression and any number input too (`price.lt(24)`, `qty.le(price)`, `coalesce(price, 0)`).
 */
export type ExpressionOrValue<T> = T | ColumnElement<T, any> | ColumnElement<T | null, any> | NumberOperand<T>;
type NumberOperand<T> = IsNumberLike<T> extends true ? number | bigint | NumberExpression : never;

/** The right side of `+ - * / %` on an expression of value type `T`: for dates, an `interval()` or another date. */
export type ArithmeticOperand<T> =
  IsNumberLike<NonNullable<T>> extends true
    ? DecimalInput | NumberExpression
    : IsDateLike<NonNullable<T>> extends true
      ? ColumnElement<IntervalValue, any> | ExpressionOrValue<NonNullable<T>>
      : ExpressionOrValue<NonNullable<T>>;

/**
 * Operator methods take `this: S` and read the value type from `S['__value']` instead of the
 * class's `T`: the conditional operand types then do not make `T`'s variance unmeasurable
 * (a `ColumnElement<string>` stays assignable to a `ColumnElement<string | null>`).
 */
type Self = ColumnElement<any, any>;
type Operand<S extends Self> = ExpressionOrValue<NonNullable<S['__value']>>;
type Arith<S extends Self, O> = ColumnElement<ArithmeticResult<S['__value'], OperandValue<O>>>;

/** The value type of an operand: an expression's, or the plain value's own. */
export type OperandValue<O> = O extends ColumnElement<infer V, any> ? V : O;

/** What `.in()` accepts: a list of values or expressions, or a subquery/expanding bind. */
export type InOperand<T> = readonly ExpressionOrValue<T>[] | ColumnElement<any, any> | { resultColumns(): unknown[] };

const booleanType = BooleanT();

/**
 * An SQL expression yielding values of TypeScript type `T`. `K` is its result key when it
 * stands in a select's columns clause (`never` for an anonymous expression: label it to give
 * it a typed key).
 */
export abstract class ColumnElement<T = unknown, K extends string = never> extends ClauseElement {
  /** Phantom: the TypeScript value type. */
  declare readonly __value: T;
  /** Phantom: the result key. */
  declare readonly __key: K;
  abstract readonly type: TypeEngine<any>;
  /** How tightly this expression binds, for automatic parentheses. */
  get precedence(): number {
    return Prec.atom;
  }
  /** The result key this expression gets in a columns clause, when it has a natural one. */
  get key(): string | undefined {
    return undefined;
  }

  // -- comparison -------------------------------------------------------------------------

  eq<S extends Self>(this: S, other: Operand<S> | null): ColumnElement<boolean> {
    if (other === null) return new BinaryExpression(this, NULL, 'IS', booleanType);
    return this.compare('=', other);
  }
  ne<S extends Self>(this: S, other: Operand<S> | null): ColumnElement<boolean> {
    if (other === null) return new BinaryExpression(this, NULL, 'IS NOT', booleanType);
    return this.compare('<>', other);
  }
  lt<S extends Self>(this: S, other: Operand<S>): ColumnElement<boolean> {
    return this.compare('<', other);
  }
  le<S extends Self>(this: S, other: Operand<S>): ColumnElement<boolean> {
    return this.compare('<=', other);
  }
  gt<S extends Self>(this: S, other: Operand<S>): ColumnElement<boolean> {
    return this.compare('>', other);
  }
  ge<S extends Self>(this: S, other: Operand<S>): ColumnElement<boolean> {
    return this.compare('>=', other);
  }
  isNull(): ColumnElement<boolean> {
    return new BinaryExpression(this, NULL, 'IS', booleanType);
  }
  isNotNull(): ColumnElement<boolean> {
    return new BinaryExpression(this, NULL, 'IS NOT', booleanType);
  }
  isDistinctFrom<S extends Self>(this: S, other: Operand<S> | null): ColumnElement<boolean> {
    return this.compare('IS DISTINCT FROM', other ?? NULL);
  }
  isNotDistinctFrom<S extends Self>(this: S, other: Operand<S> | null): ColumnElement<boolean> {
    return this.compare('IS NOT DISTINCT FROM', other ?? NULL);
  }

  /**
   * `IN`. A list of plain values becomes one expanding parameter, so the compiled SQL is the
   * same whatever the list's length; an empty list is a false predicate, never `IN ()`.
   */
  in<S extends Self>(this: S, values: InOperand<NonNullable<S['__value']>>): ColumnElement<boolean> {
    return this.inOp('IN', values);
  }
  notIn<S extends Self>(this: S, values: InOperand<NonNullable<S['__value']>>): ColumnElement<boolean> {
    return this.inOp('NOT IN', values);
  }
  between<S extends Self>(this: S, lower: Operand<S>, upper: Operand<S>, symmetric = false): ColumnElement<boolean> {
    return new Between(this, this.coerce(lower), this.coerce(upper), false, symmetric);
  }
  notBetween<S extends Self>(this: S, lower: Operand<S>, upper: Operand<S>): ColumnElement<boolean> {
    return new Between(this, this.coerce(lower), this.coerce(upper), true, false);
  }

  // -- strings ----------------------------------------------------------------------------

  like(pattern: ExpressionOrValue<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.likeOp('LIKE', pattern, options.escape);
  }
  notLike(pattern: ExpressionOrValue<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.likeOp('NOT LIKE', pattern, options.escape);
  }
  /** Case-insensitive LIKE; rendered as `lower(x) LIKE lower(y)` where the database has no ILIKE. */
  ilike(pattern: ExpressionOrValue<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.likeOp('ILIKE', pattern, options.escape);
  }
  notIlike(pattern: ExpressionOrValue<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.likeOp('NOT ILIKE', pattern, options.escape);
  }
  /** `LIKE '%value%'`, with `%`, `_` and the escape character in the value escaped. */
  contains(value: string, options: { autoescape?: boolean } = {}): ColumnElement<boolean> {
    return this.affix(value, '%', '%', options.autoescape ?? true);
  }
  startsWith(value: string, options: { autoescape?: boolean } = {}): ColumnElement<boolean> {
    return this.affix(value, '', '%', options.autoescape ?? true);
  }
  endsWith(value: string, options: { autoescape?: boolean } = {}): ColumnElement<boolean> {
    return this.affix(value, '%', '', options.autoescape ?? true);
  }
  /** String concatenation (`||`, or `concat()` on MySQL). */
  concat(other: ExpressionOrValue<string | null>): ColumnElement<T extends null ? string | null : string> {
    return new BinaryExpression(this, this.coerce(other), '||', this.type.affinity === 'string' ? this.type : new StringType());
  }

  // -- arithmetic -------------------------------------------------------------------------

  // The result type follows SQL's coercion (numeric-coercion.ts): Integer + Numeric is Numeric,
  // Integer / Integer stays Integer (truncating, on every database).
  add<S extends Self, O extends ArithmeticOperand<S['__value']>>(this: S, other: O): Arith<S, O> {
    if (this.type.affinity === 'string') return new BinaryExpression(this, this.coerce(other), '||', this.type);
    return this.arithmetic('+', other);
  }
  sub<S extends Self, O extends ArithmeticOperand<S['__value']>>(this: S, other: O): Arith<S, O> {
    return this.arithmetic('-', other);
  }
  mul<S extends Self, O extends ArithmeticOperand<S['__value']>>(this: S, other: O): Arith<S, O> {
    return this.arithmetic('*', other);
  }
  div<S extends Self, O extends ArithmeticOperand<S['__value']>>(this: S, other: O): Arith<S, O> {
    return this.arithmetic('/', other);
  }
  mod<S extends Self, O extends ArithmeticOperand<S['__value']>>(this: S, other: O): Arith<S, O> {
    return this.arithmetic('%', other);
  }
  neg(): ColumnElement<T> {
    return new UnaryExpression(this, '-', undefined, this.type);
  }

  /** Any binary operator, e.g. `.op('@>')(other)`; the result is boolean unless `returnType` says otherwise. */
  op<R = boolean>(operator: string, options: { returnType?: TypeArg<R>; precedence?: number } = {}) {
    return (other: unknown): ColumnElement<R> =>
      new BinaryExpression(this, this.coerce(other), operator, options.returnType ? toType(options.returnType) : booleanType, options.precedence);
  }

  // -- ordering, naming, typing ---------------------------------------------------------------

  asc(): OrderByElement {
    return new UnaryExpression(this, undefined, 'ASC', this.type) as OrderByElement;
  }
  desc(): OrderByElement {
    return new UnaryExpression(this, undefined, 'DESC', this.type) as OrderByElement;
  }
  nullsFirst(): OrderByElement {
    return new UnaryExpression(this, undefined, 'NULLS FIRST', this.type) as OrderByElement;
  }
  nullsLast(): OrderByElement {
    return new UnaryExpression(this, undefined, 'NULLS LAST', this.type) as OrderByElement;
  }
  label<N extends string>(name: N): Label<T, N> {
    return new Label(this, name);
  }
  cast<R>(type: TypeArg<R>): ColumnElement<R | Extract<T, null>> {
    return new Cast(this, toType(type));
  }

  // -- helpers ----------------------------------------------------------------------------

  /**
   * Turns a plain value into a bound parameter typed like this expression. Beside a number
   * type, a decimal input is bound as a Numeric of its own scale (never rounded to the
   * column's), and a fractional number beside an Integer as a Float.
   */
  protected coerce(value: unknown): ColumnElement<any, any> {
    if (value instanceof ClauseElement) return value as ColumnElement<any, any>;
    if (value !== null && value !== undefined && !Array.isArray(value)) {
      if (isNumericType(this.type) || (typeof value === 'string' && isIntegerType(this.type))) return new BindParameter(this.key, value, numericBindType(value));
      if (typeof value === 'number' && !Number.isInteger(value) && isIntegerType(this.type)) return new BindParameter(this.key, value, Float());
    }
    return new BindParameter(this.key, value, this.type);
  }

  private arithmetic(operator: string, other: unknown): ColumnElement<any> {
    if (other === undefined) throw undefinedOperand(this, operator);
    const right = this.coerce(other);
    if (right.kind === 'interval' || isDateArithmeticType(this.type)) checkDateArithmetic(this, operator, right);
    return new BinaryExpression(this, right, operator, arithmeticType(operator, this.type, right.type));
  }

  /** Builds a comparison; `compare` is also the hook the ORM uses for relationship comparisons. */
  compare(operator: string, other: unknown): ColumnElement<boolean> {
    if (other === undefined) throw undefinedOperand(this, operator);
    return new BinaryExpression(this, this.coerce(other), operator, booleanType);
  }

  private inOp(operator: 'IN' | 'NOT IN', values: InOperand<any>): ColumnElement<boolean> {
    if (values instanceof ClauseElement) {
      // A SELECT as the right side needs its parentheses: IN (SELECT ...).
      const right = values instanceof ColumnElement ? values : new Grouping(values as any);
      return new BinaryExpression(this, right, operator, booleanType);
    }
    if (!Array.isArray(values)) throw new ArgumentError(`${operator.toLowerCase()}() takes a list of values or a subquery, got ${typeof values}.`);
    if (values.length === 0) return operator === 'IN' ? FALSE_PREDICATE : TRUE_PREDICATE;
    if (values.includes(undefined)) throw undefinedOperand(this, operator);
    if (values.some((v) => v instanceof ClauseElement)) {
      return new BinaryExpression(this, new Tuple(values.map((v) => this.coerce(v))), operator, booleanType);
    }
    const bind = new BindParameter(this.key, values, this.type, { expanding: true });
    return new BinaryExpression(this, bind, operator, booleanType);
  }

  private likeOp(operator: string, pattern: unknown, escape: string | undefined): ColumnElement<boolean> {
    const right = this.coerce(pattern);
    return new BinaryExpression(this, right, operator, booleanType, undefined, escape);
  }

  private affix(value: string, before: string, after: string, autoescape: boolean): ColumnElement<boolean> {
    if (typeof value !== 'string') {
      throw new ArgumentError('contains()/startsWith()/endsWith() take a string; use like() with an expression.');
    }
    const escaped = autoescape ? value.replace(/[/%_]/g, (c) => `/${c}`) : value;
    return new BinaryExpression(this, new BindParameter(this.key, before + escaped + after, this.type), 'LIKE', booleanType, undefined, autoescape ? '/' : undefined);
  }
}

/** An ORDER BY item: a column with ASC/DESC and NULLS FIRST/LAST. */
export interface OrderByElement extends ColumnElement<unknown> {
  nullsFirst(): OrderByElement;
  nullsLast(): OrderByElement;
}

/** A bound parameter: the only way values enter SQL. */
export class BindParameter<T = unknown> extends ColumnElement<T> {
  readonly type: TypeEngine<any>;
  /** A name hint (`age` gives `:age_1`), or the user's name for `bindparam('name')`. */
  readonly name: string | undefined;
  readonly value: unknown;
  /** A list value that expands to one placeholder per item at execution. */
  readonly expanding: boolean;
  /** Given by the user with `bindparam(name)`: execution parameters can set it by name. */
  readonly isNamed: boolean;

  /** For an expanding list of tuples: the type of each element (their values bind by these). */
  readonly itemTypes: readonly TypeEngine<any>[] | undefined;

  constructor(
    name: string | undefined,
    value: unknown,
    type?: TypeEngine<any>,
    options: { expanding?: boolean; isNamed?: boolean; itemTypes?: readonly TypeEngine<any>[] } = {},
  ) {
    super();
    this.name = name;
    this.value = value;
    this.type = type ?? inferType(value);
    this.expanding = options.expanding ?? false;
    this.isNamed = options.isNamed ?? false;
    this.itemTypes = options.itemTypes;
  }
}
defineElement(BindParameter, 'bindParam', [
  ['name', 'value'],
  ['isNamed', 'flag'],
  ['expanding', 'flag'],
  ['type', 'type'],
  ['value', 'bind'],
]);

/** The type of a value bound without one (`literal(1.5)`, `func.f(x)`): the SQL type its JS type maps to. */
function inferType(value: unknown): TypeEngine<any> {
  switch (typeof value) {
    case 'number':
      // INTEGER is 32-bit on the servers; any other number is a double, as in JS.
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647 ? Integer() : Float();
    case 'bigint':
      return BigInteger();
    case 'string':
      return new StringType();
    case 'boolean':
      return booleanType;
    case 'object':
      if (value instanceof globalThis.Date) return DateTime();
      if (value instanceof Uint8Array) return LargeBinary();
      return NullTypeOf();
    default:
      return NullTypeOf();
  }
}

/** `left <operator> right`. */
export class BinaryExpression<T = boolean> extends ColumnElement<T> {
  readonly left: ColumnElement<any, any>;
  readonly right: ColumnElement<any, any>;
  readonly operator: string;
  readonly type: TypeEngine<any>;
  readonly escape: string | undefined;
  private readonly prec: number;

  constructor(left: ColumnElement<any, any>, right: ColumnElement<any, any>, operator: string, type: TypeEngine<any>, precedence?: number, escape?: string) {
    super();
    const prec = precedence ?? binaryPrecedence[operator] ?? Prec.comparison;
    this.prec = prec;
    // Comparisons do not chain (PostgreSQL rejects `a > b = c`), so an equal-precedence left comparison is grouped too.
    this.left = left.precedence < prec || (left.precedence === prec && prec === Prec.comparison) ? new Grouping(left) : left;
    this.right = right.precedence < prec || (right.precedence === prec && nonAssociative.has(operator)) ? new Grouping(right) : right;
    this.operator = operator;
    this.type = type;
    this.escape = escape;
  }
  override get precedence(): number {
    return this.prec;
  }
  /** `NOT (a = b)` is written `a <> b`, and so on. */
  negate(): ColumnElement<boolean> {
    const inverse = NEGATIONS[this.operator];
    if (inverse) return new BinaryExpression(this.left, this.right, inverse, this.type, this.prec, this.escape);
    return new UnaryExpression(new Grouping(this), 'NOT', undefined, booleanType);
  }
}
defineElement(BinaryExpression, 'binary', [
  ['left', 'element'],
  ['operator', 'value'],
  ['right', 'element'],
  ['escape', 'value'],
  ['type', 'type'],
]);

const NEGATIONS: Record<string, string> = {
  '=': '<>',
  '<>': '=',
  '<': '>=',
  '>': '<=',
  '<=': '>',
  '>=': '<',
  IS: 'IS NOT',
  'IS NOT': 'IS',
  IN: 'NOT IN',
  'NOT IN': 'IN',
  LIKE: 'NOT LIKE',
  'NOT LIKE': 'LIKE',
  ILIKE: 'NOT ILIKE',
  'NOT ILIKE': 'ILIKE',
};

/** A prefix operator (`NOT x`, `-x`, `EXISTS`) or a postfix modifier (`x DESC`, `x NULLS LAST`). */
export class UnaryExpression<T = unknown> extends ColumnElement<T> {
  readonly element: ColumnElement<any, any>;
  readonly operator: string | undefined;
  readonly modifier: string | undefined;
  readonly type: TypeEngine<any>;

  constructor(element: ColumnElement<any, any>, operator: string | undefined, modifier: string | undefined, type: TypeEngine<any>) {
    super();
    const prec = operator === 'NOT' ? Prec.not : Prec.unary;
    this.element = operator && element.precedence < prec ? new Grouping(element) : element;
    this.operator = operator;
    this.modifier = modifier;
    this.type = type;
  }
  override get precedence(): number {
    return this.operator === 'NOT' ? Prec.not : Prec.unary;
  }
  override get key(): string | undefined {
    return this.modifier ? this.element.key : undefined;
  }
  override nullsFirst(): OrderByElement {
    return new UnaryExpression(this, undefined, 'NULLS FIRST', this.type) as OrderByElement;
  }
  override nullsLast(): OrderByElement {
    return new UnaryExpression(this, undefined, 'NULLS LAST', this.type) as OrderByElement;
  }
}
defineElement(UnaryExpression, 'unary', [
  ['operator', 'value'],
  ['element', 'element'],
  ['modifier', 'value'],
  ['type', 'type'],
]);

/** `a AND b AND c` / `a OR b`. */
export class BooleanClauseList extends ColumnElement<boolean> {
  readonly operator: 'AND' | 'OR';
  readonly clauses: readonly ColumnElement<any, any>[];
  readonly type = booleanType;

  constructor(operator: 'AND' | 'OR', clauses: readonly ColumnElement<any, any>[]) {
    super();
    const prec = operator === 'AND' ? Prec.and : Prec.or;
    this.operator = operator;
    this.clauses = clauses.map((c) => (c.precedence < prec ? new Grouping(c) : c));
  }
  override get precedence(): number {
    return this.clauses.length === 1 ? this.clauses[0].precedence : this.operator === 'AND' ? Prec.and : Prec.or;
  }
}
defineElement(BooleanClauseList, 'booleanList', [
  ['operator', 'value'],
  ['clauses', 'elements'],
]);

/** Parentheses around an expression. */
export class Grouping<T = unknown> extends ColumnElement<T> {
  readonly element: ColumnElement<any, any>;
  constructor(element: ColumnElement<any, any>) {
    super();
    this.element = element;
  }
  get type(): TypeEngine<any> {
    return this.element.type;
  }
  override get key(): string | undefined {
    return this.element.key;
  }
}
defineElement(Grouping, 'grouping', [['element', 'element']]);

/** `expr AS name`: renames a result key. */
export class Label<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  readonly element: ColumnElement<any, any>;
  readonly name: N;
  constructor(element: ColumnElement<any, any>, name: N) {
    super();
    this.element = element;
    this.name = name;
  }
  get type(): TypeEngine<any> {
    return this.element.type;
  }
  override get key(): string {
    return this.name;
  }
}
defineElement(Label, 'label', [
  ['name', 'value'],
  ['element', 'element'],
]);

/** `CAST(expr AS type)`. */
export class Cast<T = unknown> extends ColumnElement<T> {
  readonly element: ColumnElement<any, any>;
  readonly type: TypeEngine<any>;
  constructor(element: ColumnElement<any, any>, type: TypeEngine<any>) {
    super();
    this.element = element;
    this.type = type;
  }
  override get key(): string | undefined {
    return this.element.key;
  }
}
defineElement(Cast, 'cast', [
  ['element', 'element'],
  ['type', 'type'],
]);

/** `expr BETWEEN lower AND upper`. */
export class Between extends ColumnElement<boolean> {
  readonly type = booleanType;
  constructor(
    readonly element: ColumnElement<any, any>,
    readonly lower: ColumnElement<any, any>,
    readonly upper: ColumnElement<any, any>,
    readonly negated: boolean,
    readonly symmetric: boolean,
  ) {
    super();
  }
  override get precedence(): number {
    return Prec.comparison;
  }
}
defineElement(Between, 'between', [
  ['element', 'element'],
  ['negated', 'flag'],
  ['symmetric', 'flag'],
  ['lower', 'element'],
  ['upper', 'element'],
]);

/** `(a, b, c)`: a row value, for tuple comparisons and IN lists of expressions. */
export class Tuple<T extends unknown[] = unknown[]> extends ColumnElement<T> {
  readonly type = NullTypeOf();
  constructor(readonly elements: readonly ColumnElement<any, any>[]) {
    super();
  }
  /** Tuple IN over lists of value tuples: one expanding parameter. */
  override in(values: any): ColumnElement<boolean> {
    if (Array.isArray(values) && values.length > 0 && values.every((v) => Array.isArray(v))) {
      for (const v of values) {
        if (v.length !== this.elements.length) {
          throw new ArgumentError(`tuple_() of ${this.elements.length} elements compared with a tuple of ${v.length} values.`);
        }
      }
      const itemTypes = this.elements.map((e) => e.type);
      return new BinaryExpression(this, new BindParameter(undefined, values, this.type, { expanding: true, itemTypes }), 'IN', booleanType);
    }
    return super.in(values);
  }
  protected override coerce(value: unknown): ColumnElement<any, any> {
    if (Array.isArray(value) && !(value instanceof ClauseElement)) {
      return new Tuple(value.map((v, i) => (v instanceof ClauseElement ? (v as ColumnElement) : new BindParameter(this.elements[i]?.key, v, this.elements[i]?.type))));
    }
    return super.coerce(value);
  }
}
defineElement(Tuple, 'tuple', [['elements', 'elements']]);

/** SQL keywords standing as values: NULL, TRUE, FALSE (rendered per dialect). */
export class Keyword<T = unknown> extends ColumnElement<T> {
  constructor(
    readonly word: 'NULL' | 'TRUE' | 'FALSE',
    readonly type: TypeEngine<any>,
  ) {
    super();
  }
}
defineElement(Keyword, 'keyword', [['word', 'value']]);

/** A predicate known at build time (`in([])`), rendered as `1 = 1` / `1 <> 1` for portability. */
export class ConstantPredicate extends ColumnElement<boolean> {
  readonly type = booleanType;
  constructor(readonly value: boolean) {
    super();
  }
  override get precedence(): number {
    return Prec.comparison;
  }
}
defineElement(ConstantPredicate, 'constantPredicate', [['value', 'value']]);

/** The SQL `NULL` keyword as an expression, for `values({ col: NULL })`, `coalesce(x, NULL)` and comparisons rendered as `IS NULL`. */
export const NULL = new Keyword<null>('NULL', NullTypeOf());
const TRUE_PREDICATE = new ConstantPredicate(true);
const FALSE_PREDICATE = new ConstantPredicate(false);

/** Whether a type is the `Boolean` type (its values render as a predicate, not compared to true). */
export function isBooleanType(t: TypeEngine<any>): boolean {
  return t instanceof BooleanType;
}

/** Coerces a raw value or expression into an element (for `select(…)` items, `where()`, `values()`). */
/**
 * `col.eq(undefined)` is almost always a field that was never set (an optional request
 * property): comparing with NULL instead would match nothing, or every NULL row in an UPDATE.
 */
function undefinedOperand(left: ColumnElement<any, any>, operator: string): ArgumentError {
  const what = left.key === undefined ? 'an expression' : `'${left.key}'`;
  const op = operator === '=' ? 'eq' : operator === '<>' ? 'ne' : operator.toLowerCase();
  return new ArgumentError(
    `Comparing ${what} with undefined (${op}): undefined is not a SQL value. Pass null to compare with NULL (IS NULL), or leave the condition out.`,
  );
}

/** Date arithmetic is `date ± interval` or `date - date`; anything else is refused here rather than by the database. */
function checkDateArithmetic(left: ColumnElement<any, any>, operator: string, right: ColumnElement<any, any>): void {
  const ok = right.kind === 'interval' ? (operator === '+' || operator === '-') && isDateArithmeticType(left.type) : operator === '-' && isDateArithmeticType(right.type);
  if (!ok) {
    throw new ArgumentError(
      `Date arithmetic is date + interval(), date - interval() or date - date; got ${left.type.impl.typeName} ${operator} ${right.kind === 'interval' ? 'interval' : right.type.impl.typeName}.`,
    );
  }
}

/** An expression as is, `null`/`undefined` as `NULL`, any other value as a bound parameter (of `type` when given). */
export function toElement(value: unknown, type?: TypeEngine<any>): ColumnElement<any, any> {
  if (value instanceof ClauseElement) return value as ColumnElement<any, any>;
  if (value === null || value === undefined) return NULL;
  return new BindParameter(undefined, value, type);
}
