import { ArgumentError } from '../errors';
import { refuseNul } from '../util/refuse';
import { ColumnClause, type ColumnCollection, FromClause, type ForeignKeyLink } from '../sql/selectable';
import { defineElement } from '../sql/element';
import { identityList, useIdentityKey } from '../sql/cache-key';
import { type Delete, type Insert, type Update, delete_, insert, update } from '../sql/dml';
import type { SourcesOf } from '../sql/join-nullability';
import { type RowOf, type Select, select } from '../sql/select';
import type { TypeEngine } from '../types/type-engine';
import type { ColumnDef, ColumnOptions } from './column';
import { CheckConstraint, type Constraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint } from './constraints';
import { type ForeignKey, ForeignKeyReference } from './foreign-key';
import type { MetaData } from './metadata';
import type { ColumnIdentity, SchemaSequence } from './sequence';
import type { Inspectable } from '../reflection/inspector';
import type { TableReflectOptions } from '../reflection/reflect';

/**
 * A column that belongs to a table: the column definition's options, bound to its table.
 * `N` is the table's name, for the types only (outer joins make that table's columns nullable).
 */
export class TableColumn<T = unknown, K extends string = string> extends ColumnClause<T, K> {
  declare readonly table: Table<any, any>;
  readonly primaryKey: boolean;
  readonly nullable: boolean;
  readonly options: ColumnOptions<any>;
  readonly foreignKeys: ForeignKey[];
  /** Position in the table, for ordered structures (DDL, reflection). */
  readonly position: number;
  /** `Identity()`: an identity column (PostgreSQL `GENERATED ... AS IDENTITY`). */
  readonly identity: ColumnIdentity | undefined;
  /** `Sequence()`: the column's default is the sequence's next value. */
  readonly sequence: SchemaSequence | undefined;

  constructor(table: Table<any, any>, key: K, def: ColumnDef<any, any>, position: number) {
    super(table, refuseNul(def.options.name ?? key, `The column name of '${table.name}.${key}'`), def.type, key);
    this.options = def.options;
    this.primaryKey = def.options.primaryKey ?? false;
    this.nullable = def.options.nullable ?? !this.primaryKey;
    this.position = position;
    this.identity = def.identity;
    this.sequence = def.sequence;
    // A sequence without its own schema lives beside the first table that uses it.
    if (def.sequence && def.sequence.schema === undefined) def.sequence.inheritedSchema = table.schema;
    this.foreignKeys = def.foreignKeys.map((fk) => {
      // Each table column owns its ForeignKey objects: a definition may be reused.
      const own = new ForeignKeyReference(fk.target, fk.options);
      own.parent = this;
      own.resolver = (spec) => table.metadata.resolveColumn(spec, table.schema);
      return own;
    });
  }

  /** Whether the database generates the value (integer primary key, identity, sequence). */
  get isAutoincrement(): boolean {
    const a = this.options.autoincrement ?? 'auto';
    if (a === false) return false;
    if (this.identity || this.sequence) return true;
    if (!this.primaryKey) return a === true;
    const intLike = this.type.impl.typeName === 'Integer' || this.type.impl.typeName === 'BigInteger' || this.type.impl.typeName === 'SmallInteger';
    if (!intLike) return false;
    if (a === true) return true;
    // 'auto': only the single integer primary key column, with no foreign key (SQLAlchemy's rule).
    return this.table.primaryKey.length === 1 && this.foreignKeys.length === 0;
  }

  get comment(): string | undefined {
    return this.options.comment;
  }
}
defineElement(TableColumn, 'column', [
  ['table', 'ref'],
  ['name', 'value'],
  ['keyName', 'value'],
  ['type', 'type'],
]);
// A table's column is its own identity in a cache key: a short token, not its fields.
useIdentityKey(TableColumn);

/** The columns argument of `new Table()`: column key to `Column(...)` definition. */
export type ColumnDefs = Record<string, ColumnDef<any, any>>;
/** Phantom (types only): the name of the table a column belongs to, for outer-join nullability. */
export interface FromTable<N extends string> {
  readonly __tableName: N;
}
/** The typed `table.c` of a Table made from `ColumnDefs`: each key a column of that key's value type, tagged with the table's name. */
export type TableColumns<D extends ColumnDefs, N extends string = string> = { [K in keyof D & string]: TableColumn<D[K]['__value'], K> & FromTable<N> };

/** Options of `new Table(name, metadata, columns, options)`: schema, comment and dialect options. */
export interface TableOptions {
  schema?: string;
  comment?: string;
  /** Dialect-specific options, such as `{ mysql: { engine: 'InnoDB' } }`. */
  dialectOptions?: Record<string, Record<string, unknown>>;
}

type TableArg = Constraint | Index | TableOptions;

/**
 * A database table: `new Table('users', metadata, { id: Column(Integer, { primaryKey: true }), ... })`.
 * Column keys are the TypeScript names; a column's SQL name defaults to its key.
 */
export class Table<N extends string = string, D extends ColumnDefs = ColumnDefs> extends FromClause<TableColumns<D, N>> {
  readonly name: N;
  readonly metadata: MetaData;
  readonly schema: string | undefined;
  readonly comment: string | undefined;
  readonly dialectOptions: Record<string, Record<string, unknown>>;
  readonly c: TableColumns<D, N>;
  readonly constraints: Constraint[] = [];
  readonly indexes: Index[] = [];
  /** Phantom: the column definitions, for INSERT typing. */
  declare readonly __defs: D;

  constructor(name: N, metadata: MetaData, columns: D, ...args: TableArg[]) {
    super();
    if (!name) throw new ArgumentError('Table() needs a name.');
    // Names are checked where they are declared (NUL here; the dialect's length limit when compiled).
    refuseNul(name, `The table name ${JSON.stringify(name)}`);
    this.name = name;
    this.metadata = metadata;
    const options = (args.find((a) => !(a instanceof Index) && !(a && typeof a === 'object' && 'constraintKind' in a)) ?? {}) as TableOptions;
    this.schema = options.schema ?? metadata.schema;
    if (this.schema !== undefined) refuseNul(this.schema, `The schema name ${JSON.stringify(this.schema)}`);
    this.comment = options.comment;
    this.dialectOptions = options.dialectOptions ?? {};
    const c: ColumnCollection = {};
    const names = new Set<string>();
    let position = 0;
    for (const [key, def] of Object.entries(columns)) {
      if (!def || typeof def !== 'object' || !('type' in def)) {
        throw new ArgumentError(`Table '${name}': '${key}' is not a column definition; write ${key}: Column(Integer, ...).`);
      }
      const col = new TableColumn(this, key, def, position++);
      if (names.has(col.name)) throw new ArgumentError(`Table '${name}' has two columns named '${col.name}'.`);
      names.add(col.name);
      // An own key even when it is `__proto__` (a reflected column's key is its name).
      Object.defineProperty(c, key, { value: col, enumerable: true, writable: true, configurable: true });
    }
    this.c = c as TableColumns<D, N>;
    for (const a of args) {
      if (a instanceof Index) this.addIndex(a);
      else if (a && typeof a === 'object' && 'constraintKind' in a) this.addConstraint(a as Constraint);
    }
    for (const col of this.columns) {
      if (col.options.unique) this.addConstraint(new UniqueConstraint([col]));
      if (col.options.index) this.addIndex(new Index(undefined, [col]));
    }
    metadata.addTable(this);
  }

  /** Reads one table from the database (autoload); `options.columns` override reflected columns by SQL name. */
  static reflect(name: string, metadata: MetaData, bind: Inspectable, options: TableReflectOptions = {}): Promise<Table<string, ColumnDefs>> {
    // Through the MetaData, which owns reflection: the table module stays free of it (no import cycle).
    return metadata.reflectTable(name, bind, options);
  }

  /**
   * All columns in order: one frozen array per table (rebuilt only by `appendColumn`), so
   * `select(table)` shares it and the cache key writes one token for it.
   */
  override get columns(): TableColumn<any, any>[] {
    return (this.columnList ??= identityList(Object.values(this.c) as TableColumn<any, any>[]) as TableColumn<any, any>[]);
  }
  private columnList: TableColumn<any, any>[] | undefined = undefined;

  override get baseTable(): FromClause {
    return this;
  }

  /** `schema.name` or `name`: the key in `metadata.tables`. */
  get fullname(): string {
    return this.schema ? `${this.schema}.${this.name}` : this.name;
  }

  /** The primary key columns, from `primaryKey: true` or a `PrimaryKeyConstraint`. */
  get primaryKey(): TableColumn<any, any>[] {
    const pk = this.constraints.find((c): c is PrimaryKeyConstraint => c instanceof PrimaryKeyConstraint);
    if (pk) return pk.columns;
    return this.columns.filter((c) => c.primaryKey);
  }

  /** The per-column `ForeignKey`s; composite ones (and reflected ones) are in `foreignKeyConstraints`. */
  get foreignKeys(): ForeignKey[] {
    const out: ForeignKey[] = [];
    for (const col of this.columns) out.push(...col.foreignKeys);
    return out;
  }

  /** Composite foreign key constraints, with the column pairs they link. */
  get foreignKeyConstraints(): ForeignKeyConstraint[] {
    return this.constraints.filter((c): c is ForeignKeyConstraint => c instanceof ForeignKeyConstraint);
  }

  override foreignKeyLinksTo(other: FromClause): ForeignKeyLink[] {
    const target = other.baseTable ?? other;
    const links: ForeignKeyLink[] = [];
    for (const fk of this.foreignKeys) {
      if (!fk.isResolvable) continue;
      const ref = fk.column;
      if (ref.table !== target) continue;
      const referred = other.correspondingColumn(ref);
      if (referred) links.push({ parent: fk.parent, referred, constraint: fk } as ForeignKeyLink);
    }
    for (const fkc of this.foreignKeyConstraints) {
      const cols = fkc.columns;
      fkc.targets.forEach((spec, i) => {
        const ref = this.metadata.resolveColumn(spec, this.schema);
        if (!ref || ref.table !== target) return;
        const referred = other.correspondingColumn(ref);
        if (referred) links.push({ parent: cols[i], referred, constraint: fkc } as ForeignKeyLink);
      });
    }
    return links;
  }

  addConstraint(constraint: Constraint): void {
    constraint.table = this;
    this.constraints.push(constraint);
  }

  addIndex(index: Index): void {
    index.table = this;
    this.indexes.push(index);
  }

  /** `SELECT` of all this table's columns. */
  select(): Select<RowOf<[this]>, SourcesOf<this>, [this]> {
    return select(this) as any;
  }
  /** `INSERT INTO` this table. */
  insert(): Insert<this> {
    return insert(this);
  }
  /** `UPDATE` this table. */
  update(): Update<this> {
    return update(this);
  }
  /** `DELETE FROM` this table. */
  delete(): Delete<this> {
    return delete_(this);
  }

  /** Adds a column after construction (reflection with overrides uses it). */
  appendColumn(key: string, def: ColumnDef<any, any>): TableColumn<any, any> {
    const col = new TableColumn(this, key, def, this.columns.length);
    (this.c as ColumnCollection)[key] = col;
    this.columnList = undefined;
    return col;
  }

  columnByName(name: string): TableColumn<any, any> | undefined {
    return this.columns.find((c) => c.name === name);
  }

  /** A copy of a column's type, for `CAST`s and reflection comparisons. */
  typeOf(key: keyof D & string): TypeEngine<any> {
    return this.c[key].type;
  }
}
defineElement(Table, 'table', [
  ['uid', 'value'],
  ['name', 'value'],
  ['schema', 'value'],
]);
useIdentityKey(Table);

export { CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint };
