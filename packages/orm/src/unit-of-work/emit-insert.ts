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

/** New rows that give the same columns and read back the same ones: they share statements. */
interface Group {
  states: InstanceState[];
  /** Column key → value given in the INSERT, one per state. */
  rows: Record<string, unknown>[];
  /** Columns the database makes, read back. */
  fetch: string[];
}

/** What `prepare` found besides the row (one object reused: no allocation per row). */
const found = {
  fetch: [] as string[],
  /** A SQL expression default: this row goes alone. */
  single: false,
  /** One bit per given column (and fetched columns above them), or -1 for wide tables. */
  given: 0,
};

const NOTHING: string[] = [];

export async function emitInserts(conn: Connection, mapper: TablePart, states: readonly InstanceState[]): Promise<void> {
  const groups = new Map<string | number, Group>();
  // Rows of one flush nearly always give the same columns: the last group is tried first.
  let lastSig: string | number | undefined;
  let last: Group | undefined;
  for (const st of states) {
    const row = prepare(mapper, st);
    const fetch = found.fetch;
    if (found.single) {
      await insertRows(conn, mapper, [st], [row], fetch);
      continue;
    }
    // Rows giving the same columns (a bit per column, for tables of up to 15 columns) share a statement.
    const sig = found.given >= 0 ? found.given : `${Object.keys(row).join(',')}|${fetch.join(',')}`;
    if (sig !== lastSig) {
      lastSig = sig;
      last = groups.get(sig);
      if (last === undefined) groups.set(sig, (last = { states: [], rows: [], fetch }));
    }
    last!.states.push(st);
    last!.rows.push(row);
  }
  const maxParams = conn.dialect.capabilities.dml.maxParams;
  for (const { states: group, rows, fetch } of groups.values()) {
    const width = Object.keys(rows[0]).length;
    if (fetch.length === 0 && width > 0) {
      // Nothing to read back: Core's executemany batches the rows into multi-row VALUES
      // within the parameter limit, one statement compiled per batch size.
      await conn.execute(insert(mapper.table), rows);
      continue;
    }
    const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(maxParams / Math.max(1, width))));
    const step = fetch.length === 0 || (await canMatchBatch(conn, mapper, rows[0], fetch)) ? size : 1;
    for (let i = 0; i < group.length; i += step) await insertRows(conn, mapper, group.slice(i, i + step), rows.slice(i, i + step), fetch);
  }
}

/** The values a new row gives: its own, client-side defaults (set on the object); what to read back goes to `found`. */
function prepare(mapper: TablePart, st: InstanceState): Record<string, unknown> {
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
  found.fetch = fetch;
  found.single = single;
  found.given = narrow ? given : -1;
  return row;
}

/** Whether rows whose database-made values come back can be told apart in one statement. */
async function canMatchBatch(conn: Connection, mapper: TablePart, row: Record<string, unknown>, fetch: readonly string[]): Promise<boolean> {
  const pkGiven = mapper.pkKeys.every((k) => k in row);
  const returning = conn.dialect.capabilities.dml.returning.insert;
  if (pkGiven) return returning || fetch.length === 0;
  // A generated key: one integer key column numbered in VALUES order.
  if (mapper.pkKeys.length !== 1 || !isIntegerColumn(mapper)) return false;
  if (returning) return true;
  return (await consecutiveIds(conn)) !== undefined;
}

function isIntegerColumn(mapper: TablePart): boolean {
  const t = (mapper.table.c as Record<string, any>)[mapper.pkKeys[0]].type;
  return ['Integer', 'SmallInteger', 'BigInteger'].includes(t.typeName ?? t.impl?.typeName);
}

async function insertRows(conn: Connection, mapper: TablePart, states: readonly InstanceState[], rows: readonly Record<string, unknown>[], fetch: readonly string[]): Promise<void> {
  const c = mapper.table.c as Record<string, any>;
  const first = rows[0];
  const given = Object.keys(first).length > 0;
  if (!given && states.length > 1) {
    for (let n = 0; n < states.length; n++) await insertRows(conn, mapper, [states[n]], [rows[n]], fetch);
    return;
  }
  let stmt: any = given ? insert(mapper.table).values((rows.length === 1 ? first : rows) as any) : insert(mapper.table);
  const returning = fetch.length > 0 && conn.dialect.capabilities.dml.returning.insert;
  const pkGiven = mapper.pkKeys.every((k) => k in first);
  if (returning) stmt = stmt.returning(...new Set([...mapper.pkKeys, ...fetch].map((k) => c[k])));
  const res = await conn.execute(stmt);
  if (returning) {
    const back = res.all() as Record<string, unknown>[];
    if (back.length !== states.length) throw new Error(`INSERT into ${mapper.table.name} returned ${back.length} rows for ${states.length}.`);
    if (pkGiven) {
      const byKey = new Map(back.map((r) => [keyOf(mapper, r), r]));
      for (let n = 0; n < states.length; n++) assign(mapper, states[n], byKey.get(keyOf(mapper, rows[n]))!, fetch);
    } else {
      const pk = mapper.pkKeys[0];
      if (states.length > 1) back.sort((a, b) => (a[pk]! < b[pk]! ? -1 : a[pk]! > b[pk]! ? 1 : 0));
      for (let n = 0; n < states.length; n++) assign(mapper, states[n], back[n], fetch);
    }
    return;
  }
  if (fetch.length === 0) return;
  const missingPk = mapper.pkKeys.filter((k) => fetch.includes(k));
  if (missingPk.length === 1) {
    const firstId = res.insertedPrimaryKey as unknown;
    const step = states.length > 1 ? (await consecutiveIds(conn))! : 1;
    states.forEach((st, n) => {
      const id = typeof firstId === 'bigint' ? firstId + BigInt(n * step) : Number(firstId) + n * step;
      st.values[mapper.columnIndex.get(missingPk[0])!] = typeof id === 'bigint' && Number.isSafeInteger(Number(id)) ? Number(id) : id;
    });
  }
  const rest = fetch.filter((k) => !mapper.pkKeys.includes(k));
  if (rest.length === 0) return;
  for (const st of states) {
    const where = and(...mapper.pkKeys.map((k) => c[k].eq(st.values[mapper.columnIndex.get(k)!])));
    const back = (await conn.execute(select(...rest.map((k) => c[k])).where(where) as any)).one() as Record<string, unknown>;
    for (const k of rest) st.values[mapper.columnIndex.get(k)!] = back[k];
  }
}

function keyOf(mapper: TablePart, row: Record<string, unknown>): string {
  return mapper.pkKeys.map((k) => String(row[k])).join('\u0000');
}

function assign(mapper: TablePart, st: InstanceState, back: Record<string, unknown>, fetch: readonly string[]): void {
  for (const k of fetch) st.values[mapper.columnIndex.get(k)!] = back[k];
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
