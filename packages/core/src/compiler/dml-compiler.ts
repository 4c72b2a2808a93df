/** INSERT, UPDATE, DELETE, MERGE, RETURNING. */
import { ArgumentError, UnsupportedCompilationError } from '../errors';
import type { TableColumn } from '../schema/table';
import { BindParameter, type ColumnElement } from '../sql/column-element';
import { ColumnDefault, type Delete, type DMLBase, type Insert, type Update } from '../sql/dml';
import type { Merge } from '../sql/merge';
import type { FromClause } from '../sql/selectable';
import type { CompileContext } from './base-compiler';
import { SelectCompiler } from './select-compiler';

const UNQUALIFIED: CompileContext = { unqualified: true };

export abstract class DMLCompiler extends SelectCompiler {
  visitInsert(el: Insert<any, any>, ctx: CompileContext): string {
    this.statementDepth++;
    try {
      const table = this.quoteSchemaTable(el.table.schema, el.table.name);
      this.beginDML(el, 'insert');
      const auto = el.table.columns.find((c) => c.isAutoincrement);
      this.autoincrementKey = auto?.key;
      let s = `INSERT INTO ${table}`;
      if (el.selectStatement) {
        s += ` (${el.selectColumns.map((c) => this.quote(c.name)).join(', ')}) ${this.process(el.selectStatement, ctx)}`;
      } else if (el.valueRows.length === 0) {
        const defaults = el.defaultColumns(new Set());
        if (defaults.length) {
          s += ` (${defaults.map((c) => this.quote(c.name)).join(', ')}) VALUES (${defaults.map((c) => this.defaultBind(c, ctx)).join(', ')})`;
        } else s += this.defaultValues();
      } else {
        const first = el.valueRows[0];
        const present = new Set(first.map(([c]) => c));
        const defaults = el.defaultColumns(present);
        const cols = [...first.map(([c]) => c), ...defaults];
        s += ` (${cols.map((c) => this.quote(c.name)).join(', ')}) VALUES `;
        s += el.valueRows
          .map((row) => `(${[...row.map(([c, v]) => this.dmlValue(c, v, ctx)), ...defaults.map((c) => this.defaultBind(c, ctx))].join(', ')})`)
          .join(', ');
      }
      if (el.postValuesClause) s += ` ${this.process(el.postValuesClause, ctx)}`;
      s += this.returning(el, 'insert', ctx);
      return s;
    } finally {
      this.statementDepth--;
    }
  }

  /** An INSERT with no values at all. MySQL overrides (`() VALUES ()`). */
  protected defaultValues(): string {
    return ' DEFAULT VALUES';
  }

  visitUpdate(el: Update<any, any>, ctx: CompileContext): string {
    this.statementDepth++;
    try {
      // Subqueries in SET/WHERE correlate to the target (and FROM) tables, as in a SELECT.
      this.enclosingFroms.push([el.table, ...el.extraFroms]);
      this.beginDML(el, 'update');
      const sets = [...el.setClauses.map(([c, v]) => `${this.quote(c.name)} = ${this.dmlValue(c, v, ctx)}`)];
      for (const c of el.onUpdateColumns()) sets.push(`${this.quote(c.name)} = ${this.defaultBind(c, ctx, 'onUpdate')}`);
      if (sets.length === 0) throw new UnsupportedCompilationError(`update(${el.table.name}) has no values; call .values({...}).`);
      return this.updateStatement(el, sets, ctx);
    } finally {
      this.enclosingFroms.pop();
      this.statementDepth--;
    }
  }

  /** `UPDATE t SET ... FROM x WHERE ...`; MySQL overrides with its multi-table form. */
  protected updateStatement(el: Update<any, any>, sets: string[], ctx: CompileContext): string {
    let s = `UPDATE ${this.quoteSchemaTable(el.table.schema, el.table.name)} SET ${sets.join(', ')}`;
    const extra = this.extraFroms(el, el.extraFroms);
    if (extra.length) {
      if (this.dialect.capabilities.dml.updateFrom !== 'from') this.unsupported('UPDATE ... FROM');
      s += ` FROM ${extra.map((f) => this.process(f, { ...ctx, asFrom: true })).join(', ')}`;
    }
    if (el.whereClause) s += ` WHERE ${this.process(el.whereClause, ctx)}`;
    return s + this.returning(el, 'update', ctx);
  }

  visitDelete(el: Delete<any, any>, ctx: CompileContext): string {
    this.statementDepth++;
    try {
      this.enclosingFroms.push([el.table, ...el.extraFroms]);
      this.beginDML(el, 'delete');
      return this.deleteStatement(el, ctx);
    } finally {
      this.enclosingFroms.pop();
      this.statementDepth--;
    }
  }

  /** `DELETE FROM t USING x WHERE ...`; MySQL overrides. */
  protected deleteStatement(el: Delete<any, any>, ctx: CompileContext): string {
    let s = `DELETE FROM ${this.quoteSchemaTable(el.table.schema, el.table.name)}`;
    const extra = this.extraFroms(el, el.extraFroms);
    if (extra.length) {
      if (this.dialect.capabilities.dml.deleteUsing !== 'using') this.unsupported('DELETE ... USING');
      s += ` USING ${extra.map((f) => this.process(f, { ...ctx, asFrom: true })).join(', ')}`;
    }
    if (el.whereClause) s += ` WHERE ${this.process(el.whereClause, ctx)}`;
    return s + this.returning(el, 'delete', ctx);
  }

  /** Extra FROM items: the explicit ones plus tables the WHERE refers to besides the target. */
  protected extraFroms(el: Update<any, any> | Delete<any, any>, explicit: readonly FromClause[]): FromClause[] {
    const out = [...explicit];
    if (el.whereClause) {
      for (const f of this.referencedFroms(el.whereClause)) if (f !== el.table && !out.includes(f)) out.push(f);
    }
    return out;
  }

  protected dmlValue(col: TableColumn<any, any>, value: ColumnElement<any, any>, ctx: CompileContext): string {
    if (value instanceof BindParameter && !value.isNamed) return this.bindMarker(value, ctx, col.key);
    return this.process(value, ctx);
  }

  protected defaultBind(col: TableColumn<any, any>, ctx: CompileContext, which: 'default' | 'onUpdate' = 'default'): string {
    const v = col.options[which];
    return this.bindMarker(new BindParameter(col.key, new ColumnDefault(v), col.type), ctx, col.key);
  }

  /** MERGE (SQL:2003). Dialects without it override with a refusal naming their upsert. */
  visitMerge(el: Merge<any>, ctx: CompileContext): string {
    if (el.source === undefined || el.onClause === undefined) throw new ArgumentError(`merge(${el.table.name}) needs .using(source, on).`);
    if (el.matchedSets.length === 0 && !el.matchedDelete && el.insertPairs.length === 0) {
      throw new ArgumentError(`merge(${el.table.name}) has no WHEN clause: add whenMatchedThenUpdate(), whenMatchedThenDelete() or whenNotMatchedThenInsert().`);
    }
    this.statementDepth++;
    try {
      this.beginDML(el, 'merge');
      let s = `MERGE INTO ${this.quoteSchemaTable(el.table.schema, el.table.name)} USING ${this.process(el.source, { ...ctx, asFrom: true })} ON ${this.process(el.onClause, ctx)}`;
      const and = (cond: ColumnElement<any, any> | undefined) => (cond ? ` AND ${this.process(cond, ctx)}` : '');
      if (el.matchedDelete) s += ` WHEN MATCHED${and(el.matchedCondition)} THEN DELETE`;
      else if (el.matchedSets.length) {
        const sets = el.matchedSets.map(([c, v]) => `${this.quote(c.name)} = ${this.dmlValue(c, v, ctx)}`);
        s += ` WHEN MATCHED${and(el.matchedCondition)} THEN UPDATE SET ${sets.join(', ')}`;
      }
      if (el.insertPairs.length) {
        const cols = el.insertPairs.map(([c]) => this.quote(c.name)).join(', ');
        const vals = el.insertPairs.map(([c, v]) => this.dmlValue(c, v, ctx)).join(', ');
        s += ` WHEN NOT MATCHED${and(el.notMatchedCondition)} THEN INSERT (${cols}) VALUES (${vals})`;
      }
      return s;
    } finally {
      this.statementDepth--;
    }
  }

  private beginDML(el: DMLBase<any>, _kind: string): void {
    if (this.statementDepth === 1) this.topResultColumns = el.resultColumns();
  }

  protected returning(el: DMLBase<any>, kind: 'insert' | 'update' | 'delete', ctx: CompileContext): string {
    if (!el.returningClause.length) return '';
    if (!this.dialect.capabilities.dml.returning[kind]) {
      const v = this.dialect.serverVersion.length ? ` ${this.dialect.serverVersion.join('.')}` : '';
      throw new UnsupportedCompilationError(
        `${kind.toUpperCase()} ... RETURNING is not supported by ${this.dialect.name}${v}; run a SELECT after the ${kind} instead${kind === 'insert' ? ' (result.insertedPrimaryKey gives the new id)' : ''}.`,
      );
    }
    return ` RETURNING ${el.returningClause.map((c) => this.returningColumn(c, ctx)).join(', ')}`;
  }

  protected returningColumn(c: ColumnElement<any, any>, ctx: CompileContext): string {
    const inner = (c as any).kind === 'label' ? (c as any).element : c;
    const rendered = this.process(inner, ctx);
    const natural = (inner as any).kind === 'column' ? (inner as any).name : undefined;
    return c.key !== undefined && c.key !== natural ? `${rendered} AS ${this.quote(c.key)}` : rendered;
  }

  protected unqualifiedColumn(c: TableColumn<any, any>): string {
    return this.process(c, UNQUALIFIED);
  }
}
