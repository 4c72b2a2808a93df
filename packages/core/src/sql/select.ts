/**
 * SELECT, compound selects (UNION...), scalar subqueries and EXISTS, with row types
 * inferred from the selected columns.
 */
import { ArgumentError } from '../errors';
import { Boolean as BooleanT, Integer } from '../types/generic';
import type { TypeEngine } from '../types/type-engine';
import { BindParameter, ColumnElement, type OrderByElement, toElement } from './column-element';
import { and } from './conjunctions';
import { ClauseElement, NONE, defineElement, newUid } from './element';
import {
  type EntityDescriptor,
  type HasClauseElement,
  type HasJoinTarget,
  type SelectableEntity,
  type RefineRow,
  type StatementOption,
  clauseElement,
  hasClauseElement,
  hasJoinTarget,
  isSelectableEntity,
  joinTarget,
  selectEntity,
} from './entity';
import type { FullJoined, FullJoinedItems, Joined, JoinedItems, JoinTargetName, OuterJoined, OuterJoinedItems, SourcesOf } from './join-nullability';
import type { RefinedItems } from './row-tuple';
import { CTE, type ColumnCollection, type ColumnClause, FromClause, Join, Lateral, type ReturnsRows, Subquery, inferJoinCondition } from './selectable';

type AnyExpr = ColumnElement<any, any>;
/** The element kinds of FROM items (FromClause subclasses). */
const FROM_KINDS: ReadonlySet<string | undefined> = new Set(['table', 'alias', 'join', 'subquery', 'lateral', 'cte']);
/** Selects and FROM items: their columns belong to them, not to the enclosing query. */
const STOP_KINDS: ReadonlySet<string> = new Set(['select', 'compoundSelect', ...FROM_KINDS] as string[]);
type Predicate = ColumnElement<boolean, any> | ColumnElement<boolean | null, any> | HasClauseElement;

/** What `join()` takes: a FROM item, an object standing for one, or one that brings its own ON clause. */
export type JoinTarget = FromClause | HasClauseElement | HasJoinTarget;

/** Anything `select()` accepts: a column expression, a FROM item (all its columns) or an entity. */
export type SelectItem = AnyExpr | FromClause<any> | SelectableEntity<any, any>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type UnionToIntersection<U> = (U extends any ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
// Key and value read from the phantom properties: cheaper than inferring ColumnElement's type
// arguments, which is structural for a table column (an intersection with its table's tag).
type ColumnsRow<U> = {
  [E in Extract<U, AnyExpr> as E extends { readonly __key: infer K extends string } ? K : never]: E extends { readonly __value: infer T } ? T : never;
};
type FromRow<C> = { [K in keyof C]: C[K] extends ColumnElement<infer T, any> ? T : never };
/** A table's row straight from its column definitions (cheaper than reading each column's type). */
type TableRow<D> = { [K in keyof D & string]: D[K] extends { __value: infer T } ? T : never };
type FromsRow<U> = [Extract<U, FromClause<any>>] extends [never]
  ? {}
  : UnionToIntersection<U extends { __defs: infer D } ? TableRow<D> : U extends FromClause<infer C> ? FromRow<C> : never>;
type EntitiesRow<U> = {
  // A mapped class (the ORM's) loads as its own instance type, subclass fields included.
  // An entity whose name the types do not know (a class: `User`) has no key here, not an
  // index signature that would accept any key: `result.tuples()` types it by position.
  [E in Extract<U, SelectableEntity<any, any>> as E extends SelectableEntity<any, infer N> ? (string extends N ? never : N) : never]: E extends abstract new (...args: any) => infer I
    ? I
    : E extends SelectableEntity<infer T, any>
      ? T
      : never;
};
/** The row type of `select(...items)`. */
export type RowOf<Items extends readonly unknown[]> = Simplify<ColumnsRow<Items[number]> & FromsRow<Items[number]> & EntitiesRow<Items[number]>>;

/** A column of a select's result: its key, type, and the element that computes it. */
export interface ResultColumn {
  key: string;
  type: TypeEngine<any>;
  element: AnyExpr;
}

const NO_SLOTS: readonly EntitySlot[] = NONE;

/** An entity's place in the flattened columns: where its values start, how many, how to load. */
export interface EntitySlot {
  key: string;
  start: number;
  count: number;
  descriptor: EntityDescriptor<any>;
  /**
   * The same for the same entity at the same place: the slots are part of the cache key,
   * since `select(User)` and `select(User.c.id, User.c.name)` compile to the same SQL but
   * shape their rows differently.
   */
  uid: number;
}

const slotUids = new WeakMap<object, Map<number, number>>();

/** By the entity object (a class), not its descriptor: an entity may build its descriptor per call. */
function slotUid(entity: object, start: number): number {
  let byStart = slotUids.get(entity);
  if (byStart === undefined) slotUids.set(entity, (byStart = new Map()));
  let uid = byStart.get(start);
  if (uid === undefined) byStart.set(start, (uid = newUid()));
  return uid;
}

/** Options of `select().forUpdate()`: `NOWAIT`, `SKIP LOCKED`, a shared lock (`FOR SHARE`), and the tables to lock (`OF`). */
export interface ForUpdateOptions {
  nowait?: boolean;
  skipLocked?: boolean;
  /** `FOR SHARE` (PostgreSQL, MySQL 8) / `LOCK IN SHARE MODE` (MariaDB). */
  read?: boolean;
  of?: FromClause | readonly FromClause[];
}

/** Shared by SELECT and compound SELECT: subqueries, CTEs, ordering and limits. */
export abstract class SelectBase<Row = unknown> extends ClauseElement implements ReturnsRows {
  declare readonly __row: Row;
  readonly orderByClauses: readonly AnyExpr[] = NONE;
  readonly limitClause: AnyExpr | undefined = undefined;
  readonly offsetClause: AnyExpr | undefined = undefined;

  abstract resultColumns(): ResultColumn[];

  /** `(SELECT ...) AS name`, usable as a FROM item with typed `.c`. */
  subquery(name?: string): Subquery<{ [K in keyof Row & string]: ColumnClause<Row[K], K> }> {
    return new Subquery(this, name) as any;
  }
  /** Same as `subquery()`: SQLAlchemy's spelling. */
  alias(name?: string) {
    return this.subquery(name);
  }
  /** `WITH name AS (SELECT ...)`. Recursive: `cte('t', { recursive: true })`, then `.unionAll(...)`. */
  cte(name?: string, options: { recursive?: boolean } = {}): CTE<{ [K in keyof Row & string]: ColumnClause<Row[K], K> }> {
    return new CTE(this, name, options.recursive ?? false) as any;
  }
  /** `LATERAL (SELECT ...) AS name`. */
  lateral(name?: string): Lateral<{ [K in keyof Row & string]: ColumnClause<Row[K], K> }> {
    return new Lateral(this, name) as any;
  }
  /** `(SELECT x ...)` as a single value; the select must have one column. */
  scalarSubquery(): ColumnElement<Row[keyof Row] | null> {
    const cols = this.resultColumns();
    if (cols.length !== 1) throw new ArgumentError(`scalarSubquery() needs a select of exactly one column, this one has ${cols.length}.`);
    return new ScalarSelect(this, cols[0].type);
  }
  /** `EXISTS (SELECT ...)`. */
  exists(): ColumnElement<boolean> {
    return new Exists(this);
  }

  orderBy(...clauses: (AnyExpr | OrderByElement | string | HasClauseElement)[]): this {
    return this.withFields({ orderByClauses: [...this.orderByClauses, ...clauses.map((c) => this.resolveOrderBy(c))] });
  }
  limit(n: number | AnyExpr | null): this {
    return this.withFields({ limitClause: n === null ? undefined : toElement(rowCount(n, 'limit'), Integer()) });
  }
  offset(n: number | AnyExpr | null): this {
    return this.withFields({ offsetClause: n === null ? undefined : toElement(rowCount(n, 'offset'), Integer()) });
  }

  union<M extends CompoundMember<Row>[]>(...others: M): CompoundSelect<CompoundRow<Row, MemberRow<M[number]>>> {
    return new CompoundSelect('UNION', [this, ...others] as SelectBase<any>[]);
  }
  unionAll<M extends CompoundMember<Row>[]>(...others: M): CompoundSelect<CompoundRow<Row, MemberRow<M[number]>>> {
    return new CompoundSelect('UNION ALL', [this, ...others] as SelectBase<any>[]);
  }
  intersect<M extends CompoundMember<Row>[]>(...others: M): CompoundSelect<CompoundRow<Row, MemberRow<M[number]>>> {
    return new CompoundSelect('INTERSECT', [this, ...others] as SelectBase<any>[]);
  }
  intersectAll<M extends CompoundMember<Row>[]>(...others: M): CompoundSelect<CompoundRow<Row, MemberRow<M[number]>>> {
    return new CompoundSelect('INTERSECT ALL', [this, ...others] as SelectBase<any>[]);
  }
  except(...others: CompoundMember<Row>[]): CompoundSelect<Row> {
    return new CompoundSelect<Row>('EXCEPT', [this, ...(others as SelectBase<any>[])]);
  }
  exceptAll(...others: CompoundMember<Row>[]): CompoundSelect<Row> {
    return new CompoundSelect<Row>('EXCEPT ALL', [this, ...(others as SelectBase<any>[])]);
  }

  protected resolveOrderBy(c: AnyExpr | OrderByElement | string | HasClauseElement): AnyExpr {
    if (typeof c === 'string') return new ResultKeyReference(c, this.resultColumns());
    if (hasClauseElement(c)) return c[clauseElement]() as AnyExpr;
    return c as AnyExpr;
  }
}

/** A reference to a result column by key (`orderBy('n')`, `desc('n')`), rendered as its label. */
export class ResultKeyReference extends ColumnElement<unknown> {
  readonly type: TypeEngine<any>;
  constructor(
    readonly name: string,
    columns?: ResultColumn[],
  ) {
    super();
    const col = columns?.find((c) => c.key === name);
    if (columns && !col) {
      throw new ArgumentError(`orderBy('${name}'): no result column has that key; the keys are ${columns.map((c) => `'${c.key}'`).join(', ')}.`);
    }
    this.type = col?.type ?? Integer();
  }
}
defineElement(ResultKeyReference, 'resultKey', [['name', 'value']]);

/**
 * `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... ORDER BY ... LIMIT ... OFFSET ...`.
 * Immutable: every method returns a new statement. `Src` (types only) maps result keys to
 * the tables they come from, so that outer joins make those keys nullable.
 */
export class Select<Row = Record<string, unknown>, Src = {}, Items extends readonly unknown[] = unknown[]> extends SelectBase<Row> {
  /** The items as typed (types only): `result.tuples()` is typed from them. */
  declare readonly __items: Items;
  /** The items as given: columns, FROM items, entities. */
  readonly items: readonly SelectItem[];
  /** The flattened columns clause. */
  readonly columnsClause: readonly AnyExpr[];
  /** Entity positions in `columnsClause`. */
  readonly entitySlots: readonly EntitySlot[];
  readonly fromClauses: readonly FromClause[] = NONE;
  readonly whereClause: AnyExpr | undefined = undefined;
  readonly groupByClauses: readonly AnyExpr[] = NONE;
  readonly havingClause: AnyExpr | undefined = undefined;
  readonly isDistinct: boolean = false;
  readonly distinctOnClauses: readonly AnyExpr[] = NONE;
  readonly forUpdateOptions: ForUpdateOptions | undefined = undefined;
  /** `AS OF SYSTEM TIME ...` (CockroachDB): the time as checked text, see `asOfSystemTime()`. */
  readonly asOfSystemTimeValue: string | undefined = undefined;
  readonly statementOptions: readonly StatementOption[] = NONE;
  /** FROM items never to render here because an enclosing query provides them. */
  readonly correlateFroms: readonly FromClause[] | undefined = undefined;
  /** FROM items auto-correlation must leave in this query's own FROM. */
  readonly correlateExceptFroms: readonly FromClause[] | undefined = undefined;
  private memoResultColumns: ResultColumn[] | undefined;

  constructor(items: readonly SelectItem[]) {
    super();
    // `select(table)`: the table's own (frozen) column list, shared, not copied.
    const only = items.length === 1 ? (items[0] as { kind?: string }) : undefined;
    if (only !== undefined && only.kind === 'table') {
      this.items = items;
      this.columnsClause = (only as FromClause).columns;
      this.entitySlots = NO_SLOTS;
      return;
    }
    const cols: AnyExpr[] = [];
    const slots: EntitySlot[] = [];
    for (const item of items) {
      if (isSelectableEntity(item)) {
        const d = item[selectEntity]();
        // Rows hold each entity under its name: a second one of that name would hide the first.
        if (slots.some((s) => s.key === d.name)) {
          throw new ArgumentError(`select(): two entities named '${d.name}'; give one another name (with the ORM: aliased(${d.name}, 'otherName')).`);
        }
        slots.push({ key: d.name, start: cols.length, count: d.columns.length, descriptor: d, uid: slotUid(item, cols.length) });
        cols.push(...d.columns);
      } else if (FROM_KINDS.has((item as { kind?: string } | null)?.kind)) {
        // By kind first: a failed branded instanceof walks the prototype chain by name.
        cols.push(...(item as FromClause).columns);
      } else if (item instanceof ColumnElement) {
        cols.push(item);
      } else if (item instanceof FromClause) {
        cols.push(...item.columns);
      } else if (hasClauseElement(item)) {
        cols.push((item as HasClauseElement)[clauseElement]() as AnyExpr);
      } else {
        throw new ArgumentError(`select() takes columns, tables or mapped entities; got ${describeValue(item)}. Wrap plain values in literal().`);
      }
    }
    this.items = items;
    this.columnsClause = cols;
    this.entitySlots = slots.length ? slots : NO_SLOTS;
  }

  /** Result keys and types, in order; duplicate keys are an error naming the fix. */
  resultColumns(): ResultColumn[] {
    if (this.memoResultColumns) return this.memoResultColumns;
    const out: ResultColumn[] = [];
    const seen = new Set<string>();
    let anon = 0;
    const entityCols = new Set<number>();
    for (const s of this.entitySlots) for (let i = 0; i < s.count; i++) entityCols.add(s.start + i);
    this.columnsClause.forEach((el, i) => {
      let key = el.key;
      if (entityCols.has(i)) key = `${this.entitySlots.find((s) => i >= s.start && i < s.start + s.count)!.key}__${i}`;
      if (key === undefined) key = `anon_${++anon}`;
      if (seen.has(key)) {
        throw new ArgumentError(`Ambiguous duplicate result key '${key}' in select(): give one of the columns another name with .label('...').`);
      }
      seen.add(key);
      out.push({ key, type: el.type, element: el });
    });
    this.memoResultColumns = out;
    return out;
  }

  /** Adds WHERE criteria, ANDed with any already there. */
  where(...criteria: (Predicate | undefined)[]): Select<Row, Src, Items> {
    // The common case (one criterion, no WHERE yet) without the filter/map/and arrays.
    if (criteria.length === 1 && criteria[0] !== undefined && this.whereClause === undefined) {
      const c = coercePredicate(criteria[0]);
      if (c.kind !== 'booleanList') return this.withFields({ whereClause: c, memoResultColumns: this.memoResultColumns });
    }
    const cs = criteria.filter((c) => c !== undefined).map(coercePredicate);
    if (cs.length === 0) return this;
    return this.withFields({ whereClause: and(...(this.whereClause ? [this.whereClause, ...cs] : cs)), memoResultColumns: this.memoResultColumns });
  }
  /** `where(a.eq(1), b.eq(2))` by keyword: `filterBy({ name: 'x' })` on the first FROM's columns. */
  filterBy(values: Record<string, unknown>): Select<Row, Src, Items> {
    const from = this.fromClauses[0] ?? this.derivedFroms()[0];
    if (!from) throw new ArgumentError('filterBy() needs a FROM item; select from a table first.');
    return this.where(
      ...Object.entries(values).map(([k, v]) => {
        const col = (from.c as ColumnCollection)[k];
        if (!col) throw new ArgumentError(`filterBy(): '${from.name}' has no column '${k}'.`);
        return col.eq(v as any);
      }),
    );
  }
  having(...criteria: Predicate[]): Select<Row, Src, Items> {
    const cs = criteria.map(coercePredicate);
    return this.withFields({ havingClause: and(...(this.havingClause ? [this.havingClause, ...cs] : cs)), memoResultColumns: this.memoResultColumns });
  }
  groupBy(...clauses: (AnyExpr | HasClauseElement)[]): Select<Row, Src, Items> {
    return this.withFields({ groupByClauses: [...this.groupByClauses, ...clauses.map(coerceExpr)], memoResultColumns: this.memoResultColumns });
  }
  distinct(): Select<Row, Src, Items> {
    return this.withFields({ isDistinct: true, memoResultColumns: this.memoResultColumns });
  }
  /** `SELECT DISTINCT ON (exprs)`: PostgreSQL only (other dialects raise at compile). */
  distinctOn(...clauses: AnyExpr[]): Select<Row, Src, Items> {
    return this.withFields({ isDistinct: true, distinctOnClauses: clauses, memoResultColumns: this.memoResultColumns });
  }
  /** Sets the FROM items explicitly (added to those the columns imply). */
  selectFrom(...froms: (FromClause | HasClauseElement)[]): Select<Row, Src, Items> {
    return this.withFields({ fromClauses: [...this.fromClauses, ...froms.map(coerceFrom)], memoResultColumns: this.memoResultColumns });
  }
  /**
   * Joins from the leftmost FROM item to `target`; the ON clause is inferred from foreign
   * keys when omitted and unambiguous.
   */
  join(target: JoinTarget, on?: Predicate): Select<Row, Src, Items>;
  /** With `{ isOuter: true }` or `{ full: true }`: as `outerJoin`/`fullJoin`, nullability included. */
  join<F extends JoinTarget, const O extends { isOuter?: boolean; full?: boolean }>(
    target: F,
    on: Predicate | undefined,
    options: O,
  ): Select<Joined<Row, Src, F, O>, Src, JoinedItems<Items, F, O>>;
  join(target: JoinTarget, on?: Predicate, options: { isOuter?: boolean; full?: boolean } = {}): Select<any, Src, Items> {
    if (hasJoinTarget(target)) {
      if (on !== undefined) throw new ArgumentError('join(): this target brings its own ON clause (a relationship); pass no ON clause with it.');
      let out: Select<any, Src, Items> = this;
      for (const step of target[joinTarget]()) {
        // `select(Address).join(<User's addresses>)` starts from users, as the relationship does.
        if (step.from !== undefined && out.fromClauses.length === 0) out = out.withFields({ fromClauses: [step.from], memoResultColumns: out.memoResultColumns });
        out = out.join(step.target, step.on, options);
      }
      return out;
    }
    const right = coerceFrom(target);
    const froms = [...this.fromClauses];
    let left: FromClause | undefined;
    let replaceAt = -1;
    if (froms.length) {
      replaceAt = froms.length - 1;
      left = froms[replaceAt];
    } else {
      left = this.derivedFroms().find((f) => f !== right && f.baseTable !== right);
    }
    if (!left) throw new ArgumentError(`join(): no FROM item to join '${right.name}' to; use selectFrom() first.`);
    const onclause = on ? coercePredicate(on) : inferJoinCondition(left, right);
    const j = new Join(left, right, onclause, options.isOuter ?? false, options.full ?? false);
    if (replaceAt >= 0) froms[replaceAt] = j;
    else froms.push(j);
    return this.withFields({ fromClauses: froms, memoResultColumns: this.memoResultColumns }) as any;
  }
  /** `LEFT OUTER JOIN`: in the row type, the target table's columns become `T | null`. */
  outerJoin<F extends JoinTarget>(target: F, on?: Predicate): Select<OuterJoined<Row, Src, JoinTargetName<F>>, Src, OuterJoinedItems<Items, JoinTargetName<F>>> {
    return this.join(target, on, { isOuter: true }) as any;
  }
  /** `FULL OUTER JOIN`: in the row type, every table column becomes `T | null`. */
  fullJoin<F extends JoinTarget>(target: F, on?: Predicate): Select<FullJoined<Row, Src>, Src, FullJoinedItems<Items>> {
    return this.join(target, on, { isOuter: true, full: true }) as any;
  }
  forUpdate(options: ForUpdateOptions = {}): Select<Row, Src, Items> {
    return this.withFields({ forUpdateOptions: options, memoResultColumns: this.memoResultColumns });
  }
  /**
   * Reads as of a past time (CockroachDB's `AS OF SYSTEM TIME`, rendered after FROM): a
   * negative interval (`'-10s'`), a timestamp (text or a `Date`), nanoseconds since the epoch
   * as text, or `'follower_read_timestamp()'` for follower reads. Other dialects refuse it
   * at compile time with `UnsupportedCompilationError`.
   */
  asOfSystemTime(at: string | Date): Select<Row, Src, Items> {
    return this.withFields({ asOfSystemTimeValue: asOfSystemTimeText(at), memoResultColumns: this.memoResultColumns });
  }
  /** Options for the layer that executes the statement; an option may refine the row type (`RefineRow`). */
  options<const O extends readonly StatementOption[]>(...opts: O): Select<RefineRow<Row, O[number]>, Src, RefinedItems<Items, O[number]>> {
    return this.withFields({ statementOptions: [...this.statementOptions, ...opts], memoResultColumns: this.memoResultColumns }) as any;
  }
  /**
   * Names the FROM items an enclosing query provides; only those are left out of this
   * query's FROM. Auto-correlation does this for every enclosing table otherwise;
   * `correlate()` with no arguments correlates nothing. An explicit list always wins.
   */
  correlate(...froms: FromClause[]): Select<Row, Src, Items> {
    return this.withFields({ correlateFroms: froms, correlateExceptFroms: undefined, memoResultColumns: this.memoResultColumns });
  }
  /** Auto-correlates every enclosing FROM item except these, which stay in this query's own FROM. */
  correlateExcept(...froms: FromClause[]): Select<Row, Src, Items> {
    return this.withFields({ correlateExceptFroms: froms, correlateFroms: undefined, memoResultColumns: this.memoResultColumns });
  }
  /** Adds columns to the columns clause. */
  addColumns<const E extends SelectItem[]>(...items: E): Select<Simplify<Row & RowOf<E>>, Src & SourcesOf<E[number]>, [...Items, ...E]> {
    return new Select([...this.items, ...items]).withFields(this.carryOver()) as any;
  }
  /** Replaces the columns clause, keeping everything else. */
  withOnlyColumns<const E extends SelectItem[]>(...items: E): Select<RowOf<E>, SourcesOf<E[number]>, E> {
    return new Select(items).withFields(this.carryOver()) as any;
  }

  /** FROM items implied by the columns clause and WHERE (before correlation and joins). */
  derivedFroms(): FromClause[] {
    const out: FromClause[] = [];
    const only = this.items.length === 1 ? (this.items[0] as { kind?: string }) : undefined;
    // `select(table)`: every column is the table's.
    if (only !== undefined && only.kind === 'table') out.push(only as FromClause);
    else if (this.entitySlots.some((s) => (s.descriptor.from as { kind?: string }).kind === 'join')) return this.entityJoinFroms(out);
    else for (const c of this.columnsClause) collectFromsInto(c, out);
    if (this.whereClause) collectFromsInto(this.whereClause, out);
    return out;
  }

  /**
   * An entity whose FROM item is a join (the ORM's joined-table inheritance) brings that
   * join, and its columns' tables are not listed again beside it.
   */
  private entityJoinFroms(out: FromClause[]): FromClause[] {
    const covered = new Set<FromClause>();
    const leaves = (f: FromClause): void => {
      covered.add(f);
      if ((f as { kind?: string }).kind === 'join') {
        leaves((f as Join).left);
        leaves((f as Join).right);
      }
    };
    for (const s of this.entitySlots) {
      const from = s.descriptor.from;
      if ((from as { kind?: string }).kind !== 'join' || covered.has(from)) continue;
      out.push(from);
      leaves(from);
    }
    const found: FromClause[] = [];
    for (const c of this.columnsClause) collectFromsInto(c, found);
    if (this.whereClause) collectFromsInto(this.whereClause, found);
    for (const f of found) if (!covered.has(f) && !out.includes(f)) out.push(f);
    return out;
  }

  private carryOver(): Record<string, unknown> {
    const { items: _i, columnsClause: _c, entitySlots: _e, memoResultColumns: _m, ...rest } = this as any;
    return { ...rest, memoResultColumns: undefined };
  }
}
defineElement(Select, 'select', [
  ['columnsClause', 'elements'],
  ['isDistinct', 'flag'],
  ['distinctOnClauses', 'elements'],
  ['fromClauses', 'elements'],
  ['whereClause', 'element'],
  ['groupByClauses', 'elements'],
  ['havingClause', 'element'],
  ['orderByClauses', 'elements'],
  ['limitClause', 'element'],
  ['offsetClause', 'element'],
  ['forUpdateOptions', 'value'],
  ['asOfSystemTimeValue', 'value'],
  ['statementOptions', 'value'],
  ['correlateFroms', 'value'],
  ['correlateExceptFroms', 'value'],
  ['entitySlots', 'value'],
]);

/** The follower-read function `asOfSystemTime()` renders as a call, not as text. */
export const FOLLOWER_READ_TIMESTAMP = 'follower_read_timestamp()';

/**
 * The time of `asOfSystemTime()` as text the compiler renders as a literal (it is part of the
 * cache key, never a bound value: CockroachDB wants a constant there). Anything but the
 * forms CockroachDB reads is refused here, so no other text reaches the SQL.
 */
function asOfSystemTimeText(at: string | Date): string {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new ArgumentError('asOfSystemTime(): the Date is invalid (its time is NaN).');
    return at.toISOString().replace('T', ' ').replace('Z', '+00:00');
  }
  if (typeof at === 'string') {
    const text = at.trim();
    if (text === FOLLOWER_READ_TIMESTAMP) return text;
    // A negative interval ('-10s', '-1m30s', '-4.8s'), a timestamp, or nanoseconds since the epoch.
    if (/^-\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d)(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))*$/.test(text)) return text;
    if (/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(text)) return text;
    if (/^\d+(\.\d+)?$/.test(text)) return text;
  }
  throw new ArgumentError(
    `asOfSystemTime(): ${JSON.stringify(at)} is not a time CockroachDB reads as of: give a negative interval ('-10s'), a timestamp ('2026-01-01 12:00:00' or a Date), nanoseconds since the epoch ('1767268800000000000'), or '${FOLLOWER_READ_TIMESTAMP}'.`,
  );
}

/** Collects the FROM items an expression refers to, not descending into subqueries. */
export function collectFroms(el: ClauseElement, add: (f: FromClause) => void): void {
  const found: FromClause[] = [];
  collectFromsInto(el, found);
  for (const f of found) add(f);
}

/** `collectFroms` into a list without duplicates (no callback per node). */
export function collectFromsInto(el: ClauseElement, out: FromClause[]): void {
  // By kind, not instanceof: a failed branded instanceof walks the prototype chain by name,
  // and this runs for every node of every column and WHERE expression.
  const kind = el.kind;
  if (kind === 'column') {
    const table = (el as ColumnClause).table;
    if (table && !out.includes(table)) out.push(table);
    return;
  }
  if (STOP_KINDS.has(kind)) return;
  const visit = el.childVisitor;
  if (visit !== undefined) visit(el, collectFromsInto, out);
  else for (const child of el.children()) collectFromsInto(child, out);
}

/** `UNION`, `UNION ALL`, `INTERSECT`, `EXCEPT` of selects. */
export class CompoundSelect<Row = unknown> extends SelectBase<Row> {
  constructor(
    readonly keyword: string,
    readonly selects: readonly SelectBase<Row>[],
  ) {
    super();
    const n = selects[0].resultColumns().length;
    for (const s of selects) {
      if (s.resultColumns().length !== n) {
        throw new ArgumentError(`${keyword}: all selects need the same number of columns (${n} and ${s.resultColumns().length}).`);
      }
    }
  }
  resultColumns(): ResultColumn[] {
    return this.selects[0].resultColumns();
  }
}
defineElement(CompoundSelect, 'compoundSelect', [
  ['keyword', 'value'],
  ['selects', 'elements'],
  ['orderByClauses', 'elements'],
  ['limitClause', 'element'],
  ['offsetClause', 'element'],
]);

/** `(SELECT x ...)` used as a value. */
export class ScalarSelect<T = unknown> extends ColumnElement<T> {
  constructor(
    readonly element: SelectBase<any>,
    readonly type: TypeEngine<any>,
  ) {
    super();
  }
}
defineElement(ScalarSelect, 'scalarSelect', [['element', 'element']]);

/** `EXISTS (SELECT ...)`. */
export class Exists extends ColumnElement<boolean> {
  readonly type = BooleanT();
  constructor(readonly element: SelectBase<any>) {
    super();
  }
}
defineElement(Exists, 'exists', [['element', 'element']]);

/**
 * `select(users.c.id, users.c.name)` → rows `{ id: number; name: string | null }`;
 * `select(users)` → every column; `select(User)` (ORM) → `{ User: User }`.
 */
export function select<const E extends SelectItem[]>(...items: E): Select<RowOf<E>, SourcesOf<E[number]>, E> {
  if (items.length === 1 && (items[0] as { kind?: string }).kind === 'table') return selectAllOf(items[0] as FromClause) as Select<RowOf<E>, SourcesOf<E[number]>, E>;
  return new Select(items);
}

const SELECT_ALL = Symbol('athanor.selectAll');

/**
 * `select(table)`, one per table: statements are immutable, so the plain select of a table,
 * which code builds per call before `.where(...)`, need not be made again each time (nor its
 * result columns worked out again).
 */
function selectAllOf(table: FromClause): Select<any> {
  const memo = (table as { [SELECT_ALL]?: Select<any> })[SELECT_ALL];
  if (memo !== undefined) return memo;
  const made = new Select([table]);
  if (Object.isExtensible(table)) Object.defineProperty(table, SELECT_ALL, { value: made });
  return made;
}

/** `EXISTS (subquery)`; `exists()` of a select built on the fly: `exists(select(x).where(...))`. */
export function exists(query: SelectBase<any>): ColumnElement<boolean> {
  return new Exists(query);
}

/**
 * Another member of a compound select: the same column keys as the first member. The SQL
 * pairs columns by position; the types pair them by key, so label columns whose names differ.
 */
export type CompoundMember<Row> = SelectBase<{ [K in keyof Row]: unknown }>;
type MemberRow<S> = S extends SelectBase<infer R> ? R : never;
/** Each column's type widened by the other members' (a NULL in any member makes the column nullable). */
export type CompoundRow<Row, Other> = [Other] extends [never]
  ? Row
  : { [K in keyof Row]: Row[K] | (K extends keyof Other ? Other[K] : never) };

/** `union(a, b, ...)`, and friends, as free functions: the first member names the columns. */
export const union = <R, M extends CompoundMember<R>[]>(first: SelectBase<R>, ...rest: M) =>
  new CompoundSelect<CompoundRow<R, MemberRow<M[number]>>>('UNION', [first, ...rest] as SelectBase<any>[]);
/** `a UNION ALL b …`: the rows of every member, duplicates kept; the first member names the columns. */
export const unionAll = <R, M extends CompoundMember<R>[]>(first: SelectBase<R>, ...rest: M) =>
  new CompoundSelect<CompoundRow<R, MemberRow<M[number]>>>('UNION ALL', [first, ...rest] as SelectBase<any>[]);
/** `a INTERSECT b …`: the rows every member returns; the first member names the columns. */
export const intersect = <R, M extends CompoundMember<R>[]>(first: SelectBase<R>, ...rest: M) =>
  new CompoundSelect<CompoundRow<R, MemberRow<M[number]>>>('INTERSECT', [first, ...rest] as SelectBase<any>[]);
/** `a EXCEPT b …`: the rows of the first member that no other member returns. */
export const except = <R>(first: SelectBase<R>, ...rest: CompoundMember<R>[]) =>
  new CompoundSelect<R>('EXCEPT', [first, ...rest] as SelectBase<any>[]);

/** `desc('n')` / `desc(col)`: ORDER BY item. */
export function desc(c: AnyExpr | string): OrderByElement {
  return typeof c === 'string' ? new ResultKeyReference(c).desc() : c.desc();
}
/** `ORDER BY … ASC` of a column, expression or label name. */
export function asc(c: AnyExpr | string): OrderByElement {
  return typeof c === 'string' ? new ResultKeyReference(c).asc() : c.asc();
}

function coercePredicate(c: Predicate): AnyExpr {
  if (c instanceof ColumnElement) return c;
  if (hasClauseElement(c)) return c[clauseElement]() as AnyExpr;
  if (typeof c === 'boolean') return new BindParameter(undefined, c, BooleanT());
  throw new ArgumentError(`where() takes expressions such as users.c.id.eq(5); got ${describeValue(c)}.`);
}
function coerceExpr(c: AnyExpr | HasClauseElement): AnyExpr {
  if (c instanceof ColumnElement) return c;
  if (hasClauseElement(c)) return c[clauseElement]() as AnyExpr;
  throw new ArgumentError(`expected an expression, got ${describeValue(c)}.`);
}
function coerceFrom(f: FromClause | HasClauseElement): FromClause {
  if (f instanceof FromClause) return f;
  if (hasClauseElement(f)) {
    const el = f[clauseElement]();
    if (el instanceof FromClause) return el;
  }
  if (isSelectableEntity(f)) return (f as SelectableEntity)[selectEntity]().from;
  throw new ArgumentError(`expected a table, alias, subquery or join; got ${describeValue(f)}.`);
}
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return `${typeof v} ${String(v)}`;
}

/** limit()/offset() take a non-negative whole number (or an expression): '1; DROP ...', NaN, -1 and [2] are refused. */
function rowCount<T>(n: T, what: 'limit' | 'offset'): T {
  if (n instanceof ClauseElement) return n;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  throw new ArgumentError(
    `${what}() takes a non-negative whole number or an expression; got ${typeof n === 'string' ? JSON.stringify(n) : Array.isArray(n) ? 'an array' : String(n)}${typeof n === 'string' ? ' (a string: parse it with Number() and check it first)' : ''}.`,
  );
}
