/** CREATE/DROP TABLE and INDEX, constraints, column specifications, type names. */
import { ArgumentError } from '../errors';
import { CheckConstraint, type Constraint, ForeignKeyConstraint, type Index, PrimaryKeyConstraint, UniqueConstraint } from '../schema/constraints';
import type { ForeignKey } from '../schema/foreign-key';
import type { Table, TableColumn } from '../schema/table';
import { ClauseElement } from '../sql/element';
import type { AddConstraint, CreateIndex, CreateTable, DropConstraint, DropIndex, DropTable } from '../sql/ddl';
import type { TypeEngine } from '../types/type-engine';
import type { CompileContext } from './base-compiler';
import { DMLCompiler } from './dml-compiler';

const LITERAL: CompileContext = { literalBinds: true };

export abstract class DDLCompiler extends DMLCompiler {
  visitCreateTable(el: CreateTable, _ctx: CompileContext): string {
    const t = el.table;
    const lines = t.columns.map((c) => this.columnSpecification(c));
    const pk = t.primaryKey;
    if (pk.length && !this.inlinePrimaryKey(t)) {
      const pkc = t.constraints.find((c) => c instanceof PrimaryKeyConstraint);
      lines.push(`${this.constraintPrefix(pkc, 'pk', t, pk)}PRIMARY KEY (${pk.map((c) => this.quote(c.name)).join(', ')})`);
    }
    for (const c of t.constraints) {
      if (c instanceof UniqueConstraint || c instanceof CheckConstraint || c instanceof ForeignKeyConstraint) lines.push(this.constraintSpecification(c));
    }
    for (const col of t.columns) for (const fk of col.foreignKeys) if (!fk.options.useAlter) lines.push(this.foreignKeySpecification(fk));
    let s = `CREATE TABLE ${el.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.quoteSchemaTable(t.schema, t.name)} (\n\t${lines.join(',\n\t')}\n)`;
    s += this.tableSuffix(t);
    return s;
  }

  /** Whether a single-column integer primary key is written inline (SQLite's `INTEGER PRIMARY KEY`). */
  protected inlinePrimaryKey(_t: Table<any, any>): boolean {
    return false;
  }

  /** After the closing parenthesis: `ENGINE=InnoDB`, `COMMENT '...'` (MySQL). */
  protected tableSuffix(_t: Table<any, any>): string {
    return '';
  }

  /** `name TYPE [NOT NULL] [DEFAULT x]` plus the dialect's autoincrement spelling. */
  columnSpecification(c: TableColumn<any, any>): string {
    let s = `${this.quote(c.name)} ${this.columnType(c)}`;
    const def = this.serverDefault(c);
    if (def !== undefined) s += ` DEFAULT ${def}`;
    if (!c.nullable) s += ' NOT NULL';
    s += this.autoincrementClause(c);
    return s;
  }

  /** The column's type in DDL; dialects override for serial/identity types. */
  protected columnType(c: TableColumn<any, any>): string {
    return this.typeName(c.type);
  }

  protected autoincrementClause(_c: TableColumn<any, any>): string {
    return '';
  }

  protected serverDefault(c: TableColumn<any, any>): string | undefined {
    const d = c.options.serverDefault;
    if (d === undefined) return undefined;
    if (typeof d === 'string') return this.renderLiteral(d);
    if (typeof d === 'number' || typeof d === 'boolean') return this.renderLiteral(d);
    if (d instanceof ClauseElement) {
      const kind = (d as any).kind;
      const sql = this.process(d, LITERAL);
      // Expressions as defaults need parentheses on SQLite and MySQL; harmless elsewhere.
      return kind === 'text' || kind === 'literalColumn' ? this.serverDefaultText(sql) : `(${sql})`;
    }
    throw new ArgumentError(`serverDefault of ${c.table.name}.${c.name}: give a string, number, boolean, text() or an expression.`);
  }

  /** Raw SQL text as a default (`text('CURRENT_TIMESTAMP')`). */
  protected serverDefaultText(sql: string): string {
    return sql;
  }

  protected constraintPrefix(c: Constraint | undefined, kind: 'pk' | 'uq' | 'ck' | 'fk', t: Table<any, any>, cols: TableColumn<any, any>[], referred?: string): string {
    const name = c?.name ?? t.metadata.conventionName(kind, {
      table_name: t.name,
      column_0_name: cols[0]?.name ?? '',
      column_0_label: `${t.name}_${cols[0]?.name ?? ''}`,
      referred_table_name: referred ?? '',
      constraint_name: c?.name ?? '',
    });
    return name ? `CONSTRAINT ${this.quote(name)} ` : '';
  }

  constraintSpecification(c: Constraint): string {
    const t = c.table;
    if (c instanceof UniqueConstraint) {
      return `${this.constraintPrefix(c, 'uq', t, c.columns)}UNIQUE (${c.columns.map((x) => this.quote(x.name)).join(', ')})`;
    }
    if (c instanceof CheckConstraint) {
      const cond = typeof c.condition === 'string' ? c.condition : this.process(c.condition, { literalBinds: true, unqualified: true });
      return `${this.constraintPrefix(c, 'ck', t, [])}CHECK (${cond})`;
    }
    if (c instanceof ForeignKeyConstraint) {
      const targets = c.targets.map((spec) => {
        const col = t.metadata.resolveColumn(spec, t.schema);
        if (!col) throw new ArgumentError(`ForeignKeyConstraint on '${t.name}' refers to '${spec}', which does not exist in this MetaData.`);
        return col;
      });
      const rt = targets[0].table as Table<any, any>;
      let s = `${this.constraintPrefix(c, 'fk', t, c.columns, rt.name)}FOREIGN KEY (${c.columns.map((x) => this.quote(x.name)).join(', ')}) REFERENCES ${this.quoteSchemaTable(rt.schema, rt.name)} (${targets.map((x) => this.quote(x.name)).join(', ')})`;
      s += this.referentialActions(c.options);
      return s;
    }
    if (c instanceof PrimaryKeyConstraint) {
      return `${this.constraintPrefix(c, 'pk', t, c.columns)}PRIMARY KEY (${c.columns.map((x) => this.quote(x.name)).join(', ')})`;
    }
    return this.unsupported(`constraint ${(c as Constraint).constructor.name}`);
  }

  foreignKeySpecification(fk: ForeignKey): string {
    const ref = fk.column;
    const rt = ref.table as Table<any, any>;
    const t = fk.parent.table as Table<any, any>;
    let s = `${this.constraintPrefix(fk.options.name ? ({ name: fk.options.name } as Constraint) : undefined, 'fk', t, [fk.parent as TableColumn<any, any>], rt.name)}FOREIGN KEY (${this.quote(fk.parent.name)}) REFERENCES ${this.quoteSchemaTable(rt.schema, rt.name)} (${this.quote(ref.name)})`;
    s += this.referentialActions(fk.options);
    return s;
  }

  protected referentialActions(o: { onDelete?: string; onUpdate?: string; deferrable?: boolean; initially?: string }): string {
    let s = '';
    if (o.onDelete) s += ` ON DELETE ${o.onDelete}`;
    if (o.onUpdate) s += ` ON UPDATE ${o.onUpdate}`;
    if (o.deferrable) s += ' DEFERRABLE';
    if (o.initially) s += ` INITIALLY ${o.initially}`;
    return s;
  }

  visitDropTable(el: DropTable, _ctx: CompileContext): string {
    return `DROP TABLE ${el.ifExists ? 'IF EXISTS ' : ''}${this.quoteSchemaTable(el.table.schema, el.table.name)}`;
  }

  /** The index name: given, from the naming convention, or `ix_<table>_<col>`. */
  indexName(index: Index): string {
    if (index.name) return index.name;
    const t = index.table;
    const first = index.elements[0] as any;
    const colName = first.kind === 'column' ? first.name : 'expr';
    return t.metadata.conventionName('ix', { table_name: t.name, column_0_name: colName, column_0_label: `${t.name}_${colName}` }) ?? `ix_${t.name}_${colName}`;
  }

  visitCreateIndex(el: CreateIndex, _ctx: CompileContext): string {
    const idx = el.index;
    const t = idx.table;
    const exprs = idx.elements.map((e) => {
      const s = this.process(e, { literalBinds: true, unqualified: true });
      return (e as any).kind === 'column' ? s : this.indexExpression(s);
    });
    return `CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX ${el.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.quote(this.indexName(idx))} ON ${this.quoteSchemaTable(t.schema, t.name)} (${exprs.join(', ')})`;
  }

  /** An expression in an index: parenthesised (required by PostgreSQL and MySQL). */
  protected indexExpression(sql: string): string {
    return `(${sql})`;
  }

  visitDropIndex(el: DropIndex, _ctx: CompileContext): string {
    const t = el.index.table;
    const name = this.quote(this.indexName(el.index));
    return `DROP INDEX ${el.ifExists ? 'IF EXISTS ' : ''}${t.schema ? `${this.quote(t.schema)}.` : ''}${name}`;
  }

  visitAddConstraint(el: AddConstraint, _ctx: CompileContext): string {
    // SQLite cannot alter a table's constraints (only by rebuilding the table).
    if (!this.dialect.capabilities.ddl.alterConstraint) this.unsupported('ALTER TABLE ... ADD CONSTRAINT');
    const t = el.constraint.table;
    return `ALTER TABLE ${this.quoteSchemaTable(t.schema, t.name)} ADD ${this.constraintSpecification(el.constraint)}`;
  }

  visitDropConstraint(el: DropConstraint, _ctx: CompileContext): string {
    if (!this.dialect.capabilities.ddl.alterConstraint) this.unsupported('ALTER TABLE ... DROP CONSTRAINT');
    const c = el.constraint;
    if (!c.name) throw new ArgumentError(`DropConstraint needs a named constraint on '${c.table.name}'; give the constraint a name.`);
    return `ALTER TABLE ${this.quoteSchemaTable(c.table.schema, c.table.name)} DROP CONSTRAINT ${this.quote(c.name)}`;
  }

  /** Generic type names (SQL standard); dialects override per type name. */
  typeName(type: TypeEngine<any>): string {
    const t = type.impl as any;
    switch (t.typeName) {
      case 'Integer':
        return 'INTEGER';
      case 'SmallInteger':
        return 'SMALLINT';
      case 'BigInteger':
        return 'BIGINT';
      case 'Float':
        return 'FLOAT';
      case 'Numeric':
        return t.precision !== undefined ? `NUMERIC(${t.precision}, ${t.scale ?? 0})` : 'NUMERIC';
      case 'String':
        return t.length !== undefined ? `VARCHAR(${t.length})` : 'VARCHAR';
      case 'Text':
        return 'TEXT';
      case 'Boolean':
        return 'BOOLEAN';
      case 'Date':
        return 'DATE';
      case 'DateTime':
        return t.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
      case 'Time':
        return 'TIME';
      case 'JSON':
        return 'JSON';
      case 'Uuid':
        return 'CHAR(32)';
      case 'LargeBinary':
        return 'BLOB';
      case 'Enum':
        return `VARCHAR(${Math.max(...t.values.map((v: string) => v.length))})`;
      default:
        return t.rawName ?? 'NULL';
    }
  }
}
