/**
 * The reflection round-trip checks every dialect shares, on the schema of `./schema`. What a
 * database keeps its own way (type spellings, constraint and index names, expression text,
 * foreign key targets) each dialect asserts in its own tests.
 */
import { type Connection, type Engine, type MetaData, func, insert, select } from '@athanor/core';
import { expect } from '../runner';
import { describeType } from '../describe-type';
import { reflectedRoundTripTables } from './schema';

/**
 * Every table of `source` came back in `reflected` with the same columns, in order: type (or the
 * name in `renamedTypes`, for a type the database keeps under another name), comment, nullability
 * (primary key columns aside: SQLite leaves a column nullable when only a PrimaryKeyConstraint
 * names it), whether it has a server default; and the same primary key.
 */
export function expectColumnsRoundTrip(source: MetaData, reflected: MetaData, renamedTypes: Record<string, string> = {}): void {
  for (const t of source.tables.values()) {
    const r = reflected.tables.get(t.fullname);
    if (!r) throw new Error(`'${t.fullname}' was not reflected`);
    expect(r.columns.map((c) => c.name)).toEqual(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const rc = r.columnByName(c.name)!;
      expect([c.name, describeType(rc.type)]).toEqual([c.name, renamedTypes[c.name] ?? describeType(c.type)]);
      expect([c.name, rc.comment]).toEqual([c.name, c.comment]);
      if (!t.primaryKey.includes(c)) expect([c.name, rc.nullable]).toEqual([c.name, c.nullable]);
      expect([c.name, rc.options.serverDefault !== undefined]).toEqual([c.name, c.options.serverDefault !== undefined]);
    }
    expect(r.primaryKey.map((c) => c.name)).toEqual(t.primaryKey.map((c) => c.name));
  }
}

export interface RowsRoundTripOptions {
  /** Values for the dialect's extra `all_types` columns; each must read back equal. */
  extraValues?: Record<string, unknown>;
  /** Runs on the connection that deletes the parent row (SQLite: `PRAGMA foreign_keys = ON`). */
  beforeCascade?(conn: Connection): Promise<unknown>;
}

/**
 * The reflected tables (in `reflected`) insert and select rows, odd names included, and the
 * reflected foreign key's ON DELETE CASCADE is enforced by the database.
 */
export async function expectRowsRoundTrip(engine: Engine, reflected: MetaData, options: RowsRoundTripOptions = {}): Promise<void> {
  const { parent, allTypes: all, odd } = reflectedRoundTripTables(reflected);
  const extra = options.extraValues ?? {};
  const c = all.c as Record<string, any>;
  await engine.begin(async (conn) => {
    await conn.execute(insert(parent).values({ a: 1, b: 'k' }));
    await conn.execute(
      insert(all).values({ s: 'Hello', bi: 2n ** 60n, num: '12.50', bo: true, d: '2024-02-29', j: { a: [1, 2] }, bin: new Uint8Array([1, 2, 3]), ...extra, pa: 1, pb: 'k' }),
    );
    await conn.execute(insert(odd).values({ 'Mixed Case': 5, select: 'x', 'naïve "q" col': 'ünï', 'with space': 9 }));
  });
  const columns = ['id', 's', 'i', 'bi', 'num', 'bo', 'j', 'bin', ...Object.keys(extra)].map((k) => c[k]);
  const rows = await engine.connect(async (conn) => (await conn.execute(select(...columns))).all());
  expect(rows).toEqual([{ id: 1, s: 'Hello', i: 7, bi: 2n ** 60n, num: '12.50', bo: true, j: { a: [1, 2] }, bin: new Uint8Array([1, 2, 3]), ...extra }]);
  const p = await engine.connect(async (conn) => (await conn.execute(select(parent))).all());
  expect(p).toEqual([{ a: 1, b: 'k', label: 'x' }]);
  const o = await engine.connect(async (conn) => (await conn.execute(select(odd).where((odd.c as any)['Mixed Case'].eq(5)))).all());
  expect(o).toEqual([{ 'Mixed Case': 5, select: 'x', 'naïve "q" col': 'ünï', 'with space': 9 }]);
  // ON DELETE CASCADE came back with the reflected foreign key and is enforced by the database.
  await engine.connect(async (conn) => {
    await options.beforeCascade?.(conn);
    await conn.execute(parent.delete().where(parent.c.a.eq(1)));
  });
  const left = await engine.connect(async (conn) => (await conn.execute(select(func.count()).selectFrom(all))).scalars().all());
  expect(left).toEqual([0]);
}
