/**
 * One INSERT per new object. The object ends up holding what the row holds: client-side
 * defaults are evaluated here and set on it; values the database makes (generated keys,
 * server defaults) come back through RETURNING where the database has INSERT ... RETURNING,
 * else the driver's insert id for the key and one SELECT by key for the rest; a column
 * left out with no default of any kind is NULL in the row, so null on the object.
 */
import { type Connection, and, insert, select } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { Mapper } from '../mapper';
import { stateOf } from '../state';

export async function emitInsert(conn: Connection, obj: object, inserted: Set<object>): Promise<void> {
  const { mapper } = stateOf(obj);
  const row = obj as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  let given = 0;
  const fetch: string[] = [];
  let unset: string[] | undefined;
  for (const col of mapper.defaults.insert) {
    let v = row[col.key];
    // null in a generated key means "not given" (SQLite would generate, PostgreSQL refuse).
    if (v === undefined || (v === null && col.primaryKey && col.fetch)) {
      if (col.clientDefault) {
        v = col.clientDefault.evaluate();
        if (isSqlExpression(v)) fetch.push(col.key);
        else row[col.key] = v;
      } else {
        if (col.fetch) fetch.push(col.key);
        else (unset ??= []).push(col.key);
        continue;
      }
    }
    values[col.key] = v;
    given++;
  }
  // No values at all: a bare insert(), which each dialect renders (DEFAULT VALUES, or `() VALUES ()` on MySQL).
  let stmt: any = given ? insert(mapper.table).values(values as any) : insert(mapper.table);
  const useReturning = fetch.length > 0 && conn.dialect.capabilities.dml.returning.insert;
  if (useReturning) stmt = stmt.returning(...fetch.map((k) => (mapper.table.c as any)[k]));
  const res = await conn.execute(stmt);
  if (useReturning) {
    const back = res.one() as Record<string, unknown>;
    for (const k of fetch) row[k] = back[k];
  } else if (fetch.length) {
    await fetchWithoutReturning(conn, mapper, row, fetch, res.insertedPrimaryKey);
  }
  if (unset) for (const k of unset) row[k] = null;
  inserted.add(obj);
}

/** Without RETURNING: the generated key from the driver, then the other fetched columns by one SELECT. */
async function fetchWithoutReturning(conn: Connection, mapper: Mapper, row: Record<string, unknown>, fetch: string[], insertedId: unknown): Promise<void> {
  const missingPk = mapper.pkKeys.filter((k) => fetch.includes(k));
  if (missingPk.length === 1 && insertedId !== undefined) {
    row[missingPk[0]] = typeof insertedId === 'bigint' && Number.isSafeInteger(Number(insertedId)) ? Number(insertedId) : insertedId;
  }
  const rest = fetch.filter((k) => !mapper.pkKeys.includes(k));
  if (rest.length === 0 || mapper.pkKeys.some((k) => row[k] === undefined || row[k] === null)) return;
  const c = mapper.table.c as Record<string, any>;
  const stmt = select(...rest.map((k) => c[k])).where(and(...mapper.pkKeys.map((k) => c[k].eq(row[k]))));
  const back = (await conn.execute(stmt as any)).one() as Record<string, unknown>;
  for (const k of rest) row[k] = back[k];
}
