import {
  ArgumentError,
  type Between,
  type BinaryExpression,
  type BindParameter,
  type ColumnElement,
  type CompileContext,
  type DateField,
  type Interval,
  type Merge,
  type TruncField,
  type Constraint,
  type DMLBase,
  type Delete,
  type DropConstraint,
  type DropIndex,
  ForeignKeyConstraint,
  PrimaryKeyConstraint,
  SQLCompiler,
  type Select,
  type Table,
  type TableColumn,
  type TypeEngine,
  UniqueConstraint,
  UnsupportedCompilationError,
  type Update,
  isIntegerType,
  isNumericType,
} from '@athanor/core';
import { mysqlAddInterval, mysqlExtract, mysqlSecondsBetween, mysqlTruncate } from './datetime';
import type { MySQLDialect } from './dialect';

/** Names mysql2 refuses as result column names (its `privateObjectProps`). */
export const MYSQL2_UNREADABLE_NAMES: ReadonlySet<string> = new Set(['__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** `LIMIT` needs a row count: MySQL's documented "no limit" value for an offset alone. */
const MAX_ROWS = '18446744073709551615';

/**
 * The MySQL/MariaDB compiler: backticks, `?` placeholders, `AUTO_INCREMENT`, `concat()`,
 * multi-table UPDATE/DELETE, MySQL type names in DDL and CAST.
 *
 * `String()` without a length compiles to `VARCHAR(255)` (MySQL requires a length; 255 is
 * the largest that fits any index under utf8mb4 on every supported version). Give a length
 * for anything else, or use `Text()`.
 */
export class MySQLCompiler extends SQLCompiler {
  /**
   * Backslash is an escape inside MySQL strings (the session's sql_mode, set on connect,
   * leaves NO_BACKSLASH_ESCAPES off): double it as well as the quote, so `'x\\'` cannot
   * end the literal early.
   */
  protected override stringLiteral(value: string): string {
    return `'${value.replace(/[\\']/g, (c) => (c === "'" ? "''" : '\\\\'))}'`;
  }

  /**
   * mysql2 builds each row with generated code keyed by the column names it is sent and
   * throws (killing the connection) on these: refuse them before anything is sent.
   */
  protected override checkIdentifier(name: string): void {
    super.checkIdentifier(name);
    if (/[\uD800-\uDFFF]/.test(name)) {
      throw new ArgumentError(`The name ${JSON.stringify(name)} has a character outside the Basic Multilingual Plane (an emoji?): MySQL/MariaDB identifiers cannot hold one. Choose another name.`);
    }
    if (MYSQL2_UNREADABLE_NAMES.has(name)) {
      throw new ArgumentError(`The name '${name}' cannot be used on MySQL/MariaDB: mysql2 (the driver) refuses a result column of that name. Choose another name or label.`);
    }
  }

  // MySQL has no BETWEEN SYMMETRIC: refuse rather than send SQL the server rejects.
  override visitBetween(el: Between, ctx: CompileContext): string {
    if (el.symmetric) this.unsupported('BETWEEN SYMMETRIC');
    return super.visitBetween(el, ctx);
  }

  declare readonly dialect: MySQLDialect;

  /**
   * A Numeric bind in an expression is sent as text, and MySQL computes text beside a
   * DECIMAL in floating point ('0.06' - '0.01' is 0.049999…): cast it to DECIMAL with the
   * bind's own scale (30, MySQL's largest, when it has none), so arithmetic and comparisons
   * stay exact. INSERT and UPDATE values are not expressions and are stored by the column's type.
   */
  override visitBindParam(el: BindParameter, ctx: CompileContext): string {
    const m = super.visitBindParam(el, ctx);
    if (ctx.literalBinds || el.expanding || !isNumericType(el.type)) return m;
    return `CAST(${m} AS DECIMAL(65, ${(el.type.impl as { scale?: number }).scale ?? 30}))`;
  }

  /** MySQL's `/` never truncates: an Integer division is `DIV`, as PostgreSQL's and SQLite's `/` of two integers. */
  protected override division(el: BinaryExpression<any>, left: string, right: string): string {
    return isIntegerType(el.type) && isIntegerType(el.left.type) && isIntegerType(el.right.type) ? `${left} DIV ${right}` : `${left} / ${right}`;
  }

  override typeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    // Only the names that differ from the generic ones (INTEGER, SMALLINT, BIGINT, DATE, JSON).
    switch (t.typeName) {
      case 'Float':
        return 'DOUBLE';
      case 'Numeric':
        return t.precision !== undefined ? `DECIMAL(${t.precision}, ${t.scale ?? 0})` : 'DECIMAL(65, 30)';
      case 'String':
        return `VARCHAR(${t.length ?? 255})`;
      case 'Text':
        return 'LONGTEXT';
      case 'Boolean':
        return 'BOOL';
      case 'DateTime':
        // Both variants: DATETIME stores the UTC wall-clock the driver sends, never shifted by the session time zone.
        return 'DATETIME(6)';
      case 'Time':
        return 'TIME(6)';
      case 'Uuid':
        return 'CHAR(36)';
      case 'LargeBinary':
        return t.length !== undefined ? `VARBINARY(${t.length})` : 'LONGBLOB';
      case 'Enum':
        return `ENUM(${t.values.map((v: string) => this.renderLiteral(v)).join(', ')})`;
      default:
        return super.typeName(type);
    }
  }

  protected override extractField(field: DateField, x: string): string {
    return mysqlExtract(field, x);
  }

  protected override truncate(field: TruncField, x: string, date: boolean): string {
    return mysqlTruncate(field, x, date);
  }

  override visitMerge(_el: Merge<any>, _ctx: CompileContext): string {
    throw new UnsupportedCompilationError(
      `MERGE is not supported by ${this.dialect.isMariaDB ? 'MariaDB' : 'MySQL'}. For an upsert use insert(t).values(...) with onDuplicateKeyUpdate() from @athanor/dialect-mysql; otherwise an UPDATE and an INSERT ... SELECT in one transaction.`,
    );
  }

  override visitInterval(_el: Interval, _ctx: CompileContext): string {
    this.unsupported('An interval() outside date arithmetic (date + interval, date - interval)');
  }

  protected override addInterval(x: string, iv: Interval, _date: boolean): string {
    return mysqlAddInterval(x, iv);
  }

  protected override daysBetween(a: string, b: string): string {
    return `DATEDIFF(${a}, ${b})`;
  }

  protected override secondsBetween(a: string, b: string): string {
    return mysqlSecondsBetween(a, b);
  }

  /** CAST target names differ from DDL names on MySQL. */
  protected override castTypeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'Integer':
      case 'SmallInteger':
      case 'BigInteger':
      case 'Boolean':
        return 'SIGNED';
      case 'Numeric':
        return t.precision !== undefined ? `DECIMAL(${t.precision}, ${t.scale ?? 0})` : 'DECIMAL(65, 30)';
      case 'Float':
        return 'DOUBLE';
      case 'String':
        return t.length !== undefined ? `CHAR(${t.length})` : 'CHAR';
      case 'Text':
      case 'Enum':
      case 'Uuid':
        return 'CHAR';
      case 'JSON':
        return this.dialect.isMariaDB ? 'CHAR' : 'JSON';
      case 'Date':
        return 'DATE';
      case 'DateTime':
        return 'DATETIME(6)';
      case 'Time':
        return 'TIME(6)';
      case 'LargeBinary':
        return 'BINARY';
      default:
        return this.typeName(type);
    }
  }

  /**
   * `AUTO_INCREMENT` for autoincrement and `Identity()` columns (of Identity's options only
   * `start` has a spelling, the table option below; the others are ignored); nothing for a
   * `Sequence()` column, whose default is the sequence's next value (MariaDB 10.3+).
   */
  /**
   * RETURNING where the server lacks it: the message names the product (MySQL or MariaDB),
   * its version, and the MariaDB version that has the clause (INSERT/DELETE: 10.5; UPDATE: none).
   */
  protected override returning(el: DMLBase<any>, kind: 'insert' | 'update' | 'delete', ctx: CompileContext): string {
    if (el.returningClause.length && !this.dialect.capabilities.dml.returning[kind]) {
      const server = `${this.dialect.isMariaDB ? 'MariaDB' : 'MySQL'}${this.dialect.serverVersion.length ? ` ${this.dialect.serverVersion.join('.')}` : ''}`;
      const stmt = `${kind.toUpperCase()} ... RETURNING`;
      let why: string;
      if (kind === 'update') why = `${stmt} is not supported by ${server} (neither MySQL nor MariaDB has it)`;
      else if (this.dialect.isMariaDB) why = `${stmt} needs MariaDB 10.5 or later; this server is ${server}`;
      else why = `${stmt} is not supported by ${server} (MariaDB 10.5 and later has it)`;
      throw new UnsupportedCompilationError(`${why}. Run a SELECT after the ${kind} instead${kind === 'insert' ? ' (result.insertedPrimaryKey gives the new id)' : ''}.`);
    }
    return super.returning(el, kind, ctx);
  }

  protected override autoincrementClause(c: TableColumn<any, any>): string {
    if (c.sequence) return '';
    return c.isAutoincrement ? ' AUTO_INCREMENT' : '';
  }

  /** `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`, plus `AUTO_INCREMENT=n` for `Identity({ start: n })`. */
  protected override tableSuffix(t: Table<any, any>): string {
    const start = t.columns.find((c) => c.identity?.options.start !== undefined)?.identity?.options.start;
    return ` ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${start !== undefined ? ` AUTO_INCREMENT=${start}` : ''}`;
  }

  /** MariaDB spells it `NOCYCLE`. */
  protected override noCycle(): string {
    return 'NOCYCLE';
  }

  protected override noSequencesReason(): string {
    const v = this.dialect.serverVersion.join('.');
    return this.dialect.isMariaDB ? `MariaDB ${v} has none (they arrived in MariaDB 10.3)` : `MySQL has no sequences (MariaDB 10.3 and later has them)`;
  }

  protected override defaultValues(): string {
    return ' () VALUES ()';
  }

  protected override limitOffset(limit: ColumnElement<any, any> | undefined, offset: ColumnElement<any, any> | undefined, ctx: CompileContext): string {
    let s = ` LIMIT ${limit ? this.process(limit, ctx) : MAX_ROWS}`;
    if (offset) s += ` OFFSET ${this.process(offset, ctx)}`;
    return s;
  }

  // MySQL spells random() as rand().
  protected override functionName(name: string): string {
    return name === 'random' ? 'rand' : super.functionName(name);
  }

  protected override concatOperator(left: string, right: string): string {
    return `concat(${left}, ${right})`;
  }

  protected override distinctFrom(el: BinaryExpression<any>, ctx: CompileContext): string {
    const s = `${this.process(el.left, ctx)} <=> ${this.process(el.right, ctx)}`;
    return el.operator === 'IS NOT DISTINCT FROM' ? s : `NOT (${s})`;
  }

  protected override orderModifier(rendered: string, modifier: string): string {
    if (/NULLS/i.test(modifier)) this.unsupported(`${modifier} (order by nulls first/last; sort on \`col IS NULL\` first instead)`);
    return `${rendered} ${modifier}`;
  }

  protected override forUpdate(el: Select<any>, ctx: CompileContext): string {
    const o = el.forUpdateOptions!;
    if (this.dialect.isMariaDB) {
      if (o.of !== undefined) this.unsupported('FOR UPDATE OF');
      let s = o.read ? ' LOCK IN SHARE MODE' : ' FOR UPDATE';
      if (o.nowait) s += ' NOWAIT';
      if (o.skipLocked) s += ' SKIP LOCKED';
      return s;
    }
    return super.forUpdate(el, ctx);
  }

  /** `UPDATE t, x SET t.a = ... WHERE ...` (MySQL's multi-table form) when other tables are referenced. */
  protected override updateStatement(el: Update<any, any>, sets: string[], ctx: CompileContext): string {
    const table = this.quoteSchemaTable(el.table.schema, el.table.name);
    const extra = this.extraFroms(el, el.extraFroms);
    let s: string;
    if (extra.length) {
      s = `UPDATE ${table}, ${extra.map((f) => this.process(f, { ...ctx, asFrom: true })).join(', ')} SET ${sets.map((x) => `${table}.${x}`).join(', ')}`;
    } else s = `UPDATE ${table} SET ${sets.join(', ')}`;
    if (el.whereClause) s += ` WHERE ${this.process(el.whereClause, ctx)}`;
    return s + this.returning(el, 'update', ctx);
  }

  /** `DELETE t FROM t, x WHERE ...` when other tables are referenced. */
  protected override deleteStatement(el: Delete<any, any>, ctx: CompileContext): string {
    const table = this.quoteSchemaTable(el.table.schema, el.table.name);
    const extra = this.extraFroms(el, el.extraFroms);
    let s: string;
    if (extra.length) {
      if (el.returningClause.length) this.unsupported('DELETE ... RETURNING with other tables');
      s = `DELETE ${table} FROM ${table}, ${extra.map((f) => this.process(f, { ...ctx, asFrom: true })).join(', ')}`;
    } else s = `DELETE FROM ${table}`;
    if (el.whereClause) s += ` WHERE ${this.process(el.whereClause, ctx)}`;
    return s + this.returning(el, 'delete', ctx);
  }

  /** MySQL has no DEFERRABLE constraints: those options are ignored. */
  protected override referentialActions(o: { onDelete?: string; onUpdate?: string; deferrable?: boolean; initially?: string }): string {
    let s = '';
    if (o.onDelete) s += ` ON DELETE ${o.onDelete}`;
    if (o.onUpdate) s += ` ON UPDATE ${o.onUpdate}`;
    return s;
  }

  override visitDropIndex(el: DropIndex, _ctx: CompileContext): string {
    const t = el.index.table;
    return `DROP INDEX ${el.ifExists ? 'IF EXISTS ' : ''}${this.quote(this.indexName(el.index))} ON ${this.quoteSchemaTable(t.schema, t.name)}`;
  }

  override visitDropConstraint(el: DropConstraint, ctx: CompileContext): string {
    const c: Constraint = el.constraint;
    const table = this.quoteSchemaTable(c.table.schema, c.table.name);
    if (c instanceof PrimaryKeyConstraint) return `ALTER TABLE ${table} DROP PRIMARY KEY`;
    if (!c.name) return super.visitDropConstraint(el, ctx);
    if (c instanceof ForeignKeyConstraint) return `ALTER TABLE ${table} DROP FOREIGN KEY ${this.quote(c.name)}`;
    if (c instanceof UniqueConstraint) return `ALTER TABLE ${table} DROP INDEX ${this.quote(c.name)}`;
    return super.visitDropConstraint(el, ctx);
  }

  // -- jsonRecord / jsonArrayAgg: JSON_OBJECT and JSON_ARRAYAGG ----------------------------

  protected override jsonObject(pairs: readonly (readonly [key: string, value: string])[]): string {
    return `JSON_OBJECT(${pairs.map(([k, v]) => `${k}, ${v}`).join(', ')})`;
  }

  /** ORDER BY inside JSON_ARRAYAGG: MariaDB 10.5 and later; MySQL has none (and an ordered derived table's order is not kept). */
  protected override jsonArrayAgg(record: string, order: string): string {
    if (order !== '' && !this.dialect.isMariaDB) {
      throw new UnsupportedCompilationError(
        'jsonArrayAgg() with orderBy is not supported on MySQL: it has no ORDER BY inside JSON_ARRAYAGG (MariaDB 10.5 and later has). Drop orderBy and sort the array in code, or load the relationship with selectinload.',
      );
    }
    return `COALESCE(JSON_ARRAYAGG(${record}${order}), JSON_ARRAY())`;
  }

  /** Values a JSON number or JSON_OBJECT's own formatting would change go in as the text the driver reads. */
  protected override jsonValue(el: ColumnElement<any, any>, ctx: CompileContext): string {
    switch (el.type.impl.typeName) {
      case 'BigInteger':
      case 'Numeric':
      case 'DateTime':
      case 'Date':
      case 'Time':
      case 'JSON':
        return `CAST(${this.process(el, ctx)} AS CHAR)`;
      case 'LargeBinary':
        return `HEX(${this.process(el, ctx)})`;
      default:
        return this.process(el, ctx);
    }
  }

  protected override dialectClauseRenderers(): Record<string, (el: any, ctx: CompileContext) => string> {
    return {
      'mysql.onDuplicateKeyUpdate': (el: any, ctx: CompileContext) => {
        const sets = (el.sets as [TableColumn<any, any>, ColumnElement<any, any>][]).map(
          ([c, v]) => `${this.quote(c.name)} = ${this.process(v, { ...ctx, unqualified: true })}`,
        );
        return `ON DUPLICATE KEY UPDATE ${sets.join(', ')}`;
      },
      'mysql.insertedValue': (el: any, _ctx: CompileContext) => `VALUES(${this.quote(el.column.name)})`,
    };
  }
}
