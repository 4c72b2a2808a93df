import type { Table, TableColumn } from '../schema/table';
import type { Visitors } from './base-compiler';
import { DDLCompiler } from './ddl-compiler';

/** One parameter of a row of the batched keyed UPDATE (engine/update-many.ts): the column it sets or matches. */
export interface KeyedColumn {
  readonly column: TableColumn<any, any>;
  readonly role: 'set' | 'where';
}

/**
 * The full compiler: every element kind has a visit method (the `implements Visitors`
 * clause makes a missing one a type error). Dialect compilers extend this class and
 * override individual hooks and visitors.
 */
export class SQLCompiler extends DDLCompiler implements Visitors {
  /**
   * The batched keyed UPDATE of an executemany (engine/update-many.ts), `count` rows of
   * `columns` parameters each: `UPDATE t SET a = v.column1 ... FROM (VALUES (...), ...) AS v
   * WHERE t.k = v.columnN`, VALUES's own column names (SQLite's). Dialects whose VALUES need
   * column names or types of their own override it.
   */
  updateFromValuesSQL(table: Table<any, any>, columns: readonly KeyedColumn[], count: number): string {
    return this.renderUpdateFromValues(table, columns, count, { valueColumn: (i) => `column${i + 1}` });
  }

  /**
   * The statement, given what VALUES's columns are called (`valueColumn`), a row put before
   * the parameters' rows (`firstRow`: one that types the columns and matches no key), and the
   * derived table's column list (`columnList`), where the dialect needs them.
   */
  protected renderUpdateFromValues(
    table: Table<any, any>,
    columns: readonly KeyedColumn[],
    count: number,
    how: { valueColumn: (i: number) => string; firstRow?: string; columnList?: string },
  ): string {
    const target = this.quoteSchemaTable(table.schema, table.name);
    const v = 'athanor_values';
    const sets: string[] = [];
    const wheres: string[] = [];
    columns.forEach(({ column, role }, i) => {
      const ref = `${v}.${how.valueColumn(i)}`;
      if (role === 'set') sets.push(`${this.quote(column.name)} = ${ref}`);
      else wheres.push(`${target}.${this.quote(column.name)} = ${ref}`);
    });
    const tuples: string[] = how.firstRow === undefined ? [] : [how.firstRow];
    let position = 0;
    for (let r = 0; r < count; r++) {
      const marks: string[] = [];
      for (let i = 0; i < columns.length; i++, position++) marks.push(this.placeholder(position, `p${position}`));
      tuples.push(`(${marks.join(', ')})`);
    }
    const alias = how.columnList === undefined ? v : `${v} ${how.columnList}`;
    return `UPDATE ${target} SET ${sets.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS ${alias} WHERE ${wheres.join(' AND ')}`;
  }
}
