import { AddConstraint, CreateIndex, CreateSequence, CreateTable, DropSequence, DropTable } from '../sql/ddl';
import type { MetaData } from '../schema/metadata';
import type { Table } from '../schema/table';
import type { Connection } from './connection';

/**
 * `metadata.createAll` / `dropAll` on one connection: foreign keys validated first (a
 * `SchemaError` names the missing table before anything is created), the sequences the
 * tables' columns use before them (dropped after them), tables in dependency order,
 * indexes after their table, `useAlter` foreign keys once all tables exist. Runs in a
 * transaction; databases with non-transactional DDL (MySQL) commit each statement.
 * `checkFirst` skips existing tables and writes `IF [NOT] EXISTS` for sequences.
 */
export async function runSchemaOperation(
  conn: Connection,
  op: 'createAll' | 'dropAll',
  metadata: MetaData,
  options: { checkFirst?: boolean; tables?: Table<any, any>[] },
): Promise<void> {
  const tables = options.tables ? metadata.sortTables(options.tables) : metadata.sortedTables;
  if (op === 'createAll') metadata.validateForeignKeys(tables);
  const plugin = conn.engine.plugin;
  const exists = async (t: Table<any, any>) => {
    // The name is checked as the compiler would (NUL, length) before the catalog sees it.
    conn.dialect.createCompiler().quoteSchemaTable(t.schema, t.name);
    try {
      return await plugin.hasTable(conn.driverConnection, conn.dialect, t.name, t.schema);
    } catch (e) {
      throw conn.dialect.translateError(e, { sql: `(existence check of table '${t.name}')`, params: [t.schema, t.name] });
    }
  };
  const sequences = metadata.sequencesOf(tables);
  const checkSequences = options.checkFirst ?? false;
  const work = async () => {
    if (op === 'createAll') {
      for (const seq of sequences) await conn.execute(new CreateSequence(seq, checkSequences));
      const created: Table<any, any>[] = [];
      for (const t of tables) {
        if (options.checkFirst && (await exists(t))) continue;
        await conn.execute(new CreateTable(t));
        for (const idx of t.indexes) await conn.execute(new CreateIndex(idx));
        created.push(t);
      }
      // Where constraints cannot be altered (SQLite), CREATE TABLE already wrote them inline.
      for (const t of conn.dialect.capabilities.ddl.alterConstraint ? created : []) {
        for (const col of t.columns) {
          for (const fk of col.foreignKeys) {
            if (fk.options.useAlter) await conn.execDriverSQL(alterForeignKey(conn, fk));
          }
        }
      }
    } else {
      for (const t of [...tables].reverse()) {
        if (options.checkFirst && !(await exists(t))) continue;
        await conn.execute(new DropTable(t));
      }
      for (const seq of sequences) await conn.execute(new DropSequence(seq, checkSequences));
    }
  };
  if (conn.inTransaction) return work();
  await conn.begin(work);
}

function alterForeignKey(conn: Connection, fk: any): string {
  const compiler = conn.dialect.createCompiler();
  const t = fk.parent.table;
  return `ALTER TABLE ${compiler.quoteSchemaTable(t.schema, t.name)} ADD ${compiler.foreignKeySpecification(fk)}`;
}

export { AddConstraint };
