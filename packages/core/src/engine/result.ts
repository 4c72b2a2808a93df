import type { Compiled } from '../compiler/compiled';
import type { RowCursor } from '../dialect/driver';
import { MultipleResultsFound, NoResultFound, ResourceClosedError } from '../errors';
import type { FirstOf } from '../sql/row-tuple';
import { buildRowsFrom, entityRow, entityRowsFrom, firstValueOf, loadEntitiesFrom, onlyEntity } from './rows';

/** Where a Result reads rows it has not read yet (the connection: it translates driver errors). */
export interface RowSource {
  /** The engine's error for a driver error met while reading `compiled`'s rows. */
  readError(error: unknown, compiled: Compiled): Error;
}

/** `rowcount` of a SELECT: the number of rows, known once they are all read. */
const COUNT_ROWS = -2;

/**
 * The rows of one execution, typed by the statement. Rows are plain objects keyed by
 * result key. DML results carry `rowcount` and, for INSERT, `insertedPrimaryKey`.
 *
 * A Result from the engine reads no more than it is asked for: rows stay the driver's
 * arrays until read (`one()` makes one row object, `scalar()` none), and where the driver
 * reads rows one at a time the rows after the second stay in the driver until `all()` or
 * iteration asks for them. `one()`, `oneOrNone()`, `first()` and `scalar()` consume the
 * Result, as SQLAlchemy's do: they may be asked again (same answer), but `all()`,
 * `scalars()`, iteration and `length` then raise `ResourceClosedError`. `all()` first, then
 * anything, works.
 */
export class Result<Row = Record<string, unknown>, Tup extends readonly unknown[] = unknown[]> implements Iterable<Row> {
  /** Rows read so far: the first `built` are row objects, the rest the driver's arrays (or bare entities: `entityKey`). */
  private readonly rows: unknown[];
  /** `select(User)`: the rows not built yet are the loaded entities themselves, each row `{ [entityKey]: entity }`. */
  private entityKey: string | undefined;
  private built: number;
  /** The statement whose rows the arrays are (null when every row is an object already). */
  private compiled: Compiled | null;
  private context: unknown;
  /** Rows the driver has not read yet. */
  private more: RowCursor | undefined;
  private source: RowSource | undefined;
  private readonly count: number;
  /** The method that consumed the Result (`one()`...): rows not read by then are gone. */
  private consumedBy: string | undefined;
  /** Rows were still in the driver when the Result was consumed. */
  private truncated: boolean;

  constructor(
    rows: Row[],
    private readonly columnKeys: readonly string[],
    /** Rows matched by UPDATE/DELETE, inserted by INSERT; -1 when not applicable. */
    rowcount: number,
    /** The generated primary key of a single-row INSERT, when the database reports one. */
    readonly insertedPrimaryKey: number | bigint | undefined = undefined,
  ) {
    this.rows = rows;
    this.built = rows.length;
    this.compiled = null;
    this.context = undefined;
    this.more = undefined;
    this.source = undefined;
    this.count = rowcount;
    this.consumedBy = undefined;
    this.truncated = false;
    this.entityKey = undefined;
  }

  /**
   * @internal The engine's Result of a SELECT: `raw` holds the driver's arrays for
   * `compiled` (the Result owns the list), `more` the rows the driver has not read.
   */
  static ofRows(compiled: Compiled, raw: unknown[][], context: unknown, more: RowCursor | undefined, source: RowSource): Result<any> {
    const r = new Result<any>(raw, compiledKeys(compiled), COUNT_ROWS);
    // Entity rows are loaded at once: loading them has effects (the ORM's identity map).
    const only = compiled.entitySlots.length > 0 ? onlyEntity(compiled) : undefined;
    if (only !== undefined) {
      loadEntitiesFrom(compiled, raw, 0, raw.length, context);
      r.entityKey = only.key;
      r.built = 0;
    } else if (compiled.entitySlots.length > 0) buildRowsFrom(compiled, raw, 0, raw.length, context);
    else r.built = 0;
    r.compiled = compiled;
    r.context = context;
    r.more = more;
    r.source = source;
    return r;
  }

  /** Rows matched by UPDATE/DELETE, inserted by INSERT; the number of rows of a SELECT; -1 when not applicable. */
  get rowcount(): number {
    if (this.count !== COUNT_ROWS) return this.count;
    if (this.consumedBy !== undefined) return this.truncated ? -1 : this.rows.length;
    return this.readRaw().length;
  }

  /** Every row. */
  all(): Row[] {
    return this.readAll() as Row[];
  }
  /** The first row, or null when there is none. */
  first(): Row | null {
    this.consume('first()');
    return this.rows.length ? this.row0() : null;
  }
  /** Exactly one row: `NoResultFound` on none, `MultipleResultsFound` on more. */
  one(): Row {
    this.consume('one()');
    const n = this.rows.length;
    if (n === 1) return this.row0();
    if (n === 0) throw new NoResultFound('one() found no row; use oneOrNone() or first() when a missing row is expected.');
    throw new MultipleResultsFound(`one() found ${this.howMany()} rows; add criteria or limit(1), or use first().`);
  }
  /** One row or null; `MultipleResultsFound` on more. */
  oneOrNone(): Row | null {
    this.consume('oneOrNone()');
    const n = this.rows.length;
    if (n > 1) throw new MultipleResultsFound(`oneOrNone() found ${this.howMany()} rows; add criteria or use first().`);
    return n === 1 ? this.row0() : null;
  }
  /** The first column of the first row, or null. */
  scalar(): FirstOf<Row, Tup> | null {
    this.consume('scalar()');
    if (this.rows.length === 0) return null;
    if (this.built === 0 && this.entityKey !== undefined) return this.rows[0] as FirstOf<Row, Tup>;
    const compiled = this.compiled;
    // Straight from the driver's array: no row object for one value.
    if (this.built === 0 && compiled !== null && compiled.entitySlots.length === 0) return (firstValueOf(compiled, this.rows[0] as unknown[]) ?? null) as FirstOf<Row, Tup>;
    return ((this.row0() as any)[this.columnKeys[0]] ?? null) as FirstOf<Row, Tup>;
  }
  /** The first column of every row. */
  scalars(): ScalarResult<FirstOf<Row, Tup>> {
    // The entities as loaded (a copy of the list: the Result's own may become row objects).
    if (this.built === 0 && this.entityKey !== undefined) return new ScalarResult(this.readRaw().slice() as FirstOf<Row, Tup>[]);
    const compiled = this.compiled;
    if (this.built === 0 && compiled !== null && compiled.entitySlots.length === 0) {
      // Straight from the driver's arrays: no row objects.
      const raw = this.readRaw();
      const values = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) values[i] = firstValueOf(compiled, raw[i] as unknown[]);
      return new ScalarResult(values);
    }
    const rows = this.readAll();
    const k = this.columnKeys[0];
    const values = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = (rows[i] as any)[k];
    return new ScalarResult(values);
  }
  /**
   * Every row as an array of its values in result-key order (SQLAlchemy's `Result.tuples()`):
   * `for (const [user, email] of result.tuples())`. Typed by position for `select()`, an
   * entity (`select(User, Address)`) as one element.
   */
  tuples(): Tup[] {
    const rows = this.readAll();
    const keys = this.columnKeys;
    const out = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Record<string, unknown>;
      out[i] = keys.map((k) => row[k]);
    }
    return out;
  }
  /** Rows as plain objects (they already are; kept for SQLAlchemy parity). */
  mappings(): Row[] {
    return this.readAll() as Row[];
  }
  /** The result keys in column order. */
  keys(): string[] {
    return [...this.columnKeys];
  }
  get length(): number {
    return this.readRaw().length;
  }
  [Symbol.iterator](): Iterator<Row> {
    return (this.readAll() as Row[])[Symbol.iterator]();
  }

  /** The first row as an object (made from the driver's array on first use). */
  private row0(): Row {
    if (this.built === 0) {
      if (this.entityKey !== undefined) this.rows[0] = entityRow(this.entityKey, this.rows[0]);
      else buildRowsFrom(this.compiled!, this.rows, 0, 1, this.context);
      this.built = 1;
    }
    return this.rows[0] as Row;
  }

  /** Every row, as objects. */
  private readAll(): unknown[] {
    const rows = this.readRaw();
    if (this.built < rows.length) {
      if (this.entityKey !== undefined) entityRowsFrom(rows, this.built, rows.length, this.entityKey);
      else buildRowsFrom(this.compiled!, rows, this.built, rows.length, this.context);
      this.built = rows.length;
    }
    return rows;
  }

  /** Every row, read from the driver; the statement's next executions read all rows at once. */
  private readRaw(): unknown[] {
    if (this.consumedBy !== undefined) this.refuseConsumed();
    const compiled = this.compiled;
    if (compiled !== null) compiled.readsEveryRow = true;
    const more = this.more;
    if (more !== undefined) {
      this.more = undefined;
      let rest: unknown[][];
      try {
        rest = more.rest();
      } catch (e) {
        throw this.source!.readError(e, compiled!);
      }
      const rows = this.rows;
      for (let i = 0; i < rest.length; i++) rows.push(rest[i]);
    }
    return this.rows;
  }

  /**
   * Read for one row, which consumes the Result (as SQLAlchemy's `one()`, `first()`...):
   * rows still in the driver are dropped, not read. The statement's next executions read
   * rows one at a time when this Result had more than two (all at once is cheaper for fewer).
   */
  private consume(method: string): void {
    if (this.consumedBy !== undefined) return;
    this.consumedBy = method;
    const more = this.more;
    if (more !== undefined) {
      this.more = undefined;
      this.truncated = true;
      more.close();
    }
    const compiled = this.compiled;
    if (compiled !== null) {
      const small = !this.truncated && this.rows.length <= 2;
      if (compiled.readsEveryRow !== small) compiled.readsEveryRow = small;
    }
  }

  private refuseConsumed(): never {
    throw new ResourceClosedError(
      `This Result was consumed by ${this.consumedBy}, which reads only the rows it needs (as in SQLAlchemy); call all() first and take rows from the list, or execute the statement again.`,
    );
  }

  /** "3" or, when the driver held more, "more than 2" (they are not read to count them). */
  private howMany(): string {
    return this.truncated ? `more than ${this.rows.length}` : String(this.rows.length);
  }
}

/** Row keys in order: an entity slot is one key (its name), so `scalars()` yields the entities. */
// Kept on the compiled statement: Result only reads its keys (and `keys()` hands out a copy).
export function compiledKeys(compiled: Compiled): readonly string[] {
  return compiled.resultKeys ?? (compiled.resultKeys = computeResultKeys(compiled));
}

function computeResultKeys(compiled: Compiled): string[] {
  const slots = compiled.entitySlots;
  if (slots.length === 0) return compiled.columns.map((c) => c.key);
  const keys: string[] = [];
  for (let i = 0, e = 0; i < compiled.columns.length; i++) {
    const slot = slots[e];
    if (slot !== undefined && i === slot.start) {
      keys.push(slot.key);
      i += slot.count - 1;
      e++;
    } else keys.push(compiled.columns[i].key);
  }
  return keys;
}

/** One value per row (`result.scalars()`, `session.scalars(select(User))`). */
export class ScalarResult<T> implements Iterable<T> {
  constructor(private readonly values: T[]) {}
  all(): T[] {
    return this.values;
  }
  first(): T | null {
    return this.values.length ? this.values[0] : null;
  }
  one(): T {
    if (this.values.length === 0) throw new NoResultFound('one() found no row; use oneOrNone() or first() when a missing row is expected.');
    if (this.values.length > 1) throw new MultipleResultsFound(`one() found ${this.values.length} rows; add criteria or limit(1), or use first().`);
    return this.values[0];
  }
  oneOrNone(): T | null {
    if (this.values.length > 1) throw new MultipleResultsFound(`oneOrNone() found ${this.values.length} rows.`);
    return this.values.length ? this.values[0] : null;
  }
  get length(): number {
    return this.values.length;
  }
  [Symbol.iterator](): Iterator<T> {
    return this.values[Symbol.iterator]();
  }
}
