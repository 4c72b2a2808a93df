/**
 * ORM bulk statements through `session.execute` (SQLAlchemy's ORM-enabled INSERT, UPDATE
 * and DELETE): no objects are made, and the identity map is kept right.
 *   session.execute(insert(User), [{...}, {...}])        rows inserted, objects untouched
 *   session.execute(update(User), [{ id, ...changes }])   UPDATE by primary key, one executemany
 *   session.execute(update(User).where(...).values(...), undefined, { synchronizeSession })
 *   session.execute(delete_(User).where(...), undefined, { synchronizeSession })
 * synchronizeSession: 'evaluate' (the WHERE is evaluated on the loaded objects; raises if it
 * cannot be), 'fetch' (the matched keys are selected first), 'auto' (evaluate, else fetch;
 * the default), false (the session is not told: its objects may be stale).
 */
import { type ClauseElement, type Connection, type ExecuteParams, InvalidRequestError, Result, type Table, and, bindparam, select, update } from '@athanor/core';
import type { Mapper } from '../mapper';
import type { InstanceState } from '../state/instance-state';
import { Unevaluable, matches } from './evaluate';
import type { SessionObjects } from './lifecycle';
import type { SessionTransaction } from './transaction';

export type SynchronizeSession = 'auto' | 'evaluate' | 'fetch' | false;

interface Dml {
  kind: 'insert' | 'update' | 'delete';
  table: Table<any, any>;
  whereClause?: unknown;
  setClauses?: readonly (readonly [any, any])[];
  returningClause?: readonly unknown[];
}

export function isDml(statement: unknown): statement is Dml {
  const k = (statement as Dml)?.kind;
  return k === 'insert' || k === 'update' || k === 'delete';
}

/** Runs an INSERT/UPDATE/DELETE in the session and brings the identity map up to date. */
export async function executeBulk(
  objects: SessionObjects,
  tx: SessionTransaction,
  conn: Connection,
  statement: Dml,
  params: ExecuteParams | readonly ExecuteParams[] | undefined,
  sync: SynchronizeSession,
): Promise<Result<any>> {
  const mappers = mappersOf(objects, statement.table);
  if (statement.kind === 'insert') return conn.execute(statement as unknown as ClauseElement, params as ExecuteParams);
  if (Array.isArray(params)) {
    if (statement.kind === 'update' && statement.whereClause === undefined && (statement.setClauses?.length ?? 0) === 0) {
      return updateByPrimaryKey(objects, conn, statement.table, params, mappers);
    }
    return conn.execute(statement as unknown as ClauseElement, params);
  }
  if (sync === false || mappers.length === 0) return conn.execute(statement as unknown as ClauseElement, params as ExecuteParams | undefined);
  const states = mappers.flatMap((m) => [...objects.identityMap.statesInScope()].filter((s) => s.mapper === m));
  let matched: InstanceState[] | undefined;
  if (sync === 'evaluate' || sync === 'auto') {
    try {
      matched = statement.whereClause === undefined ? states : states.filter((st) => matches(statement.whereClause, st));
    } catch (e) {
      if (!(e instanceof Unevaluable)) throw e;
      if (sync === 'evaluate') {
        throw new InvalidRequestError(
          `synchronizeSession 'evaluate': the WHERE clause of this ${statement.kind.toUpperCase()} cannot be evaluated on the loaded objects (it uses a function, a subquery, text or decimal values, or an attribute that is not loaded); use synchronizeSession: 'fetch'.`,
        );
      }
    }
  }
  if (matched === undefined) matched = await fetchMatched(conn, objects, statement, params as ExecuteParams | undefined);
  const res = await conn.execute(statement as unknown as ClauseElement, params as ExecuteParams | undefined);
  if (statement.kind === 'delete') {
    for (const st of matched) {
      objects.identityMap.remove(st);
      st.deleted = true;
      st.markedForDelete = false;
      objects.toDelete.delete(st);
      objects.modified.delete(st);
      tx.deleted.add(st);
    }
  } else applySet(matched, statement);
  return res;
}

function mappersOf(objects: SessionObjects, table: Table<any, any>): Mapper[] {
  const out = new Set<Mapper>();
  for (const st of objects.identityMap.statesInScope()) if (st.mapper.table === table) out.add(st.mapper);
  return [...out];
}

/** 'fetch': the keys the statement will match, read first in the same transaction. */
async function fetchMatched(conn: Connection, objects: SessionObjects, statement: Dml, params: ExecuteParams | undefined): Promise<InstanceState[]> {
  const table = statement.table;
  const pk = table.primaryKey;
  let q: any = select(...pk);
  if (statement.whereClause !== undefined) q = q.where(statement.whereClause);
  const rows = (await conn.execute(q as ClauseElement, params)).all() as Record<string, unknown>[];
  // One set of the matched keys, not a scan of the rows per loaded object.
  const matched = new Set(rows.map((r) => pk.map((c) => String(r[c.key])).join('\u0000')));
  const out: InstanceState[] = [];
  for (const st of objects.identityMap.statesInScope()) {
    if (st.mapper.table !== table) continue;
    if (matched.has(pk.map((c) => String(st.values[st.mapper.columnIndex.get(c.key)!])).join('\u0000'))) out.push(st);
  }
  return out;
}

/** The loaded objects take the values the UPDATE wrote; a value computed by SQL is expired instead. */
function applySet(matched: readonly InstanceState[], statement: Dml): void {
  const onUpdate = statement.table.columns.filter((c) => c.options.onUpdate !== undefined && !statement.setClauses!.some(([s]) => s === c));
  for (const st of matched) {
    for (const [col, expr] of statement.setClauses ?? []) {
      const i = st.mapper.columnIndex.get(col.key);
      if (i === undefined) continue;
      const literal = expr?.kind === 'bindParam' && !expr.isNamed && !expr.expanding;
      st.values[i] = literal ? expr.value : undefined;
      if (!literal) st.expired = true;
      if (st.committed) delete st.committed[col.key];
      st.mutableSnapshots?.delete(i);
    }
    for (const col of onUpdate) {
      const i = st.mapper.columnIndex.get(col.key);
      if (i !== undefined) {
        st.values[i] = undefined;
        st.expired = true;
      }
    }
  }
}

/** `update(User)` with a list of rows, each naming its primary key: one executemany per set of columns. */
async function updateByPrimaryKey(objects: SessionObjects, conn: Connection, table: Table<any, any>, rows: readonly ExecuteParams[], mappers: Mapper[]): Promise<Result<any>> {
  const pk = table.primaryKey.map((c) => c.key as string);
  const groups = new Map<string, ExecuteParams[]>();
  for (const row of rows) {
    for (const k of pk) {
      if (row[k] === undefined || row[k] === null) {
        throw new InvalidRequestError(`Bulk UPDATE of '${table.name}' by primary key: a row has no value for '${k}'; every row names its primary key (${pk.join(', ')}).`);
      }
    }
    const cols = Object.keys(row).filter((k) => !pk.includes(k)).sort();
    const sig = cols.join(',');
    const g = groups.get(sig);
    if (g) g.push(row);
    else groups.set(sig, [row]);
  }
  const c = table.c as Record<string, any>;
  let total = 0;
  for (const [sig, group] of groups) {
    const cols = sig ? sig.split(',') : [];
    if (cols.length === 0) continue;
    for (const k of cols) if (!(k in c)) throw new InvalidRequestError(`Bulk UPDATE of '${table.name}': '${k}' is not a column (columns: ${Object.keys(c).join(', ')}).`);
    const stmt = update(table)
      .where(and(...pk.map((k, n) => c[k].eq(bindparam(`athanor_pk${n}`)))))
      .values(Object.fromEntries(cols.map((k) => [k, bindparam(`athanor_set_${k}`)])) as any);
    const params = group.map((r) => ({
      ...Object.fromEntries(pk.map((k, n) => [`athanor_pk${n}`, r[k]])),
      ...Object.fromEntries(cols.map((k) => [`athanor_set_${k}`, r[k]])),
    }));
    total += (await conn.execute(stmt as ClauseElement, params)).rowcount;
    // Loaded objects of those rows take the new values.
    for (const m of mappers) {
      for (const r of group) {
        const st = objects.identityMap.get(m, m.identityKeyOfPk(pk.map((k) => r[k])));
        if (!st) continue;
        for (const k of cols) {
          const i = m.columnIndex.get(k)!;
          st.values[i] = r[k];
          if (st.committed) delete st.committed[k];
        }
      }
    }
  }
  return new Result<any>([], [], total);
}
