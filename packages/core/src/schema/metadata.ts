import { ArgumentError, SchemaError } from '../errors';
import type { ColumnClause } from '../sql/selectable';
import { CycleError, type Edge, topologicalSort } from '../util/topological';
import type { Inspectable } from '../reflection/inspector';
import { type ReflectOptions, type TableReflectOptions, reflectMetadata, reflectTable } from '../reflection/reflect';
import type { SchemaSequence } from './sequence';
import type { ColumnDefs, Table } from './table';

/**
 * Constraint and index naming conventions, SQLAlchemy-style templates:
 * `{ ix: 'ix_%(column_0_label)s', uq: 'uq_%(table_name)s_%(column_0_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s',
 *    fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', pk: 'pk_%(table_name)s' }`.
 */
export type NamingConvention = Partial<Record<'ix' | 'uq' | 'ck' | 'fk' | 'pk', string>>;

/** What `createAll`/`dropAll`/`reflect` need from an engine: implemented by `Engine` and `Connection`. */
export interface SchemaRunner {
  runSchemaOperation(op: 'createAll' | 'dropAll', metadata: MetaData, options: { checkFirst?: boolean; tables?: Table<any, any>[] }): Promise<void>;
}

/** A collection of tables and their schema-wide settings. */
export class MetaData {
  readonly tables = new Map<string, Table<any, any>>();
  readonly schema: string | undefined;
  readonly namingConvention: NamingConvention;

  constructor(options: { schema?: string; namingConvention?: NamingConvention } = {}) {
    this.schema = options.schema;
    this.namingConvention = options.namingConvention ?? {};
  }

  /** Called by the Table constructor. */
  addTable(table: Table<any, any>): void {
    if (this.tables.has(table.fullname)) {
      throw new ArgumentError(`Table '${table.fullname}' is already defined in this MetaData; use metadata.tables.get('${table.fullname}') to reuse it.`);
    }
    this.tables.set(table.fullname, table);
  }

  removeTable(table: Table<any, any>): void {
    this.tables.delete(table.fullname);
  }

  /** Resolves `'table.col'` / `'schema.table.col'` (by SQL name or key) to a column. */
  resolveColumn(spec: string, defaultSchema?: string): ColumnClause<any, any> | undefined {
    const dot = spec.lastIndexOf('.');
    const tableName = spec.slice(0, dot);
    const colName = spec.slice(dot + 1);
    const table = this.tables.get(tableName) ?? (defaultSchema ? this.tables.get(`${defaultSchema}.${tableName}`) : undefined);
    if (!table) return undefined;
    return table.columnByName(colName) ?? (table.c as any)[colName];
  }

  /**
   * Tables in foreign-key dependency order (referenced tables first). A cycle raises a
   * `SchemaError` naming the tables in it, unless the constraints that close it use `useAlter`.
   */
  get sortedTables(): Table<any, any>[] {
    return this.sortTables([...this.tables.values()]);
  }

  sortTables(tables: Table<any, any>[]): Table<any, any>[] {
    const edges: Edge<Table<any, any>>[] = [];
    for (const t of tables) {
      for (const fk of t.foreignKeys) {
        if (fk.options.useAlter) continue;
        const target = fk.isResolvable ? (fk.column.table as Table<any, any>) : undefined;
        if (target && target !== t) edges.push({ from: target, to: t });
      }
      for (const fkc of t.foreignKeyConstraints) {
        if (fkc.options.useAlter) continue;
        const ref = this.resolveColumn(fkc.targets[0], t.schema);
        if (ref && ref.table !== t) edges.push({ from: ref.table as Table<any, any>, to: t });
      }
    }
    try {
      return topologicalSort(tables, edges);
    } catch (e) {
      if (e instanceof CycleError) {
        const names = (e.cycle as Table<any, any>[]).map((t) => t.fullname).join(' -> ');
        throw new SchemaError(
          `Foreign keys form a cycle between tables: ${names}. Mark one of these ForeignKeys with { useAlter: true } so its constraint is added after the tables exist.`,
        );
      }
      throw e;
    }
  }

  /** The sequences the given tables' columns use (`Column(Integer, Sequence('s'))`), each once, in table order. */
  sequencesOf(tables: Iterable<Table<any, any>> = this.sortedTables): SchemaSequence[] {
    const out = new Set<SchemaSequence>();
    for (const t of tables) for (const c of t.columns) if (c.sequence) out.add(c.sequence);
    return [...out];
  }

  /** Checks every foreign key resolves; raises `SchemaError` naming the first that does not. */
  validateForeignKeys(tables: Iterable<Table<any, any>> = this.tables.values()): void {
    for (const t of tables) {
      for (const fk of t.foreignKeys) void fk.column;
      for (const fkc of t.foreignKeyConstraints) {
        for (const spec of fkc.targets) {
          if (!this.resolveColumn(spec, t.schema)) {
            throw new SchemaError(`ForeignKeyConstraint on '${t.fullname}' refers to '${spec}', which is not a table column in this MetaData.`);
          }
        }
      }
    }
  }

  /** CREATE SEQUENCE for the sequences columns use, then CREATE TABLE (and indexes) for every table, in dependency order. */
  async createAll(bind: SchemaRunner, options: { checkFirst?: boolean; tables?: Table<any, any>[] } = {}): Promise<void> {
    await bind.runSchemaOperation('createAll', this, { checkFirst: options.checkFirst ?? true, tables: options.tables });
  }

  /** DROP TABLE for every table, in reverse dependency order, then DROP SEQUENCE for their sequences. */
  async dropAll(bind: SchemaRunner, options: { checkFirst?: boolean; tables?: Table<any, any>[] } = {}): Promise<void> {
    await bind.runSchemaOperation('dropAll', this, { checkFirst: options.checkFirst ?? true, tables: options.tables });
  }

  /** Reads tables from the database into this MetaData (see `ReflectOptions`); returns the tables added. */
  async reflect(bind: Inspectable, options: ReflectOptions = {}): Promise<Table<any, any>[]> {
    return reflectMetadata(this, bind, options);
  }

  /** Reads one table into this MetaData (autoload); `options.columns` override reflected columns. `Table.reflect` calls this. */
  async reflectTable(name: string, bind: Inspectable, options: TableReflectOptions = {}): Promise<Table<string, ColumnDefs>> {
    return reflectTable(name, this, bind, options);
  }

  /** Fills a constraint/index name from the naming convention, or returns undefined. */
  conventionName(kind: keyof NamingConvention, values: Record<string, string>): string | undefined {
    const template = this.namingConvention[kind];
    if (!template) return undefined;
    return template.replace(/%\((\w+)\)s/g, (_, token: string) => {
      if (!(token in values)) throw new ArgumentError(`Naming convention for '${kind}' uses %(${token})s, which is not available here.`);
      return values[token];
    });
  }
}
