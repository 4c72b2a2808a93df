import { MultipleResultsFound, NoResultFound } from '../errors';

/**
 * The rows of one execution, typed by the statement. Rows are plain objects keyed by
 * result key. DML results carry `rowcount` and, for INSERT, `insertedPrimaryKey`.
 */
export class Result<Row = Record<string, unknown>> implements Iterable<Row> {
  constructor(
    private readonly rows: Row[],
    private readonly columnKeys: readonly string[],
    /** Rows matched by UPDATE/DELETE, inserted by INSERT; -1 when not applicable. */
    readonly rowcount: number,
    /** The generated primary key of a single-row INSERT, when the database reports one. */
    readonly insertedPrimaryKey: number | bigint | undefined = undefined,
  ) {}

  /** Every row. */
  all(): Row[] {
    return this.rows;
  }
  /** The first row, or null when there is none. */
  first(): Row | null {
    return this.rows.length ? this.rows[0] : null;
  }
  /** Exactly one row: `NoResultFound` on none, `MultipleResultsFound` on more. */
  one(): Row {
    if (this.rows.length === 0) throw new NoResultFound('one() found no row; use oneOrNone() or first() when a missing row is expected.');
    if (this.rows.length > 1) throw new MultipleResultsFound(`one() found ${this.rows.length} rows; add criteria or limit(1), or use first().`);
    return this.rows[0];
  }
  /** One row or null; `MultipleResultsFound` on more. */
  oneOrNone(): Row | null {
    if (this.rows.length > 1) throw new MultipleResultsFound(`oneOrNone() found ${this.rows.length} rows; add criteria or use first().`);
    return this.rows.length ? this.rows[0] : null;
  }
  /** The first column of the first row, or null. */
  scalar(): Row[keyof Row] | null {
    const r = this.first();
    return r === null ? null : (r as any)[this.columnKeys[0]];
  }
  /** The first column of every row. */
  scalars(): ScalarResult<Row[keyof Row]> {
    const k = this.columnKeys[0];
    return new ScalarResult(this.rows.map((r) => (r as any)[k]));
  }
  /** Rows as plain objects (they already are; kept for SQLAlchemy parity). */
  mappings(): Row[] {
    return this.rows;
  }
  /** The result keys in column order. */
  keys(): string[] {
    return [...this.columnKeys];
  }
  get length(): number {
    return this.rows.length;
  }
  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }
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
