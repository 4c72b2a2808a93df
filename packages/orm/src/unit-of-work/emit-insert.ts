/**
 * INSERTs, batched like SQLAlchemy's insertmanyvalues: the new rows of one mapper and one
 * level that give the same columns go in multi-row `INSERT … VALUES (…), (…)` statements
 * within the database's parameter limit. What the database makes (generated keys, server
 * defaults) comes back through RETURNING and is matched to objects by the key the object
 * gave, or, for a generated integer key, by order: the database numbers one statement's
 * rows in VALUES order with increasing values (SQLite rowids, PostgreSQL sequences, MySQL
 * and MariaDB auto-increment under every lock mode), so the returned keys sorted ascending
 * belong to the rows in order. Without RETURNING (MySQL), a generated key is read from the
 * first id of a multi-row INSERT only when the server guarantees consecutive ids (lock mode
 * 0 or 1 and its increment); otherwise one INSERT per row.
 */
import { type Connection, type Engine, and, insert, select } from '@athanor/core';
import { isSqlExpression } from '../column-defaults';
import type { TablePart } from '../table-part';
import type { InstanceState } from '../state/instance-state';

const MAX_ROWS = 1000;

interface Prepared {
  st: InstanceState;
  /** Column key → value given in the INSERT. */
  row: Record<string, unknown>;
  /** Columns the database makes, read back. */
  fetch: string[];
  /** A SQL expression default: this row goes alone. */
  single: boolean;
  /** One bit per given column (and fetched columns above them), or -1 for wide tables. */
  given: number;
}

const NOTHING: string[] = [];

export async function emitInserts(conn: Connection, mapper: TablePart, states: readonly InstanceState[]): Promise<void> {
  const groups = new Map<string | number, Prepared[]>();
  for (const st of states) {
    const p = prepare(mapper, st);
    if (p.single) {
      await insertRows(conn, mapper, [p]);
      continue;
    }
    // Rows giving the same columns (a bit per column, for tables of up to 30 columns) share a statement.
    const sig = p.given >= 0 ? p.given : `${Object.keys(p.row).join(',')}|${p.fetch.join(',')}`;
    const g = groups.get(sig);
    if (g) g.push(p);
    else groups.set(sig, [p]);
  }
  const maxParams = conn.dialect.capabilities.dml.maxParams;
  for (const group of groups.values()) {
    if (group[0].fetch.length === 0 && Object.keys(group[0].row).length > 0) {
      // Nothing to read back: Core's executemany batches the rows into multi-row VALUES
      // within the parameter limit, one statement compiled per batch size.
      await conn.execute(insert(mapper.table), group.map((p) => p.row));
      continue;
    }
    const width = Math.max(1, Object.keys(group[0].row).length);
    const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(maxParams / width)));
    const batchable = group[0].fetch.length === 0 || (await canMatchBatch(conn, mapper, group[0]));
    for (let i = 0; i < group.length; i += batchable ? size : 1) await insertRows(conn, mapper, group.slice(i, i + (batchable ? size : 1)));
  }
}

/** The values a new row gives: its own, client-side defaults (set on the object), and what to read back. */
function prepare(mapper: TablePart, st: InstanceState): Prepared {
  const row: Record<string, unknown> = {};
  let fetch = NOTHING;
  let single = false;
  const v = st.values;
  // A joined subclass's table: its slots start after its parents' (and its key is theirs).
  const off = mapper.offset;
  if (mapper.inheritedKey.length > 0) for (const [to, from] of mapper.inheritedKey) v[to] = v[from];
  const insertColumns = mapper.defaults.insert;
  const narrow = insertColumns.length <= 15;
  let given = 0;
  if (mapper.versionIndex >= 0 && v[mapper.versionIndex] === undefined) v[mapper.versionIndex] = mapper.versionGenerator(undefined);
  for (let i = 0; i < insertColumns.length; i++) {
    const col = insertColumns[i];
    let value = v[off + i];
    // null in a generated key means "not given" (SQLite would generate, PostgreSQL refuse).
    if (value === undefined || (value === null && col.primaryKey && col.fetch)) {
      if (col.clientDefault) {
        value = col.clientDefault.evaluate();
        if (isSqlExpression(value)) {
          fetch = fetch === NOTHING ? [col.key] : [...fetch, col.key];
          single = true;
        } else v[off + i] = value;
      } else {
        if (col.fetch) {
          fetch = fetch === NOTHING ? [col.key] : [...fetch, col.key];
          if (narrow) given |= 1 << (i + 15);
        } else v[off + i] = null; // no default of any kind: NULL in the row
        continue;
      }
    }
    row[col.key] = value;
    if (narrow) given |= 1 << i;
  }
  return { st, row, fetch, single, given: narrow ? given : -1 };
}

/** Whether rows whose database-made values come back can be told apart in one statement. */
async function canMatchBatch(conn: Connection, mapper: TablePart, p: Prepared): Promise<boolean> {
  const pkGiven = mapper.pkKeys.every((k) => k in p.row);
  const returning = conn.dialect.capabilities.dml.returning.insert;
  if (pkGiven) return returning || p.fetch.length === 0;
  // A generated key: one integer key column numbered in VALUES order.
  if (mapper.pkKeys.length !== 1 || !isIntegerColumn(mapper)) return false;
  if (returning) return true;
  return (await consecutiveIds(conn)) !== undefined;
}

function isIntegerColumn(mapper: TablePart): boolean {
  const t = (mapper.table.c as Record<string, any>)[mapper.pkKeys[0]].type;
  return ['Integer', 'SmallInteger', 'BigInteger'].includes(t.typeName ?? t.impl?.typeName);
}

async function insertRows(conn: Connection, mapper: TablePart, batch: Prepared[]): Promise<void> {
  const c = mapper.table.c as Record<string, any>;
  const first = batch[0];
  const rows = batch.map((p) => p.row);
  const given = Object.keys(first.row).length > 0;
  let stmt: any = given ? insert(mapper.table).values((batch.length === 1 ? rows[0] : rows) as any) : insert(mapper.table);
  if (!given && batch.length > 1) {
    for (const p of batch) await insertRows(conn, mapper, [p]);
    return;
  }
  const fetch = first.fetch;
  const returning = fetch.length > 0 && conn.dialect.capabilities.dml.returning.insert;
  const pkGiven = mapper.pkKeys.every((k) => k in first.row);
  if (returning) stmt = stmt.returning(...new Set([...mapper.pkKeys, ...fetch].map((k) => c[k])));
  const res = await conn.execute(stmt);
  if (returning) {
    const back = res.all() as Record<string, unknown>[];
    if (back.length !== batch.length) throw new Error(`INSERT into ${mapper.table.name} returned ${back.length} rows for ${batch.length}.`);
    if (pkGiven) {
      const byKey = new Map(back.map((r) => [keyOf(mapper, r), r]));
      for (const p of batch) assign(mapper, p, byKey.get(keyOf(mapper, p.row))!, fetch);
    } else {
      const pk = mapper.pkKeys[0];
      if (batch.length > 1) back.sort((a, b) => (a[pk]! < b[pk]! ? -1 : a[pk]! > b[pk]! ? 1 : 0));
      for (let n = 0; n < batch.length; n++) assign(mapper, batch[n], back[n], fetch);
    }
    return;
  }
  if (fetch.length === 0) return;
  const missingPk = mapper.pkKeys.filter((k) => fetch.includes(k));
  if (missingPk.length === 1) {
    const firstId = res.insertedPrimaryKey as unknown;
    const step = batch.length > 1 ? (await consecutiveIds(conn))! : 1;
    batch.forEach((p, n) => {
      const id = typeof firstId === 'bigint' ? firstId + BigInt(n * step) : Number(firstId) + n * step;
      p.st.values[mapper.columnIndex.get(missingPk[0])!] = typeof id === 'bigint' && Number.isSafeInteger(Number(id)) ? Number(id) : id;
    });
  }
  const rest = fetch.filter((k) => !mapper.pkKeys.includes(k));
  if (rest.length === 0) return;
  for (const p of batch) {
    const where = and(...mapper.pkKeys.map((k) => c[k].eq(p.st.values[mapper.columnIndex.get(k)!])));
    const back = (await conn.execute(select(...rest.map((k) => c[k])).where(where) as any)).one() as Record<string, unknown>;
    for (const k of rest) p.st.values[mapper.columnIndex.get(k)!] = back[k];
  }
}

function keyOf(mapper: TablePart, row: Record<string, unknown>): string {
  return mapper.pkKeys.map((k) => String(row[k])).join('\u0000');
}

function assign(mapper: TablePart, p: Prepared, back: Record<string, unknown>, fetch: readonly string[]): void {
  for (const k of fetch) p.st.values[mapper.columnIndex.get(k)!] = back[k];
}

/** MySQL without RETURNING: the id step of one multi-row INSERT, when the server numbers it consecutively. */
const idSteps = new WeakMap<Engine, Promise<number | undefined>>();

function consecutiveIds(conn: Connection): Promise<number | undefined> {
  if (conn.dialect.name !== 'mysql') return Promise.resolve(undefined);
  const engine = conn.engine;
  let p = idSteps.get(engine);
  if (!p) {
    p = conn
      .execDriverSQL('SELECT @@auto_increment_increment, @@innodb_autoinc_lock_mode')
      .then(({ rows }) => {
        const [inc, mode] = rows[0] as unknown[];
        return Number(mode) === 2 ? undefined : Number(inc);
      })
      .catch(() => undefined);
    idSteps.set(engine, p);
  }
  return p;
}
