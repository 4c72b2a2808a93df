import { type ClauseElement, type ColumnDef, type ColumnDefs, type ColumnElement, type Constraint, type Index, type Table, type TableOptions, inspect, literalColumn } from '@athanor/core';
import { MigrateError } from '../errors';
import { type AlterColumnOptions, alterColumnSQL } from './alter-column';
import { type AlterEnumOptions, alterEnumSQL } from './enum';
import { BatchOperations, type BatchOptions, recreateTableSQL } from './batch';
import type { ConstraintType, DdlRenderer, DialectKind, ForeignKeyOps, IndexElement } from './ddl';
import type { SqlSink } from './sink';

export type { AlterColumnOptions } from './alter-column';
export type { AlterEnumOptions } from './enum';

interface Schema {
  schema?: string;
}

/**
 * The `op` a revision's `upgrade(op)` and `downgrade(op)` receive. Every method renders its
 * SQL for the database at hand and sends it on: executed online, printed with `--sql`.
 * Calls run in the order made; awaiting each is recommended but not required.
 */
export class Operations {
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly renderer: DdlRenderer,
    private readonly sink: SqlSink,
  ) {}

  /** 'sqlite', 'postgresql' or 'mysql' (MariaDB included): for dialect-specific steps. */
  get dialect(): DialectKind {
    return this.renderer.kind;
  }

  /** True under `--sql`: nothing is executed and the live schema cannot be read. */
  get offline(): boolean {
    return this.sink.offline;
  }

  /** Resolves when every statement queued so far has run; rejects with the first failure. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  private emit(build: () => string[] | Promise<string[]>): Promise<void> {
    const step = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        for (const sql of await build()) await this.sink.run(sql);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    this.chain = step.catch(() => {});
    return step;
  }

  createTable(name: string, columns: ColumnDefs, ...args: (Constraint | Index | TableOptions)[]): Promise<void> {
    return this.emit(() => {
      const schema = (args.find((a) => a && typeof a === 'object' && 'schema' in a) as TableOptions | undefined)?.schema;
      return this.renderer.createTable(this.renderer.scratch(schema).table(name, columns, args));
    });
  }

  dropTable(name: string, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.dropTable(name, options.schema));
  }

  renameTable(from: string, to: string, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.renameTable(from, to, options.schema));
  }

  addColumn(table: string, name: string, column: ColumnDef<any, any>, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.addColumn(table, name, column, options.schema));
  }

  dropColumn(table: string, name: string, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.dropColumn(table, name, options.schema));
  }

  alterColumn(table: string, name: string, options: AlterColumnOptions): Promise<void> {
    return this.emit(async () => alterColumnSQL(this.renderer, table, name, await this.withExisting(table, name, options)));
  }

  /** MySQL restates a column in full: online, what the caller did not say is read from the database. */
  private async withExisting(table: string, name: string, o: AlterColumnOptions): Promise<AlterColumnOptions> {
    const conn = this.sink.connection;
    if (this.renderer.kind !== 'mysql' || !conn) return o;
    const needs = ['existingType', 'existingNullable', 'existingServerDefault', 'existingComment'].some((k) => !Object.hasOwn(o, k));
    if (!needs) return o;
    const cols = await inspect(conn).getColumns(table, o.schema);
    const col = cols.find((c) => c.name === name);
    if (!col) throw new MigrateError(`alterColumn('${table}', '${name}'): the table has no column '${name}' (it has ${cols.map((c) => c.name).join(', ') || 'no columns'}).`);
    return {
      existingType: col.type,
      existingNullable: col.nullable,
      existingServerDefault: col.serverDefault === undefined ? null : literalColumn(col.serverDefault),
      existingComment: col.comment ?? null,
      ...o,
    };
  }

  createIndex(name: string, table: string, columns: readonly IndexElement[], options: { unique?: boolean } & Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.createIndex(name, table, columns, options));
  }

  dropIndex(name: string, table: string, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.dropIndex(name, table, options.schema));
  }

  createForeignKey(name: string | undefined, source: string, referent: string, localColumns: readonly string[], remoteColumns: readonly string[], options: ForeignKeyOps = {}): Promise<void> {
    return this.emit(() => this.renderer.createForeignKey(name, source, referent, localColumns, remoteColumns, options));
  }

  createUniqueConstraint(name: string | undefined, table: string, columns: readonly string[], options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.createUniqueConstraint(name, table, columns, options.schema));
  }

  createCheckConstraint(name: string | undefined, table: string, condition: string | ColumnElement<boolean, any>, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.createCheckConstraint(name, table, condition, options.schema));
  }

  createPrimaryKey(name: string | undefined, table: string, columns: readonly string[], options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.createPrimaryKey(name, table, columns, options.schema));
  }

  /**
   * PostgreSQL: gives an enum type (CREATE TYPE ... AS ENUM) these values. Additions only:
   * ALTER TYPE ... ADD VALUE in place. A value removed or moved: the type is rebuilt and each
   * column in `columns` converted (a row holding a removed value makes that fail).
   */
  alterEnum(name: string, values: readonly string[], options: AlterEnumOptions): Promise<void> {
    return this.emit(() => alterEnumSQL(this.renderer, name, values, options));
  }

  /** A table's comment (null removes it); PostgreSQL and MySQL/MariaDB (SQLite keeps none). */
  setTableComment(table: string, comment: string | null, options: Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.setTableComment(table, comment, options.schema));
  }

  /** MySQL/MariaDB need `type` ('foreignkey', 'unique', 'check', 'primary'): each has its own DROP. */
  dropConstraint(name: string, table: string, options: { type?: ConstraintType } & Schema = {}): Promise<void> {
    return this.emit(() => this.renderer.dropConstraint(name, table, options.type, options.schema));
  }

  /** Raw SQL, or a Core statement (`text()`, `update(t)...`) rendered with its values inline. */
  execute(statement: string | ClauseElement): Promise<void> {
    return this.emit(() => [typeof statement === 'string' ? statement : this.renderer.statement(statement)]);
  }

  /** Rows into a Table (declare it in the revision with the columns the rows use). */
  bulkInsert(table: Table<any, any>, rows: readonly Record<string, unknown>[]): Promise<void> {
    return this.emit(() => this.renderer.bulkInsert(table, rows));
  }

  /**
   * Changes ALTER TABLE cannot make on SQLite, made by rebuilding the table (create a new one,
   * copy the rows, drop the old, rename, recreate indexes). Elsewhere the changes run as ALTERs.
   * Offline on SQLite, give `copyFrom` (the table as it is) since the database cannot be read.
   */
  batchAlterTable(table: string, fn: (batch: BatchOperations) => void | Promise<void>, options: BatchOptions = {}): Promise<void> {
    if (this.renderer.kind !== 'sqlite') {
      // The batch's calls queue on this op in the order made, as plain ALTERs.
      const direct = (async () => {
        await fn(new BatchOperations(table, options.schema, this));
        await this.flush();
      })();
      direct.catch(() => {});
      return direct;
    }
    return this.emit(async () => {
      const batch = new BatchOperations(table, options.schema);
      await fn(batch);
      return recreateTableSQL(this.renderer, this.sink, table, batch.changes, options);
    });
  }
}
