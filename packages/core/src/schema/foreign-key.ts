import { ArgumentError, SchemaError } from '../errors';
import type { ColumnClause } from '../sql/selectable';

/** What a foreign key does to referring rows when the referred row is deleted or its key updated (`ON DELETE` / `ON UPDATE`). */
export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

/** Options of `ForeignKey()` and `ForeignKeyConstraint`: `ON DELETE`/`ON UPDATE` actions, constraint name, deferrability, and `useAlter` for a cycle of foreign keys. */
export interface ForeignKeyOptions {
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  /** The constraint name (else the naming convention, else the database's). */
  name?: string;
  /** Emit the constraint as ALTER TABLE after both tables exist (for cycles). */
  useAlter?: boolean;
  deferrable?: boolean;
  initially?: 'DEFERRED' | 'IMMEDIATE';
}

/**
 * A reference to another table's column: `ForeignKey('users.id')`, `ForeignKey('schema.users.id')`
 * or `ForeignKey(users.c.id)`. A string target is resolved through the table's MetaData when
 * first needed, so tables may be declared in any order.
 */
export class ForeignKeyReference {
  readonly isForeignKey = true;
  readonly target: string | ColumnClause<any, any>;
  readonly options: ForeignKeyOptions;
  /** Set when the owning table is built. */
  parent!: ColumnClause<any, any>;
  private resolvedColumn: ColumnClause<any, any> | undefined;
  /** Resolves a 'table.column' string through the owning table's MetaData. */
  resolver: ((spec: string) => ColumnClause<any, any> | undefined) | undefined;

  constructor(target: string | ColumnClause<any, any>, options: ForeignKeyOptions = {}) {
    if (typeof target === 'string' && !target.includes('.')) {
      throw new ArgumentError(`ForeignKey('${target}'): give the target as 'table.column' (or 'schema.table.column'), or pass the column object.`);
    }
    this.target = target;
    this.options = options;
  }

  /** The referenced table name as written ('schema.table' or 'table'). */
  get targetTableName(): string {
    if (typeof this.target !== 'string') return qualified(this.target.table as any);
    return this.target.slice(0, this.target.lastIndexOf('.'));
  }

  get targetColumnName(): string {
    if (typeof this.target !== 'string') return this.target.name;
    return this.target.slice(this.target.lastIndexOf('.') + 1);
  }

  /** The referenced column; raises `SchemaError` naming the missing table or column. */
  get column(): ColumnClause<any, any> {
    if (this.resolvedColumn) return this.resolvedColumn;
    if (typeof this.target !== 'string') return (this.resolvedColumn = this.target);
    const col = this.resolver?.(this.target);
    if (!col) {
      const owner = this.parent ? `${(this.parent.table as any)?.name}.${this.parent.name}` : 'a column';
      throw new SchemaError(
        `ForeignKey on ${owner} refers to '${this.target}', which is not a table column in this MetaData. Define table '${this.targetTableName}' (with column '${this.targetColumnName}') in the same MetaData, or fix the name.`,
      );
    }
    return (this.resolvedColumn = col);
  }

  /** Whether the target can be resolved now (no error). */
  get isResolvable(): boolean {
    try {
      void this.column;
      return true;
    } catch {
      return false;
    }
  }
}

function qualified(table: { name: string; schema?: string }): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

/** `ForeignKey('users.id', { onDelete: 'CASCADE' })`: callable without `new`, as in the Column() call. */
export function ForeignKey(target: string | ColumnClause<any, any>, options: ForeignKeyOptions = {}): ForeignKeyReference {
  return new ForeignKeyReference(target, options);
}
export type ForeignKey = ForeignKeyReference;
