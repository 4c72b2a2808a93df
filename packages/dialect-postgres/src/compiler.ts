import {
  type BinaryExpression,
  type BindParameter,
  type Case,
  type ColumnElement,
  type CompileContext,
  type DMLBase,
  type FunctionCall,
  type Insert,
  type KeyedColumn,
  type Merge,
  SQLCompiler,
  type SchemaSequence,
  type Select,
  type Table,
  type TableColumn,
  type TypeEngine,
  type UnaryExpression,
  UnsupportedCompilationError,
  isNumericType,
} from '@athanor/core';

/**
 * A bind PostgreSQL types as `unknown`: pg sends every parameter untyped, so where nothing
 * beside it has a type (`$1 + $2`, `SELECT $1`) the server cannot resolve operators on it.
 * Expanding (IN list) binds are left alone: their placeholders are rendered per execution.
 */
function untypedBind(el: ColumnElement<any, any>): BindParameter | undefined {
  let e: any = el;
  while (e.kind === 'grouping') e = e.element;
  return e.kind === 'bindParam' && !e.expanding ? e : undefined;
}

const isZoned = (type: TypeEngine<any>) => type.impl.typeName === 'DateTime' && (type.impl as { timezone?: boolean }).timezone === true;

/** PostgreSQL SQL: `$n` placeholders, native types, identity columns, DISTINCT ON, ON CONFLICT. */
export class PostgresCompiler extends SQLCompiler {
  /**
   * A string with a backslash renders as an escape string (E'...'), which reads the same
   * whether standard_conforming_strings is on or off; a plain '...' would not.
   */
  protected override stringLiteral(value: string): string {
    const quoted = value.replace(/'/g, "''");
    return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
  }

  /**
   * Binds rendered `$n::TYPE` in this compile: those in a position where PostgreSQL cannot
   * infer their type (see `untypedBind`). Marked by the enclosing visitor before it renders
   * them; undefined until the first one, so statements without such binds pay one check per bind.
   */
  private castBinds: Set<BindParameter> | undefined;

  override visitBindParam(el: BindParameter, ctx: CompileContext): string {
    const m = super.visitBindParam(el, ctx);
    if (this.castBinds === undefined || ctx.literalBinds || !this.castBinds.has(el)) return m;
    return `${m}::${this.bindCastName(el.type)}`;
  }

  /** Marks a bind for a cast when its type names a PostgreSQL type (an untyped `bindparam` stays as it is). */
  private castBind(bind: BindParameter): void {
    if (this.bindCastName(bind.type) === undefined) return;
    (this.castBinds ??= new Set()).add(bind);
  }

  /**
   * The cast's type: the DDL name, without length or precision (an explicit cast to
   * VARCHAR(3) or NUMERIC(5, 2) would silently cut or round the value); none for NullType.
   */
  protected bindCastName(type: TypeEngine<any>): string | undefined {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'Null':
        return t.rawName;
      case 'String':
      case 'Enum':
        return 'VARCHAR';
      case 'Numeric':
        return 'NUMERIC';
      default:
        return this.typeName(type);
    }
  }

  /** `SELECT $1`: a bare (or labelled) bind as a result column would come back as text. */
  protected override columnsClause(el: Select<any>, ctx: CompileContext): string {
    for (const c of el.columnsClause as readonly any[]) {
      const bind = untypedBind(c.kind === 'label' ? c.element : c);
      if (bind !== undefined) this.castBind(bind);
    }
    return super.columnsClause(el, ctx);
  }

  /** `$1 + $2`: neither side types the other. `col + $1` infers `$1` from the column: no cast. */
  override visitBinary(el: BinaryExpression<any>, ctx: CompileContext): string {
    const left = untypedBind(el.left);
    const right = untypedBind(el.right);
    if (left !== undefined && right !== undefined) {
      this.castBind(left);
      this.castBind(right);
    } else if (left !== undefined && el.right.kind === 'interval') {
      // `$1 + make_interval(...)`: the bind would be read as an interval.
      this.castBind(left);
    } else {
      // A decimal beside an integer or float (`qty * $1` with '1.5'): the column would type it integer.
      if (left !== undefined && isNumericType(left.type) && !isNumericType(el.right.type)) this.castBind(left);
      if (right !== undefined && isNumericType(right.type) && !isNumericType(el.left.type)) this.castBind(right);
    }
    return super.visitBinary(el, ctx);
  }

  /** `-$1`: a prefix operator on a bind alone. */
  override visitUnary(el: UnaryExpression, ctx: CompileContext): string {
    if (el.operator !== undefined) {
      const bind = untypedBind(el.element);
      if (bind !== undefined) this.castBind(bind);
    }
    return super.visitUnary(el, ctx);
  }

  /**
   * `coalesce($1, $2)`, `generate_series($1, $2)`: no argument types another. One typed
   * argument is enough for PostgreSQL to pick the function, and a lone bind argument
   * (`upper($1)`, `ntile($1)`) takes the parameter type of the function it calls.
   */
  override visitFunction(el: FunctionCall<any, any>, ctx: CompileContext): string {
    if (el.args.length > 1) this.castIfAllBinds(el.args);
    return super.visitFunction(el, ctx);
  }

  /** `CASE WHEN ... THEN $1 ELSE $2 END`: results that are all binds would make the CASE text. */
  override visitCase(el: Case, ctx: CompileContext): string {
    if ((el.elseValue === undefined || untypedBind(el.elseValue) !== undefined) && this.castIfAllBinds(el.thens) && el.elseValue !== undefined) {
      this.castBind(untypedBind(el.elseValue)!);
    }
    return super.visitCase(el, ctx);
  }

  /** Marks every element when all are binds; returns whether it did. */
  private castIfAllBinds(list: readonly ColumnElement<any, any>[]): boolean {
    for (const e of list) if (untypedBind(e) === undefined) return false;
    for (const e of list) this.castBind(untypedBind(e)!);
    return true;
  }

  /**
   * A timestamptz is read in the session's time zone by EXTRACT, date_trunc and interval
   * arithmetic (a day across a DST change is 23 or 25 hours): read it as UTC instead, so
   * the answer is the same whatever the session's TimeZone, as on the other databases.
   */
  protected override utc(type: TypeEngine<any>, sql: string): string {
    return isZoned(type) ? `(${sql} AT TIME ZONE 'UTC')` : sql;
  }

  protected override fromUtc(type: TypeEngine<any>, sql: string): string {
    return isZoned(type) ? `(${sql} AT TIME ZONE 'UTC')` : sql;
  }

  /** MERGE came in PostgreSQL 15. */
  override visitMerge(el: Merge<any>, ctx: CompileContext): string {
    const [major] = this.dialect.serverVersion;
    if (major !== undefined && major < 15) {
      throw new UnsupportedCompilationError(
        `MERGE needs PostgreSQL 15 or later; this server is ${this.dialect.serverVersion.join('.')}. Use insert(t).values(...).onConflictDoUpdate(...) from @athanor/dialect-postgres for an upsert.`,
      );
    }
    return super.visitMerge(el, ctx);
  }

  /**
   * VALUES's columns take the table's column names, and their types from a first row of
   * `(SELECT col FROM t WHERE false)` (NULLs of each column's type; a NULL key matches no row):
   * the parameters' rows are then typed as the columns, enums and domains included. Left
   * untyped they would be text, which does not assign to an integer column; a cast by type
   * name would cut a VARCHAR(n) value short where the row-by-row UPDATE raises an error.
   */
  override updateFromValuesSQL(table: Table<any, any>, columns: readonly KeyedColumn[], count: number): string {
    const from = this.quoteSchemaTable(table.schema, table.name);
    const firstRow = `(${columns.map(({ column }) => `(SELECT ${this.quote(column.name)} FROM ${from} WHERE false)`).join(', ')})`;
    // A column both set and matched (a version counter) has two values: the second is named apart.
    const used = new Set<string>();
    const names = columns.map(({ column }, i) => {
      const name = used.has(column.name) ? `${column.name}_${i + 1}` : column.name;
      used.add(name);
      return this.quote(name);
    });
    return this.renderUpdateFromValues(table, columns, count, { valueColumn: (i) => names[i], firstRow, columnList: `(${names.join(', ')})` });
  }

  override typeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'Float':
        return 'DOUBLE PRECISION';
      case 'JSON':
        return 'JSONB';
      case 'Uuid':
        return 'UUID';
      case 'LargeBinary':
        return 'BYTEA';
      case 'DateTime':
        return t.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
      default:
        return super.typeName(type);
    }
  }

  /**
   * Autoincrement columns: `GENERATED BY DEFAULT AS IDENTITY` on INTEGER/BIGINT/SMALLINT;
   * `Identity()` with its options; nothing for a `Sequence()` column (its default is `nextval`).
   */
  protected override autoincrementClause(c: TableColumn<any, any>): string {
    if (c.sequence) return '';
    if (c.identity) return this.identityClause(c.identity);
    return c.isAutoincrement ? ' GENERATED BY DEFAULT AS IDENTITY' : '';
  }

  /** `nextval('s')`: the sequence's name as a regclass literal, quoted inside when needed. */
  protected override nextValueOf(seq: SchemaSequence): string {
    return `nextval(${this.renderLiteral(this.quoteSchemaTable(seq.schema, seq.name))})`;
  }

  /**
   * Implicit RETURNING (SQLAlchemy's): a single-row INSERT into a table whose autoincrement
   * column is its primary key returns that column, which the driver hands to the engine as
   * the insert id (`result.insertedPrimaryKey`); PostgreSQL has no last-insert-id to ask for.
   * Not for multi-row VALUES (executemany's batches), INSERT ... SELECT, a nested INSERT, or
   * when the statement has its own returning().
   */
  protected override returning(el: DMLBase<any>, kind: 'insert' | 'update' | 'delete', ctx: CompileContext): string {
    if (kind !== 'insert' || el.returningClause.length !== 0 || this.statementDepth !== 1) return super.returning(el, kind, ctx);
    const ins = el as Insert<any, any, any>;
    if (ins.selectStatement !== undefined || ins.valueRows.length > 1) return '';
    const auto = ins.table.columns.find((c) => c.isAutoincrement);
    return auto !== undefined && ins.table.primaryKey.includes(auto) ? ` RETURNING ${this.process(auto, ctx)}` : '';
  }

  protected override distinctOn(clauses: readonly ColumnElement<any, any>[], ctx: CompileContext): string {
    return `DISTINCT ON (${clauses.map((c) => this.process(c, ctx)).join(', ')}) `;
  }

  protected override dialectClauseRenderers(): Record<string, (el: any, ctx: CompileContext) => string> {
    return {
      ...super.dialectClauseRenderers(),
      'postgresql.onConflict': (el: any, ctx: CompileContext) => this.onConflict(el, ctx),
    };
  }

  protected onConflict(el: any, ctx: CompileContext): string {
    const target: TableColumn<any, any>[] = el.target ?? [];
    let s = 'ON CONFLICT';
    if (el.constraintName) s += ` ON CONSTRAINT ${this.quote(el.constraintName)}`;
    else if (target.length) s += ` (${target.map((c) => this.quote(c.name)).join(', ')})`;
    const sets: [TableColumn<any, any>, ColumnElement<any, any>][] = el.sets ?? [];
    if (!el.doUpdate) return `${s} DO NOTHING`;
    const inner = { ...ctx, unqualified: undefined };
    s += ` DO UPDATE SET ${sets.map(([c, v]) => `${this.quote(c.name)} = ${this.process(v, inner)}`).join(', ')}`;
    if (el.whereClause) s += ` WHERE ${this.process(el.whereClause, inner)}`;
    return s;
  }
}
