import {
  AddConstraint,
  CheckConstraint,
  type ClauseElement,
  type ColumnDef,
  type ColumnElement,
  CreateIndex,
  CreateTable,
  type Dialect,
  DropTable,
  ForeignKeyConstraint,
  Index,
  type NamingConvention,
  PrimaryKeyConstraint,
  type SQLCompiler,
  type Table,
  type TableColumn,
  UniqueConstraint,
  insert,
} from '@athanor/core';
import { MigrateError } from '../errors';
import { Scratch, namesOf } from './scratch';

/** The database family a migration renders for: it picks the DDL spelling of each operation. */
export type DialectKind = 'sqlite' | 'postgresql' | 'mysql';
/** The kind of constraint `op.dropConstraint()` drops, which MySQL's DDL needs to know. */
export type ConstraintType = 'foreignkey' | 'unique' | 'check' | 'primary';
/** An element of an index in `op.createIndex()`: a column name, or an expression for an expression index. */
export type IndexElement = string | ColumnElement<any, any>;

/** Options of `op.createForeignKey()`: referential actions and the schemas of the two tables. */
export interface ForeignKeyOps {
  onDelete?: 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';
  onUpdate?: 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';
  schema?: string;
  referentSchema?: string;
}

/**
 * The SQL of every operation, per dialect, as strings: online mode executes exactly these and
 * offline mode prints them, so the two cannot differ. Built on Core's DDL compiler (column
 * specifications, types, constraints, quoting), adding the ALTER statements Core has no element for.
 */
export class DdlRenderer {
  readonly kind: DialectKind;

  constructor(
    readonly dialect: Dialect,
    readonly namingConvention?: NamingConvention,
  ) {
    const name = dialect.name;
    if (name !== 'sqlite' && name !== 'postgresql' && name !== 'mysql') throw new MigrateError(`@athanor/migrate does not know the '${name}' dialect (it knows sqlite, postgresql and mysql).`);
    this.kind = name;
  }

  compiler(): SQLCompiler {
    return this.dialect.createCompiler();
  }

  scratch(schema?: string): Scratch {
    return new Scratch(this.namingConvention, schema);
  }

  quote(name: string): string {
    return this.compiler().quote(name);
  }

  table(name: string, schema?: string): string {
    return this.compiler().quoteSchemaTable(schema, name);
  }

  literal(value: unknown): string {
    return this.compiler().renderLiteral(value);
  }

  /** A Core statement with its values rendered inline (what `--sql` can print). */
  statement(el: ClauseElement): string {
    return this.compiler().process(el, { literalBinds: true });
  }

  /** CREATE TABLE, its indexes and its comments. */
  createTable(t: Table<any, any>): string[] {
    const c = this.compiler();
    const out = [c.process(new CreateTable(t))];
    for (const idx of t.indexes) out.push(c.process(new CreateIndex(idx)));
    out.push(...this.tableComments(t));
    return out;
  }

  /** Comments are not part of Core's CREATE TABLE: set after it (PostgreSQL, MySQL). */
  private tableComments(t: Table<any, any>): string[] {
    const out: string[] = [];
    if (t.comment !== undefined) out.push(...this.setTableComment(t.name, t.comment, t.schema));
    for (const col of t.columns) if (col.options.comment !== undefined) out.push(...this.setColumnComment(t, col, col.options.comment));
    return out;
  }

  setTableComment(table: string, comment: string | null, schema?: string): string[] {
    if (this.kind === 'sqlite') throw new MigrateError(`SQLite has no table comments (table '${table}'): leave the comment out on SQLite.`);
    if (this.kind === 'postgresql') return [`COMMENT ON TABLE ${this.table(table, schema)} IS ${comment === null ? 'NULL' : this.literal(comment)}`];
    return [`ALTER TABLE ${this.table(table, schema)} COMMENT = ${this.literal(comment ?? '')}`];
  }

  /** A column's comment on its own (PostgreSQL); MySQL restates the column (see alter-column.ts). */
  setColumnComment(t: Table<any, any>, col: TableColumn<any, any>, comment: string | null): string[] {
    if (this.kind === 'sqlite') throw new MigrateError(`SQLite has no column comments ('${t.name}.${col.name}'): leave the comment out on SQLite.`);
    if (this.kind === 'postgresql') return [`COMMENT ON COLUMN ${this.table(t.name, t.schema)}.${this.quote(col.name)} IS ${comment === null ? 'NULL' : this.literal(comment)}`];
    return [`ALTER TABLE ${this.table(t.name, t.schema)} MODIFY COLUMN ${this.columnSpec(col)}${comment ? ` COMMENT ${this.literal(comment)}` : ''}`];
  }

  columnSpec(col: TableColumn<any, any>): string {
    return this.compiler().columnSpecification(col);
  }

  dropTable(name: string, schema?: string): string[] {
    return [this.compiler().process(new DropTable(this.scratch(schema).stub(name, ['x'])))];
  }

  renameTable(from: string, to: string, schema?: string): string[] {
    return [`ALTER TABLE ${this.table(from, schema)} RENAME TO ${this.quote(to)}`];
  }

  addColumn(table: string, name: string, def: ColumnDef<any, any>, schema?: string): string[] {
    const t = this.scratch(schema).table(table, { [name]: def });
    const col = t.columns[0];
    const c = this.compiler();
    let spec = c.columnSpecification(col);
    if (col.primaryKey) throw new MigrateError(`addColumn('${table}', '${name}'): a primary key column cannot be added with ALTER TABLE; use createPrimaryKey after adding it${this.kind === 'sqlite' ? ' in batchAlterTable' : ''}.`);
    const out: string[] = [];
    if (this.kind === 'sqlite') {
      // SQLite adds a column's foreign key inline; it cannot add a UNIQUE column (a unique index instead).
      for (const fk of col.foreignKeys) spec += ` ${c.foreignKeySpecification(fk).replace(/^(CONSTRAINT \S+ )?FOREIGN KEY \([^)]*\) /, '$1')}`;
      out.push(`ALTER TABLE ${this.table(table, schema)} ADD COLUMN ${spec}`);
      for (const u of t.constraints) if (u instanceof UniqueConstraint) this.uniqueIndex(t, u);
    } else {
      // MySQL keeps a column's comment in its definition; PostgreSQL sets it below.
      if (this.kind === 'mysql' && col.options.comment !== undefined) spec += ` COMMENT ${this.literal(col.options.comment)}`;
      out.push(`ALTER TABLE ${this.table(table, schema)} ADD COLUMN ${spec}`);
      for (const fk of col.foreignKeys) out.push(`ALTER TABLE ${this.table(table, schema)} ADD ${c.foreignKeySpecification(fk)}`);
      for (const u of t.constraints) if (u instanceof UniqueConstraint) out.push(c.process(new AddConstraint(u)));
    }
    for (const idx of t.indexes) out.push(c.process(new CreateIndex(idx)));
    if (col.options.comment !== undefined) out.push(...(this.kind === 'postgresql' ? this.setColumnComment(t, col, col.options.comment) : []));
    return out;
  }

  private uniqueIndex(t: Table<any, any>, u: UniqueConstraint): Index {
    const idx = new Index(u.name ?? `uq_${t.name}_${u.columns[0].name}`, u.columns, { unique: true });
    t.addIndex(idx);
    return idx;
  }

  dropColumn(table: string, name: string, schema?: string): string[] {
    return [`ALTER TABLE ${this.table(table, schema)} DROP COLUMN ${this.quote(name)}`];
  }

  createIndex(name: string, table: string, elements: readonly IndexElement[], options: { unique?: boolean; schema?: string } = {}): string[] {
    const t = this.scratch(options.schema).stub(table, namesOf(elements));
    const idx = new Index(name, elements as any, { unique: options.unique });
    t.addIndex(idx);
    return [this.compiler().process(new CreateIndex(idx))];
  }

  createIndexOf(idx: Index): string {
    return this.compiler().process(new CreateIndex(idx));
  }

  dropIndex(name: string, table: string, schema?: string): string[] {
    if (this.kind === 'mysql') return [`DROP INDEX ${this.quote(name)} ON ${this.table(table, schema)}`];
    return [`DROP INDEX ${schema ? `${this.quote(schema)}.` : ''}${this.quote(name)}`];
  }

  /** ALTER TABLE ... ADD CONSTRAINT; SQLite cannot, and says to use batchAlterTable. */
  private addConstraint(what: string, table: string, build: (s: Scratch) => ForeignKeyConstraint | UniqueConstraint | CheckConstraint | PrimaryKeyConstraint): string[] {
    if (this.kind === 'sqlite') throw new MigrateError(`SQLite cannot ${what} on an existing table ('${table}'): do it inside op.batchAlterTable('${table}', (batch) => ...), which rebuilds the table.`);
    const c = build(this.scratch());
    return [this.compiler().process(new AddConstraint(c))];
  }

  createForeignKey(name: string | undefined, source: string, referent: string, localCols: readonly string[], remoteCols: readonly string[], options: ForeignKeyOps = {}): string[] {
    return this.addConstraint('add a foreign key', source, (s) => {
      const targetTable = options.referentSchema ? `${options.referentSchema}.${referent}` : referent;
      if (referent !== source || options.referentSchema !== options.schema) s.stub(referent, remoteCols, options.referentSchema ? [{ schema: options.referentSchema }] : []);
      const fk = new ForeignKeyConstraint(localCols, remoteCols.map((c) => `${targetTable}.${c}`), { name, onDelete: options.onDelete as any, onUpdate: options.onUpdate as any });
      const cols = referent === source ? [...new Set([...localCols, ...remoteCols])] : localCols;
      s.stub(source, cols, [fk, ...(options.schema ? [{ schema: options.schema } as any] : [])]);
      return fk;
    });
  }

  createUniqueConstraint(name: string | undefined, table: string, columns: readonly string[], schema?: string): string[] {
    return this.addConstraint('add a unique constraint', table, (s) => {
      const u = new UniqueConstraint(columns, { name });
      s.stub(table, columns, [u, ...(schema ? [{ schema } as any] : [])]);
      return u;
    });
  }

  createCheckConstraint(name: string | undefined, table: string, condition: string | ColumnElement<boolean, any>, schema?: string): string[] {
    return this.addConstraint('add a check constraint', table, (s) => {
      const ck = new CheckConstraint(condition, { name });
      s.stub(table, [], [ck, ...(schema ? [{ schema } as any] : [])]);
      return ck;
    });
  }

  createPrimaryKey(name: string | undefined, table: string, columns: readonly string[], schema?: string): string[] {
    return this.addConstraint('add a primary key', table, (s) => {
      const pk = new PrimaryKeyConstraint(columns, { name });
      s.stub(table, columns, [pk, ...(schema ? [{ schema } as any] : [])]);
      return pk;
    });
  }

  dropConstraint(name: string, table: string, type: ConstraintType | undefined, schema?: string): string[] {
    const t = this.table(table, schema);
    if (this.kind === 'sqlite') throw new MigrateError(`SQLite cannot drop constraint '${name}' of '${table}' with ALTER TABLE: drop it inside op.batchAlterTable('${table}', (batch) => batch.dropConstraint('${name}')).`);
    if (this.kind === 'postgresql') return [`ALTER TABLE ${t} DROP CONSTRAINT ${this.quote(name)}`];
    switch (type) {
      case 'foreignkey':
        return [`ALTER TABLE ${t} DROP FOREIGN KEY ${this.quote(name)}`];
      case 'unique':
        return [`ALTER TABLE ${t} DROP INDEX ${this.quote(name)}`];
      case 'primary':
        return [`ALTER TABLE ${t} DROP PRIMARY KEY`];
      case 'check':
        return [`ALTER TABLE ${t} DROP CONSTRAINT ${this.quote(name)}`];
      default:
        throw new MigrateError(`dropConstraint('${name}', '${table}'): MySQL/MariaDB needs the constraint's type: pass { type: 'foreignkey' | 'unique' | 'check' | 'primary' }.`);
    }
  }

  /** INSERT ... VALUES with the values inline, in chunks (what offline mode can print). */
  bulkInsert(t: Table<any, any>, rows: readonly Record<string, unknown>[], chunk = 200): string[] {
    const out: string[] = [];
    for (let i = 0; i < rows.length; i += chunk) out.push(this.statement(insert(t).values(rows.slice(i, i + chunk) as any)));
    return out;
  }
}
