import { ArgumentError, type Between, type BinaryExpression, type CompileContext, type Processor, SQLCompiler, type Select, type Table, type TableColumn, type TypeEngine } from '@athanor/core';

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
   */
  override visitBinary(el: BinaryExpression<any>, ctx: CompileContext): string {
    if (!LIKE_OPERATORS.has(el.operator)) return super.visitBinary(el, ctx);
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
      case 'Numeric':
        // TEXT affinity keeps every digit ('NUMERIC' affinity would round beyond 15 digits).
        return t.precision !== undefined ? `DECIMAL_TEXT(${t.precision}, ${t.scale ?? 0})` : 'DECIMAL_TEXT';
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
