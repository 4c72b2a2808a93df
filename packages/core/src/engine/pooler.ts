/**
 * Behind a transaction pooler (pgbouncer `pool_mode = transaction`, ProxySQL multiplexing)
 * each transaction, and each statement outside one, may run on another server connection,
 * which the next client then gets. Session state set there leaks to that client and is gone
 * for this one. With `createEngine(url, { pooler: 'transaction' })` the statements that set
 * session state are refused before they are sent, naming the per-transaction way.
 */
import { ArgumentError, SessionStateError } from '../errors';

/** How the server connections behind the engine's URL are shared: `'transaction'`: per transaction (pgbouncer's transaction mode). */
export type PoolerMode = 'transaction';

export function checkPoolerOption(pooler: unknown, dialectName: string): PoolerMode | undefined {
  if (pooler === undefined) return undefined;
  if (pooler !== 'transaction') throw new ArgumentError(`pooler must be 'transaction' (a pooler that shares server connections per transaction, such as pgbouncer's transaction mode); got ${JSON.stringify(pooler)}. Leave it out for a direct connection or a session pooler.`);
  if (dialectName === 'sqlite') throw new ArgumentError("pooler: 'transaction' is for a server behind a connection pooler; SQLite has no server. Leave it out.");
  return pooler;
}

/** Comments and whitespace before the first keyword. */
const LEADING = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/;

/**
 * Refuses a raw statement that sets session state under a transaction pooler: a session `SET`
 * or `RESET`, `SET LOCAL` outside a transaction (it would do nothing) or on MySQL (where it is
 * a session SET), `LISTEN`, SQL-level
 * `PREPARE`, a `WITH HOLD` cursor, a session advisory lock.
 */
export function checkSessionState(sql: string, inTransaction: boolean, dialectName: string): void {
  const text = sql.replace(LEADING, '');
  const head = /^([A-Za-z]+)(?:\s+([A-Za-z_]+))?/.exec(text);
  const first = head?.[1]?.toUpperCase();
  const second = head?.[2]?.toUpperCase();
  if (first === 'SET' || first === 'RESET') {
    if (first === 'SET' && (second === 'TRANSACTION' || second === 'CONSTRAINTS')) return;
    if (first === 'SET' && second === 'LOCAL') {
      if (dialectName === 'mysql') {
        throw new SessionStateError(
          `SET LOCAL on MySQL/MariaDB is SET SESSION (it outlives the transaction), and this engine is behind a transaction pooler (pooler: 'transaction'): the setting would stay on a server connection the next client gets. Set it per statement (a SET_VAR optimizer hint, or SET STATEMENT ... FOR on MariaDB) or for every connection on the server side. The statement: ${preview(text)}`,
        );
      }
      if (inTransaction) return;
      throw new SessionStateError(
        `SET LOCAL outside a transaction changes nothing (it lasts until the transaction ends, and there is none): run it inside begin() / transaction(), before the statements it is for. The statement: ${preview(text)}`,
      );
    }
    throw new SessionStateError(
      `${first} sets session state, and this engine is behind a transaction pooler (pooler: 'transaction'): the setting would stay on a server connection the next client gets, and be gone for this one. Use SET LOCAL inside begin() / transaction() (it ends with the transaction), or set it for every connection on the server side (ALTER ROLE ... SET / the pooler's connect query). The statement: ${preview(text)}`,
    );
  }
  if (first === 'LISTEN' || first === 'PREPARE' || first === 'DEALLOCATE') {
    throw new SessionStateError(
      `${first} keeps state on the server connection, and this engine is behind a transaction pooler (pooler: 'transaction'): a later statement may run on another one. ${first === 'LISTEN' ? 'LISTEN on a direct connection to the server.' : 'Let the driver prepare statements (the prepared_statement_cache_size URL option), not SQL.'} The statement: ${preview(text)}`,
    );
  }
  if (first === 'DECLARE' && /\bWITH\s+HOLD\b/i.test(text)) {
    throw new SessionStateError(`A WITH HOLD cursor outlives its transaction on the server connection, which a transaction pooler gives to another client: use a cursor inside the transaction (conn.stream()). The statement: ${preview(text)}`);
  }
  if (/\bpg_(?:try_)?advisory_lock(?:_shared)?\s*\(/i.test(text)) {
    throw new SessionStateError(
      `A session advisory lock stays on the server connection, which a transaction pooler gives to another client: use the transaction-level pg_advisory_xact_lock() inside a transaction. The statement: ${preview(text)}`,
    );
  }
}

function preview(sql: string): string {
  return sql.length > 80 ? `${sql.slice(0, 80)}...` : sql;
}
