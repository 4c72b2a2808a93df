import {
  ArgumentError,
  type Between,
  type BinaryExpression,
  type ColumnElement,
  type CompileContext,
  type DateField,
  type FunctionCall,
  type Interval,
  type Merge,
  type Over,
  type Processor,
  SQLCompiler,
  type Select,
  type Table,
  type TableColumn,
  type TruncField,
  type TypeEngine,
  isIntegerType,
  isNumberType,
  UnsupportedCompilationError,
  isNumericType,
} from '@athanor/core';

import { sqliteAddInterval, sqliteDaysBetween, sqliteExtract, sqliteSecondsBetween, sqliteTruncate } from './datetime';

/** camelCase / generic function names that SQLite spells differently. */
const SQLITE_FUNCTIONS: Record<string, string> = {
  now: 'CURRENT_TIMESTAMP',
  currentTimestamp: 'CURRENT_TIMESTAMP',
  currentDate: 'CURRENT_DATE',
  char_length: 'length',
  charLength: 'length',
  // SQLite has no greatest/least: its multi-argument max/min are the scalar forms.
  greatest: 'max',
  least: 'min',
};

/** A Numeric type's scale when it has a fractional part to keep exact; undefined otherwise. */
function numericScale(type: TypeEngine<any>): number | undefined {
  if (!isNumericType(type)) return undefined;
  const scale = (type.impl as { scale?: number }).scale;
  return scale !== undefined && scale > 0 ? scale : undefined;
}

/** The scale to round a `+ - *` to (see `roundedArithmetic`). */
function roundedScale(el: BinaryExpression<any>): number | undefined {
  return el.operator === '+' || el.operator === '-' || el.operator === '*' ? numericScale(el.type) : undefined;
}

/**
 * SQLite's SQL: `?` placeholders, `INTEGER PRIMARY KEY` for the single integer autoincrement
 * key (the rowid alias), `LIMIT -1 OFFSET n`, ILIKE as `lower(a) LIKE lower(b)`, booleans as
 * 1/0. `FOR UPDATE` renders as nothing: SQLite locks the whole database for a write
 * transaction, so a row lock request has nothing to add (begin the transaction with
 * `BEGIN IMMEDIATE` to take the write lock up front).
 */
export class SQLiteCompiler extends SQLCompiler {
  /**
   * SQLite's LIKE reads its operands as C strings: a NUL ends the pattern early, so
   * `contains('a\0b')` would match every 'a'. Values bound into a LIKE refuse NUL.
   * Numeric arithmetic is rounded to its scale (see `roundedArithmetic`).
   */
  override visitBinary(el: BinaryExpression<any>, ctx: CompileContext): string {
    if (!LIKE_OPERATORS.has(el.operator)) return this.roundedArithmetic(el, super.visitBinary(el, ctx));
    const from = this.slotList.length;
    const out = super.visitBinary(el, ctx);
    for (let i = from; i < this.slotList.length; i++) this.slotList[i].processor = refusingNul(this.slotList[i].processor);
    return out;
  }

  // SQLite has no BETWEEN SYMMETRIC: refuse rather than send SQL the server rejects.
  override visitBetween(el: Between, ctx: CompileContext): string {
    if (el.symmetric) this.unsupported('BETWEEN SYMMETRIC');
    return super.visitBetween(el, ctx);
  }

  /**
   * SQLite rejects a parenthesised member in a compound select (`(SELECT ... LIMIT 1) UNION
   * ...`): a member with its own ORDER BY/LIMIT/OFFSET, or a nested compound, becomes a
   * subquery instead, `SELECT * FROM (SELECT ... LIMIT 1)`, which keeps its columns and its
   * left-to-right evaluation. Plain members stay as they are.
   */
  protected override compoundMember(s: Select<any>, ctx: CompileContext): string {
    const own = s.orderByClauses.length > 0 || s.limitClause !== undefined || s.offsetClause !== undefined || (s as { kind: string }).kind === 'compoundSelect';
    return own ? `SELECT * FROM (${this.process(s, ctx)})` : this.process(s, ctx);
  }

  /**
   * A Numeric column stores whole values as INTEGERs, and SQLite divides two INTEGERs with
   * truncation: a division whose type is not Integer divides by a REAL instead. An Integer
   * division truncates even when a side is a REAL (better-sqlite3 binds JS numbers as REAL).
   */
  protected override division(el: BinaryExpression<any>, left: string, right: string): string {
    if (isIntegerType(el.type)) return `CAST(${left} / ${right} AS INTEGER)`;
    return isNumberType(el.type) ? `${left} / CAST(${right} AS REAL)` : `${left} / ${right}`;
  }

  /**
   * Numeric arithmetic runs on doubles here, so `0.07 - 0.01` is 0.060000000000000005 and
   * would not equal 0.06. A `+ - *` of Numeric type with a known scale is rounded to that
   * scale in SQL, which gives the double nearest the exact decimal, the same double a
   * literal 0.06 is: comparisons, grouping and sorting of computed values then agree with
   * the servers' exact arithmetic (within SQLite's 15 digits).
   */
  private roundedArithmetic(el: BinaryExpression<any>, sql: string): string {
    const scale = roundedScale(el);
    return scale === undefined ? sql : `round(${sql}, ${scale})`;
  }

  /** `sum()` of a Numeric adds doubles: rounded to the column's scale as `+` is. */
  override visitFunction(el: FunctionCall<any, any>, ctx: CompileContext): string {
    const sql = super.visitFunction(el, ctx);
    const scale = el.name === 'sum' && !this.inWindow ? numericScale(el.type) : undefined;
    return scale === undefined ? sql : `round(${sql}, ${scale})`;
  }

  private inWindow = false;

  override visitOver(el: Over<any, any>, ctx: CompileContext): string {
    this.inWindow = true;
    let sql: string;
    try {
      sql = super.visitOver(el, ctx);
    } finally {
      this.inWindow = false;
    }
    const scale = el.element.name === 'sum' ? numericScale(el.type) : undefined;
    return scale === undefined ? sql : `round(${sql}, ${scale})`;
  }

  protected override extractField(field: DateField, x: string): string {
    return sqliteExtract(field, x);
  }

  protected override truncate(field: TruncField, x: string, date: boolean): string {
    return sqliteTruncate(field, x, date);
  }

  override visitMerge(_el: Merge<any>, _ctx: CompileContext): string {
    throw new UnsupportedCompilationError('MERGE is not supported by SQLite. For an upsert use insert(t).values(...) with onConflictDoUpdate() from @athanor/dialect-sqlite; otherwise an UPDATE and an INSERT ... SELECT in one transaction.');
  }

  override visitInterval(_el: Interval, _ctx: CompileContext): string {
    this.unsupported('An interval() outside date arithmetic (date + interval, date - interval)');
  }

  protected override addInterval(x: string, iv: Interval, date: boolean): string {
    const [major, minor] = this.dialect.serverVersion;
    if (iv.months !== 0 && major !== undefined && (major < 3 || (major === 3 && (minor ?? 0) < 46))) {
      throw new UnsupportedCompilationError(
        `Adding months or years needs SQLite 3.46 or later (its 'floor' modifier clamps Jan 31 + 1 month to Feb 28/29, as the servers do); this library is ${this.dialect.serverVersion.join('.')}. Add days instead, or upgrade better-sqlite3.`,
      );
    }
    return sqliteAddInterval(x, iv, date);
  }

  protected override daysBetween(a: string, b: string): string {
    return sqliteDaysBetween(a, b);
  }

  protected override secondsBetween(a: string, b: string): string {
    return sqliteSecondsBetween(a, b);
  }

  /** The single-column integer autoincrement primary key written inline, if any. */
  protected inlinePkColumn(t: Table<any, any>): TableColumn<any, any> | undefined {
    const pk = t.primaryKey;
    if (pk.length !== 1) return undefined;
    const c = pk[0];
    const tn = (c.type.impl as any).typeName;
    if ((tn === 'Integer' || tn === 'BigInteger' || tn === 'SmallInteger') && c.isAutoincrement) return c;
    return undefined;
  }

  protected override inlinePrimaryKey(t: Table<any, any>): boolean {
    return this.inlinePkColumn(t) !== undefined;
  }

  protected override columnType(c: TableColumn<any, any>): string {
    // Only the exact spelling `INTEGER PRIMARY KEY` makes the column the rowid alias.
    if (c.primaryKey && this.inlinePkColumn(c.table as Table<any, any>) === c) return 'INTEGER';
    return this.typeName(c.type);
  }

  protected override autoincrementClause(c: TableColumn<any, any>): string {
    if (!c.primaryKey || this.inlinePkColumn(c.table as Table<any, any>) !== c) {
      if (c.identity) this.unsupported(`Identity() on ${c.table.name}.${c.name} (SQLite generates values only for the single INTEGER PRIMARY KEY column)`);
      return '';
    }
    // Identity() options (start, increment...) have no SQLite spelling: the rowid numbering applies.
    // AUTOINCREMENT (never reuse ids) only when asked for explicitly; plain rowid otherwise (as SQLAlchemy).
    return c.options.autoincrement === true ? ' PRIMARY KEY AUTOINCREMENT' : ' PRIMARY KEY';
  }

  protected override noSequencesReason(): string {
    return 'SQLite has no sequences';
  }

  override typeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'DateTime':
        return 'DATETIME';
      case 'JSON':
        return 'JSON';
      case 'Uuid':
        return 'CHAR(32)';
      case 'Float':
        return 'REAL';
      default:
        return super.typeName(type);
    }
  }

  protected override castTypeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'Numeric':
        return 'NUMERIC';
      case 'String':
      case 'Text':
      case 'Uuid':
      case 'Enum':
      case 'JSON':
      case 'DateTime':
      case 'Date':
      case 'Time':
        return 'TEXT';
      case 'Boolean':
      case 'BigInteger':
      case 'SmallInteger':
        return 'INTEGER';
      default:
        return this.typeName(type);
    }
  }

  protected override limitOffset(limit: any, offset: any, ctx: CompileContext): string {
    let s = ` LIMIT ${limit ? this.process(limit, ctx) : '-1'}`;
    if (offset) s += ` OFFSET ${this.process(offset, ctx)}`;
    return s;
  }

  /** SQLite has no row locks; see the class comment. */
  protected override forUpdate(_el: Select<any>, _ctx: CompileContext): string {
    return '';
  }

  protected override functionName(name: string): string {
    return SQLITE_FUNCTIONS[name] ?? super.functionName(name);
  }

  protected override serverDefaultText(sql: string): string {
    // SQLite needs parentheses around anything but a literal or CURRENT_* keyword.
    return /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|NULL|TRUE|FALSE|-?\d+(\.\d+)?|'(?:[^']|'')*')$/i.test(sql.trim()) ? sql : `(${sql})`;
  }

  protected override dialectClauseRenderers(): Record<string, (el: any, ctx: CompileContext) => string> {
    return {
      'sqlite.onConflict': (el, ctx) => this.renderOnConflict(el, ctx),
      'sqlite.excluded': (el) => `excluded.${this.quote(el.columnName)}`,
    };
  }

  // -- jsonRecord / jsonArrayAgg: json_object and json_group_array --------------------------

  protected override jsonObject(pairs: readonly (readonly [key: string, value: string])[]): string {
    return `json_object(${pairs.map(([k, v]) => `${k}, ${v}`).join(', ')})`;
  }

  /** ORDER BY inside an aggregate: SQLite 3.44 and later. */
  protected override jsonArrayAgg(record: string, order: string): string {
    return `json_group_array(${record}${order})`;
  }

  /** Integers and reals go in as JSON numbers SQLite writes exactly (17 digits); the rest as text. */
  protected override jsonValue(el: ColumnElement<any, any>, ctx: CompileContext): string {
    switch (el.type.impl.typeName) {
      case 'JsonRows':
        // A subquery's JSON text is a string to json_object unless marked as JSON again.
        return `json(${this.process(el, ctx)})`;
      case 'BigInteger':
      case 'Numeric':
      // SQLite's INTEGER is 64-bit whatever the declared type: a JSON number would round
      // a value beyond 2^53 that a plain read returns exactly (as a bigint).
      case 'Integer':
      case 'SmallInteger':
        return `CAST(${this.process(el, ctx)} AS TEXT)`;
      case 'LargeBinary':
        // hex(NULL) is '': NULL stays NULL.
        return `CASE WHEN ${this.process(el, ctx)} IS NULL THEN NULL ELSE hex(${this.process(el, ctx)}) END`;
      default:
        return this.process(el, ctx);
    }
  }

  protected renderOnConflict(el: { target: readonly string[]; targetWhere?: any; setPairs: readonly (readonly [TableColumn<any, any>, any])[]; where?: any; doNothing: boolean }, ctx: CompileContext): string {
    let s = 'ON CONFLICT';
    if (el.target.length) s += ` (${el.target.map((n) => this.quote(n)).join(', ')})`;
    if (el.targetWhere) s += ` WHERE ${this.process(el.targetWhere, ctx)}`;
    if (el.doNothing) return `${s} DO NOTHING`;
    const sets = el.setPairs.map(([c, v]) => `${this.quote(c.name)} = ${this.dmlValue(c, v, ctx)}`);
    s += ` DO UPDATE SET ${sets.join(', ')}`;
    if (el.where) s += ` WHERE ${this.process(el.where, ctx)}`;
    return s;
  }
}

const LIKE_OPERATORS: ReadonlySet<string> = new Set(['LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE']);

function refusingNul(next: Processor | null): Processor {
  return (v) => {
    if (typeof v === 'string' && v.includes('\u0000')) {
      throw new ArgumentError('A LIKE pattern or operand holds a NUL character (\\u0000): SQLite reads LIKE operands up to the first NUL, so the match would be wrong. Remove the NUL or compare with eq().');
    }
    return next === null ? v : next(v);
  };
}
