import { Column, type ColumnDef, type ColumnDefs, type Constraint, ForeignKeyConstraint, type Index, Integer, MetaData, type NamingConvention, Table, type TableOptions } from '@athanor/core';

/**
 * Throw-away Tables for rendering DDL with Core's compiler: an op names tables and columns
 * by string, and Core's DDL visitors want Table objects. Tables that foreign keys refer to
 * are declared as stubs (only the referred columns; their types do not reach the SQL).
 */
export class Scratch {
  readonly metadata: MetaData;

  constructor(namingConvention?: NamingConvention, schema?: string) {
    this.metadata = new MetaData({ namingConvention, schema });
  }

  /** A Table with these columns and constraints; stubs for what its foreign keys name. */
  table(name: string, columns: ColumnDefs, args: readonly (Constraint | Index | TableOptions)[] = []): Table<any, any> {
    const targets: unknown[] = [];
    for (const def of Object.values(columns)) for (const fk of def.foreignKeys) targets.push(fk.target);
    for (const a of args) if (a instanceof ForeignKeyConstraint) targets.push(...a.targets);
    const wanted = new Map<string, { table: string; schema?: string; columns: Set<string> }>();
    for (const target of targets) {
      if (typeof target !== 'string') continue;
      const parts = target.split('.');
      const column = parts.pop()!;
      const table = parts.pop()!;
      const schema = parts.pop();
      if (table === name && !schema) continue;
      const key = schema ? `${schema}.${table}` : table;
      if (this.metadata.tables.has(key)) continue;
      const entry = wanted.get(key) ?? { table, schema, columns: new Set<string>() };
      entry.columns.add(column);
      wanted.set(key, entry);
    }
    for (const w of wanted.values()) this.stub(w.table, [...w.columns], w.schema ? [{ schema: w.schema }] : []);
    return new Table(name, this.metadata, columns, ...args);
  }

  /** A table holding only the named columns (typed Integer: the DDL below never renders their types). */
  stub(name: string, columns: readonly string[], args: readonly (Constraint | Index | TableOptions)[] = []): Table<any, any> {
    const defs: Record<string, ColumnDef<any, any>> = {};
    for (const c of columns) defs[c] = Column(Integer);
    return new Table(name, this.metadata, defs, ...args);
  }
}

/** Columns a set of index/constraint column names needs, for a stub table. */
export function namesOf(columns: readonly (string | unknown)[]): string[] {
  return columns.filter((c): c is string => typeof c === 'string');
}
