import { ArgumentError } from '../errors';
import { SCHEMA_BRAND, brandedInstanceOf } from '../util/brand';
import type { ColumnElement } from '../sql/column-element';
import type { ForeignKeyOptions } from './foreign-key';
import type { Table, TableColumn } from './table';

/** Columns named by key (as in `table.c`) or given as column objects. */
export type ColumnRef = string | TableColumn<any, any>;

export abstract class Constraint {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, SCHEMA_BRAND);
  }
  abstract readonly constraintKind: 'primaryKey' | 'unique' | 'check' | 'foreignKey';
  name: string | undefined;
  table!: Table<any, any>;
  constructor(name?: string) {
    this.name = name;
  }
  protected resolveColumns(refs: readonly ColumnRef[]): TableColumn<any, any>[] {
    return refs.map((r) => {
      if (typeof r !== 'string') return r;
      const col = (this.table.c as any)[r] ?? this.table.columns.find((c) => c.name === r);
      if (!col) throw new ArgumentError(`${this.constructor.name} on table '${this.table.name}' names column '${r}', which the table does not have.`);
      return col;
    });
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
    this.name = name;
    this.expressions = expressions;
    this.unique = options.unique ?? false;
  }
  /** The index's elements: columns resolved from keys, expressions as given. */
  get elements(): ColumnElement<any, any>[] {
    return this.expressions.map((e) => {
      if (typeof e !== 'string') return e;
      const col = (this.table.c as any)[e] ?? this.table.columns.find((c) => c.name === e);
      if (!col) throw new ArgumentError(`Index '${this.name}' on '${this.table.name}' names column '${e}', which the table does not have.`);
      return col;
    });
  }
}

Object.defineProperty(Constraint.prototype, SCHEMA_BRAND, { value: true });
Object.defineProperty(Index.prototype, SCHEMA_BRAND, { value: true });
