import { ArgumentError } from '../errors';
import { Connection } from '../engine/connection';
import { refusingNulNames } from './guard-names';
import type { Engine } from '../engine/engine';
import type {
  ByTable,
  DialectIntrospection,
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedPrimaryKey,
  ReflectedUniqueConstraint,
} from './interface';

/** An engine or a connection: what `inspect()` reads through. */
export type Inspectable = Engine | Connection;

/**
 * Reads a live schema: `const insp = inspect(engine); await insp.getColumns('users')`.
 * Single-table methods are the bulk ones restricted to one table, so both agree.
 */
export class Inspector {
  readonly introspection: DialectIntrospection;

  constructor(readonly bind: Inspectable) {
    const engine = bind instanceof Connection ? bind.engine : bind;
    const intro = engine.plugin.introspection;
    if (!intro) throw new ArgumentError(`The '${engine.plugin.name}' dialect does not implement reflection (its plugin has no 'introspection').`);
    this.introspection = refusingNulNames(intro);
  }

  /** Runs `fn` on the inspector's connection, or on a pooled one for an engine. */
  run<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.bind instanceof Connection ? fn(this.bind) : this.bind.connect(fn);
  }

  getSchemaNames(): Promise<string[]> {
    return this.run((c) => this.introspection.getSchemaNames(c));
  }
  getTableNames(schema?: string): Promise<string[]> {
    return this.run((c) => this.introspection.getTableNames(c, schema));
  }
  getViewNames(schema?: string): Promise<string[]> {
    return this.run((c) => this.introspection.getViewNames(c, schema));
  }
  getViewDefinition(name: string, schema?: string): Promise<string | undefined> {
    return this.run((c) => this.introspection.getViewDefinition(c, name, schema));
  }

  getMultiColumns(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedColumn[]>> {
    return this.run((c) => this.introspection.getMultiColumns(c, schema, tables));
  }
  getMultiPkConstraint(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedPrimaryKey>> {
    return this.run((c) => this.introspection.getMultiPkConstraint(c, schema, tables));
  }
  getMultiForeignKeys(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedForeignKey[]>> {
    return this.run((c) => this.introspection.getMultiForeignKeys(c, schema, tables));
  }
  getMultiIndexes(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedIndex[]>> {
    return this.run((c) => this.introspection.getMultiIndexes(c, schema, tables));
  }
  getMultiUniqueConstraints(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedUniqueConstraint[]>> {
    return this.run((c) => this.introspection.getMultiUniqueConstraints(c, schema, tables));
  }
  getMultiCheckConstraints(schema?: string, tables?: readonly string[]): Promise<ByTable<ReflectedCheckConstraint[]>> {
    return this.run((c) => this.introspection.getMultiCheckConstraints(c, schema, tables));
  }
  getMultiTableComment(schema?: string, tables?: readonly string[]): Promise<ByTable<string | undefined>> {
    return this.run((c) => this.introspection.getMultiTableComment(c, schema, tables));
  }

  /** The table's columns; raises `NoSuchTableError`-style `ArgumentError` if it has none. */
  async getColumns(table: string, schema?: string): Promise<ReflectedColumn[]> {
    const cols = (await this.getMultiColumns(schema, [table])).get(table);
    if (!cols?.length) throw new ArgumentError(`No table '${schema ? `${schema}.` : ''}${table}' to inspect.`);
    return cols;
  }
  async getPkConstraint(table: string, schema?: string): Promise<ReflectedPrimaryKey> {
    return (await this.getMultiPkConstraint(schema, [table])).get(table) ?? { columns: [] };
  }
  async getForeignKeys(table: string, schema?: string): Promise<ReflectedForeignKey[]> {
    return (await this.getMultiForeignKeys(schema, [table])).get(table) ?? [];
  }
  async getIndexes(table: string, schema?: string): Promise<ReflectedIndex[]> {
    return (await this.getMultiIndexes(schema, [table])).get(table) ?? [];
  }
  async getUniqueConstraints(table: string, schema?: string): Promise<ReflectedUniqueConstraint[]> {
    return (await this.getMultiUniqueConstraints(schema, [table])).get(table) ?? [];
  }
  async getCheckConstraints(table: string, schema?: string): Promise<ReflectedCheckConstraint[]> {
    return (await this.getMultiCheckConstraints(schema, [table])).get(table) ?? [];
  }
  async getTableComment(table: string, schema?: string): Promise<string | undefined> {
    return (await this.getMultiTableComment(schema, [table])).get(table);
  }
}

/** `inspect(engine)` or `inspect(connection)`: an `Inspector` over the live database. */
export function inspect(bind: Inspectable): Inspector {
  return new Inspector(bind);
}
