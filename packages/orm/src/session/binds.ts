/**
 * Session binds (SQLAlchemy's `Session(binds=...)`): mapped classes or tables kept on
 * different engines, used by one session. The session's "connection" is then a router: each
 * engine gets its own connection and transaction at its first statement, each statement runs
 * on the engine of the tables it names (the session's engine for tables bound to none), and
 * commit and rollback end every transaction begun. A statement naming tables of two engines
 * is refused: no database can join across engines.
 *
 * Commit is one engine after the other: if a later engine's COMMIT fails, the earlier ones
 * stay committed, and the error says which. With `twoPhase` (PostgreSQL engines only, as
 * SQLAlchemy's `twophase=True`) every transaction is first prepared (`PREPARE TRANSACTION`),
 * and committed only once all are: a failure while preparing rolls every one back.
 */
import { type ClauseElement, type Connection, type Engine, type ExecuteOptions, type ExecuteParams, InvalidRequestError, type Table, iterate } from '@athanor/core';
import { randomUUID } from 'node:crypto';
import { mapperOf } from '../mapper';

/** Mapped classes or tables, each with the engine that holds its table. */
export type SessionBinds = ReadonlyMap<(abstract new (...args: any) => object) | Table<any, any>, Engine>;

/** The table of each bind key, checked. */
export function bindTables(binds: SessionBinds): Map<Table<any, any>, Engine> {
  const out = new Map<Table<any, any>, Engine>();
  for (const [key, engine] of binds) {
    if (!engine || typeof (engine as Engine).connect !== 'function') throw new InvalidRequestError('binds: each value is an Engine (createEngine(url)).');
    // A mapped class binds every table its rows span (joined-table inheritance: its parents' too).
    const tables = typeof key === 'function' ? mapperOf(key).parts.map((p) => p.table) : [key as Table<any, any>];
    for (const table of tables) {
      if ((table as { kind?: string })?.kind !== 'table') throw new InvalidRequestError('binds: each key is a mapped class or a Table.');
      const bound = out.get(table);
      if (bound !== undefined && bound !== engine) throw new InvalidRequestError(`binds: the table ${JSON.stringify(table.name)} is bound to two engines (${bound.url.display} and ${engine.url.display}); a table lives on one.`);
      out.set(table, engine);
    }
  }
  return out;
}

/** The tables a statement names anywhere (FROM, joins, subqueries, DML targets). */
function tablesOf(statement: ClauseElement): Set<Table<any, any>> {
  const out = new Set<Table<any, any>>();
  for (const el of iterate(statement)) {
    const e = el as { kind?: string; table?: { kind?: string } };
    if (e.kind === 'table') out.add(el as unknown as Table<any, any>);
    else if (e.table?.kind === 'table') out.add(e.table as Table<any, any>);
  }
  return out;
}

export class BoundConnections {
  private readonly open = new Map<Engine, Promise<Connection>>();
  private begun = false;

  constructor(
    /** The session's engine: tables bound to no engine live there. */
    readonly engine: Engine,
    private readonly tables: ReadonlyMap<Table<any, any>, Engine>,
    private readonly twoPhase = false,
  ) {}

  get dialect() {
    return this.engine.dialect;
  }

  /** The session's transaction begins; each engine's begins at its first statement. */
  async begin(): Promise<void> {
    this.begun = true;
  }

  /** The connection (in its transaction) of the engine `table` is bound to. */
  forTable(table: Table<any, any>): Promise<Connection> {
    return this.connectionOf(this.tables.get(table) ?? this.engine);
  }

  execute(statement: ClauseElement, params?: ExecuteParams | readonly ExecuteParams[], options?: ExecuteOptions) {
    return this.route(statement).then((c) => c.execute(statement, params, options));
  }
  executeWithContext(statement: ClauseElement, params: ExecuteParams | readonly ExecuteParams[] | undefined, context: unknown, options?: ExecuteOptions) {
    return this.route(statement).then((c) => c.executeWithContext(statement, params, context, options));
  }
  firstWithContext(statement: ClauseElement, params: ExecuteParams | undefined, context: unknown, options?: ExecuteOptions) {
    return this.route(statement).then((c) => c.firstWithContext(statement, params, context, options));
  }

  async beginNested(): Promise<never> {
    throw new InvalidRequestError('beginNested(): savepoints are not supported on a session with binds (a savepoint would have to span every engine); use a session per engine for nested transactions.');
  }

  /** Commits each engine's transaction in turn (or in two phases). */
  async commit(): Promise<void> {
    if (this.twoPhase) return this.commitTwoPhase();
    const committed: Engine[] = [];
    for (const [engine, opening] of this.open) {
      const conn = await opening;
      try {
        await conn.commit();
        committed.push(engine);
      } catch (e) {
        await this.rollbackAll(committed);
        if (committed.length === 0) throw e;
        throw new InvalidRequestError(
          `The session's COMMIT failed on ${this.describe(engine)} after ${committed.map((c) => this.describe(c)).join(', ')} committed: those changes stay, the rest were rolled back. (${(e as Error).message})`,
          { cause: e },
        );
      }
    }
  }

  async rollback(): Promise<void> {
    await this.rollbackAll([]);
  }

  /** How an engine is named in errors (a ShardedSession names its shard). */
  protected describe(engine: Engine): string {
    return engine.url.display;
  }

  /** PREPARE TRANSACTION on every connection, then COMMIT PREPARED on each; a failed prepare rolls all back. */
  private async commitTwoPhase(): Promise<void> {
    const conns = await Promise.all(this.open.values());
    const id = randomUUID().replace(/-/g, '');
    const gid = (i: number) => `athanor_${id}_${i}`;
    const prepared = new Set<Connection>();
    try {
      for (const [i, conn] of conns.entries()) {
        await conn.execDriverSQL(`PREPARE TRANSACTION '${gid(i)}'`);
        prepared.add(conn);
        // The server has no open transaction after PREPARE: this COMMIT only ends the connection's own record of it.
        await conn.commit();
      }
    } catch (e) {
      for (const [i, conn] of conns.entries()) {
        if (prepared.has(conn)) await conn.execDriverSQL(`ROLLBACK PREPARED '${gid(i)}'`).catch(() => undefined);
        else if (conn.inTransaction) await conn.rollback().catch(() => undefined);
      }
      throw e;
    }
    for (const [i, conn] of conns.entries()) {
      try {
        await conn.execDriverSQL(`COMMIT PREPARED '${gid(i)}'`);
      } catch (e) {
        throw new InvalidRequestError(
          `Every engine prepared the session's transaction, and COMMIT PREPARED '${gid(i)}' failed on ${conn.engine.url.display}${i > 0 ? ' after the others before it committed' : ''}: finish it there with COMMIT PREPARED or ROLLBACK PREPARED '${gid(i)}' (pg_prepared_xacts lists it). (${(e as Error).message})`,
          { cause: e },
        );
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    this.begun = false;
    for (const opening of all) await (await opening.catch(() => undefined))?.close();
  }

  private async rollbackAll(except: readonly Engine[]): Promise<void> {
    let first: unknown;
    for (const [engine, opening] of this.open) {
      if (except.includes(engine)) continue;
      const conn = await opening.catch(() => undefined);
      if (conn?.inTransaction) await conn.rollback().catch((e: unknown) => (first ??= e));
    }
    if (first !== undefined) throw first;
  }

  protected route(statement: ClauseElement): Promise<Connection> {
    let engine: Engine | undefined;
    let named: Table<any, any> | undefined;
    for (const t of tablesOf(statement)) {
      const e = this.tables.get(t) ?? this.engine;
      if (engine !== undefined && e !== engine) {
        return Promise.reject(
          new InvalidRequestError(
            `This statement names ${JSON.stringify(named!.name)} (on ${engine.url.display}) and ${JSON.stringify(t.name)} (on ${e.url.display}): a statement runs on one engine. Query each engine's tables separately.`,
          ),
        );
      }
      engine = e;
      named = t;
    }
    return this.connectionOf(engine ?? this.engine);
  }

  protected connectionOf(engine: Engine): Promise<Connection> {
    let opening = this.open.get(engine);
    if (opening === undefined) {
      opening = engine.connect().then(async (conn) => {
        if (!this.begun) return conn;
        try {
          await conn.begin();
          return conn;
        } catch (e) {
          await conn.close();
          throw e;
        }
      });
      this.open.set(engine, opening);
    }
    return opening;
  }
}

/** The connection a statement on `table` runs on: the session's, or with binds the table's engine's. */
export function connectionForTable(conn: Connection, table: Table<any, any>): Connection | Promise<Connection> {
  return (conn as unknown) instanceof BoundConnections ? (conn as unknown as BoundConnections).forTable(table) : conn;
}

/** The router of a session with binds, typed as the Connection the rest of the ORM uses (it implements what the ORM calls). */
export function boundConnections(engine: Engine, binds: SessionBinds, twoPhase: boolean): Connection {
  const tables = bindTables(binds);
  if (twoPhase) {
    for (const e of [engine, ...tables.values()]) {
      if (e.dialect.name !== 'postgresql') throw new InvalidRequestError(`twoPhase: two-phase commit is supported on PostgreSQL only; ${e.url.display} is ${e.dialect.name}. Leave twoPhase out.`);
    }
  }
  return new BoundConnections(engine, tables, twoPhase) as unknown as Connection;
}
