/**
 * The schema as the database reports it (Core's reflection), normalised for comparison, and
 * the rows of chosen tables: what "identical by reflection" and "rows kept" compare.
 */
import { type Engine, createEngine, inspect } from '@athanor/core';

export async function schemaSnapshot(url: string, skip: readonly string[] = ['athanor_version']): Promise<Record<string, unknown>> {
  const engine = createEngine(url);
  try {
    return await engine.connect(async (conn) => {
      const insp = inspect(conn);
      const out: Record<string, unknown> = {};
      const compiler = conn.dialect.createCompiler();
      for (const t of (await insp.getTableNames()).filter((n) => !skip.includes(n)).sort()) {
        const fks = await insp.getForeignKeys(t);
        out[t] = {
          columns: (await insp.getColumns(t)).map((c) => ({ name: c.name, type: compiler.typeName(c.type), nullable: c.nullable, default: c.serverDefault ?? null, comment: c.comment ?? null })),
          pk: (await insp.getPkConstraint(t)).columns,
          fks: fks.map((f) => ({ name: f.name ?? null, columns: f.columns, to: `${f.referredTable}(${f.referredColumns.join(',')})`, onDelete: f.onDelete ?? null })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
          indexes: (await insp.getIndexes(t))
            // MariaDB keeps an index per foreign key under the key's name: it follows the key.
            .filter((i) => !i.name.startsWith('sqlite_autoindex_') && !fks.some((f) => f.name === i.name))
            .map((i) => ({ name: i.name, unique: i.unique, columns: i.columns }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          uniques: (await insp.getUniqueConstraints(t)).map((u) => ({ name: u.name ?? null, columns: u.columns })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
          checks: (await insp.getCheckConstraints(t)).map((c) => ({ name: c.name ?? null, sql: c.sqltext.replace(/[\s`"()]/g, '') })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
        };
      }
      return out;
    });
  } finally {
    await engine.dispose();
  }
}

/** Every row of each table that exists, ordered by its first column. */
export async function rowsOf(url: string, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const engine: Engine = createEngine(url);
  try {
    return await engine.connect(async (conn) => {
      const present = await inspect(conn).getTableNames();
      const out: Record<string, unknown[]> = {};
      const q = (n: string) => conn.dialect.createCompiler().quote(n);
      for (const t of tables) {
        if (!present.includes(t)) continue;
        const { rows } = await conn.execDriverSQL(`SELECT * FROM ${q(t)} ORDER BY 1`);
        // Array.from: arrays of this realm (the driver's are not, under jest), for node:assert's strict deepEqual.
        out[t] = Array.from(rows, (r) => Array.from(r, (v) => (typeof v === 'bigint' ? Number(v) : v)));
      }
      return out;
    });
  } finally {
    await engine.dispose();
  }
}

/** Runs one statement on the database at `url` (test data, a row the next step must see). */
export async function runSQL(url: string, statement: string): Promise<void> {
  const engine = createEngine(url);
  try {
    await engine.connect((c) => c.execDriverSQL(statement));
  } finally {
    await engine.dispose();
  }
}

/** Reads something through the inspector of the database at `url`. */
export async function inspectAt<T>(url: string, read: (insp: ReturnType<typeof inspect>) => Promise<T>): Promise<T> {
  const engine = createEngine(url);
  try {
    return await engine.connect((c) => read(inspect(c)));
  } finally {
    await engine.dispose();
  }
}
