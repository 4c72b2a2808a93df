import { ArgumentError } from '../errors';
import { refuseNul } from '../util/refuse';
import { SCHEMA_BRAND, brandedInstanceOf } from '../util/brand';
import type { ColumnElement } from '../sql/column-element';
import type { ForeignKeyOptions } from './foreign-key';
import type { Table, TableColumn } from './table';

/** A column named by its key (`table.c[key]`) or, failing that, its SQL name; `owner` names the constraint or index in the error. */
function columnByKeyOrName(table: Table<any, any>, ref: string, owner: string): TableColumn<any, any> {
  const col = (table.c as Record<string, TableColumn<any, any>>)[ref] ?? table.columnByName(ref);
  if (!col) throw new ArgumentError(`${owner} names column '${ref}', which the table does not have.`);
  return col;
}

/** Columns named by key (as in `table.c`) or given as column objects. */
export type ColumnRef = string | TableColumn<any, any>;

/** The base of table constraints (primary key, unique, check, foreign key): an optional name and the table it belongs to. */
export abstract class Constraint {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, SCHEMA_BRAND);
  }
  abstract readonly constraintKind: 'primaryKey' | 'unique' | 'check' | 'foreignKey';
  name: string | undefined;
  table!: Table<any, any>;
  constructor(name?: string) {
    if (name !== undefined) refuseNul(name, `The constraint name ${JSON.stringify(name)}`);
    this.name = name;
  }
  protected resolveColumns(refs: readonly ColumnRef[]): TableColumn<any, any>[] {
    return refs.map((r) => (typeof r === 'string' ? columnByKeyOrName(this.table, r, `${this.constructor.name} on table '${this.table.name}'`) : r));
  }
}

/** `PRIMARY KEY (a, b)`: for composite keys; a single key can use `primaryKey: true`. */
export class PrimaryKeyConstraint extends Constraint {
  readonly constraintKind = 'primaryKey' as const;
  constructor(
    readonly columnRefs: readonly ColumnRef[],
    options: { name?: string } = {},
  ) {
    super(options.name);
  }
  get columns(): TableColumn<any, any>[] {
    return this.resolveColumns(this.columnRefs);
  }
}

/** `UNIQUE (a, b)` on a table: no two rows share the values of these columns. */
export class UniqueConstraint extends Constraint {
  readonly constraintKind = 'unique' as const;
  constructor(
    readonly columnRefs: readonly ColumnRef[],
    options: { name?: string } = {},
  ) {
    super(options.name);
  }
  get columns(): TableColumn<any, any>[] {
    return this.resolveColumns(this.columnRefs);
  }
}

/** `CHECK (condition)`: SQL text, or an expression over the table's columns. */
export class CheckConstraint extends Constraint {
  readonly constraintKind = 'check' as const;
  constructor(
    readonly condition: string | ColumnElement<boolean, any>,
    options: { name?: string } = {},
  ) {
    super(options.name);
  }
}

/** A composite foreign key: `ForeignKeyConstraint(['a', 'b'], ['other.x', 'other.y'])`. */
export class ForeignKeyConstraint extends Constraint {
  readonly constraintKind = 'foreignKey' as const;
  constructor(
    readonly columnRefs: readonly ColumnRef[],
    readonly targets: readonly string[],
    readonly options: ForeignKeyOptions = {},
  ) {
    super(options.name);
    if (columnRefs.length !== targets.length) {
      throw new ArgumentError(`ForeignKeyConstraint: ${columnRefs.length} columns but ${targets.length} targets; give one target per column.`);
    }
  }
  get columns(): TableColumn<any, any>[] {
    return this.resolveColumns(this.columnRefs);
  }
}

/** `CREATE [UNIQUE] INDEX name ON table (cols or expressions)`. */
export class Index {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, SCHEMA_BRAND);
  }
  table!: Table<any, any>;
  readonly name: string | undefined;
  readonly expressions: readonly (ColumnRef | ColumnElement<any, any>)[];
  readonly unique: boolean;
  constructor(name: string | undefined, expressions: readonly (ColumnRef | ColumnElement<any, any>)[], options: { unique?: boolean } = {}) {
    if (expressions.length === 0) throw new ArgumentError(`Index '${name}' needs at least one column or expression.`);
    if (name !== undefined) refuseNul(name, `The index name ${JSON.stringify(name)}`);
    this.name = name;
    this.expressions = expressions;
    this.unique = options.unique ?? false;
  }
  /** The index's elements: columns resolved from keys, expressions as given. */
  get elements(): ColumnElement<any, any>[] {
    return this.expressions.map((e) => (typeof e === 'string' ? columnByKeyOrName(this.table, e, `Index '${this.name}' on '${this.table.name}'`) : e));
  }
}

Object.defineProperty(Constraint.prototype, SCHEMA_BRAND, { value: true });
Object.defineProperty(Index.prototype, SCHEMA_BRAND, { value: true });
