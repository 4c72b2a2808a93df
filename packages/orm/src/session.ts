/**
 * The Session: identity map, unit of work and one transaction at a time. It holds one
 * connection with a begun transaction from first use (autobegin) until commit/rollback.
 *
 * After commit nothing is expired (this version has no lazy reload): objects keep the
 * values they had, stay in the identity map and remain attached to the session.
 * After rollback (or a failed flush) every object is detached from the session and
 * objects added since the last commit become transient again: query them anew.
 */
import {
  type ClauseElement,
  type Connection,
  type Engine,
  type ExecuteParams,
  InvalidRequestError,
  type Result,
  type ScalarResult,
  and,
  select,
} from '@athanor/core';
import { foldJoined, planJoined } from './joined-loading';
import { LoaderOption, loadRelationship } from './loading';
import { type LoadContext, type Mapper, mapperOf } from './mapper';
import { maybeState, stateOf } from './state';
import type { AnyMappedClass } from './types';
import { flush } from './unit-of-work/flush';

type RowOfStatement<S> = S extends { __row: infer R } ? ([R] extends [never] ? Record<string, unknown> : R) : Record<string, unknown>;

/** A primary key: the value, or a list of values in primary key column order. */
export type PrimaryKeyValue = unknown | readonly unknown[];

export class Session implements LoadContext {
  /** @internal identity key → the one object for that row. */
  readonly identityMap = new Map<string, object>();
  /** @internal added objects with no row yet. */
  readonly pending = new Set<object>();
  /** @internal objects marked with `delete()`. */
  readonly toDelete = new Set<object>();
  /** @internal objects inserted by the current transaction (transient again if it rolls back). */
  readonly insertedSinceCommit = new Set<object>();
  private conn: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private overwriteLoaded = false;
  private flushing = false;

  constructor(readonly engine: Engine) {}

  /** Adds an object (pending until flush); related objects follow by save-update cascade at flush. */
  add(obj: object): void {
    const st = stateOf(obj);
    if (st.session !== undefined && st.session !== this) {
      throw new InvalidRequestError(`This ${st.mapper.name} object is attached to another session; close that session first.`);
    }
    if (st.deleted) throw new InvalidRequestError(`This ${st.mapper.name} object was deleted; it cannot be added again.`);
    st.session = this;
    if (st.key === undefined) {
      this.pending.add(obj);
      return;
    }
    const existing = this.identityMap.get(st.key);
    if (existing && existing !== obj) {
      throw new InvalidRequestError(`Another ${st.mapper.name} object with the same primary key is already in this session.`);
    }
    this.identityMap.set(st.key, obj);
  }

  addAll(objs: Iterable<object>): void {
    for (const o of objs) this.add(o);
  }

  /** Marks an object for deletion at the next flush (children follow per the relationship's cascade). */
  delete(obj: object): void {
    const st = stateOf(obj);
    if (st.key === undefined) {
      if (this.pending.delete(obj)) {
        st.session = undefined;
        return;
      }
      throw new InvalidRequestError(`This ${st.mapper.name} object is not persisted; only objects loaded or flushed can be deleted.`);
    }
    if (st.session !== this) this.add(obj);
    this.toDelete.add(obj);
  }

  /** The session's connection, beginning its transaction on first use. */
  async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    if (!this.connecting) {
      this.connecting = (async () => {
        const conn = await this.engine.connect();
        try {
          await conn.begin();
        } catch (e) {
          await conn.close();
          throw e;
        }
        return conn;
      })();
    }
    try {
      this.conn = await this.connecting;
    } finally {
      this.connecting = undefined;
    }
    return this.conn;
  }

  /** Executes a statement in the session's transaction; entity rows load as identity-mapped instances. */
  async execute<S extends ClauseElement>(statement: S, params?: ExecuteParams): Promise<Result<RowOfStatement<S>>> {
    await this.autoflush();
    const conn = await this.connection();
    const options = ((statement as any).statementOptions ?? []).filter((o: unknown) => o instanceof LoaderOption) as LoaderOption[];
    const joined = planJoined(statement, options, this);
    const raw = await conn.executeWithContext(joined.statement as ClauseElement, params, this);
    const result = foldJoined(raw, joined.plans, this.overwriteLoaded);
    await this.runSelectinOptions(joined.rest, result);
    return result;
  }

  /** The first column (or entity) of every row: `session.scalars(select(User))` → users. */
  async scalars<S extends ClauseElement>(statement: S, params?: ExecuteParams): Promise<ScalarResult<RowOfStatement<S>[keyof RowOfStatement<S>]>> {
    return (await this.execute(statement, params)).scalars();
  }

  /** The object with this primary key: from the identity map when present, else one SELECT. */
  async get<C extends AnyMappedClass>(cls: C, pk: PrimaryKeyValue): Promise<InstanceType<C> | null> {
    const mapper = mapperOf(cls);
    const values = Array.isArray(pk) ? pk : [pk];
    if (values.length !== mapper.pkKeys.length) {
      throw new InvalidRequestError(`get(${mapper.name}, ...): the primary key has ${mapper.pkKeys.length} column(s) (${mapper.pkKeys.join(', ')}); got ${values.length} value(s).`);
    }
    const keyed: Record<string, unknown> = {};
    mapper.pkKeys.forEach((k, i) => {
      keyed[k] = values[i];
    });
    const key = mapper.identityKey(keyed);
    const hit = key === undefined ? undefined : this.identityMap.get(key);
    if (hit && !this.toDelete.has(hit)) return hit as InstanceType<C>;
    const criteria = mapper.pkKeys.map((k, i) => (mapper.table.c as any)[k].eq(values[i]));
    const found = await this.scalars(select(cls as any).where(and(...criteria)));
    return (found.first() as InstanceType<C> | null) ?? null;
  }

  /**
   * Reloads an object's columns from the database, and the named relationships (or every
   * relationship already loaded when `attributes` is omitted).
   */
  async refresh(obj: object, attributes?: readonly string[]): Promise<void> {
    const st = stateOf(obj);
    if (st.key === undefined || st.session !== this) throw new InvalidRequestError(`refresh(): this ${st.mapper.name} object is not persistent in this session.`);
    const rels = attributes ? attributes.filter((a) => st.mapper.relationships.has(a)) : [...st.rels.keys()];
    const cols = attributes ? attributes.filter((a) => st.mapper.columnKeys.includes(a)) : st.mapper.columnKeys;
    for (const a of attributes ?? []) {
      if (!st.mapper.relationships.has(a) && !st.mapper.columnKeys.includes(a)) throw new InvalidRequestError(`refresh(): ${st.mapper.name} has no attribute '${a}'.`);
    }
    this.overwriteLoaded = true;
    try {
      if (cols.length) {
        const criteria = st.mapper.pkKeys.map((k) => (st.mapper.table.c as any)[k].eq(st.committed![k]));
        const res = await this.queryInstances(select(st.mapper.cls as any).where(and(...criteria)));
        if (res.length === 0) throw new InvalidRequestError(`refresh(): the ${st.mapper.name} row is gone from the database.`);
      }
      for (const name of rels) await loadRelationship((s) => this.queryInstances(s), [obj], st.mapper.relationships.get(name)!, true);
    } finally {
      this.overwriteLoaded = false;
    }
  }

  /** @internal loads relationships not loaded yet (used by awaitableAttrs). */
  async loadRelationships(objs: readonly object[], names: readonly string[]): Promise<void> {
    for (const obj of objs) {
      const st = stateOf(obj);
      for (const name of names) await loadRelationship((s) => this.queryInstances(s), [obj], st.mapper.relationships.get(name)!, false);
    }
  }

  /** Writes pending changes (INSERT/UPDATE/DELETE) in the session's transaction. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    if (this.pending.size === 0 && this.toDelete.size === 0 && this.identityMap.size === 0) return;
    this.flushing = true;
    try {
      await flush(this.flushTarget(), () => this.connection(), (s) => this.queryInstances(s));
    } catch (e) {
      // The transaction is unusable after a failed statement: roll back, keep the session usable.
      await this.rollback().catch(() => undefined);
      throw e;
    } finally {
      this.flushing = false;
    }
  }

  /** Flushes and commits the transaction; objects stay loaded and attached. */
  async commit(): Promise<void> {
    await this.flush();
    const conn = this.conn;
    if (!conn) return;
    this.conn = undefined;
    this.insertedSinceCommit.clear();
    try {
      await conn.commit();
    } finally {
      await conn.close();
    }
  }

  /** Rolls back the transaction; objects are detached (added ones become transient). */
  async rollback(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    try {
      if (conn) await conn.rollback();
    } finally {
      if (conn) await conn.close();
      this.detachAll();
    }
  }

  /** Rolls back anything uncommitted and detaches every object; the session can be used again. */
  async close(): Promise<void> {
    await this.rollback();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal entity loader: one object per row identity. */
  loadInstance(mapper: Mapper, values: readonly unknown[]): object {
    const keyed: Record<string, unknown> = {};
    mapper.columnKeys.forEach((k, i) => {
      keyed[k] = values[i];
    });
    const key = mapper.identityKey(keyed);
    const existing = key === undefined ? undefined : this.identityMap.get(key);
    if (existing) {
      if (this.overwriteLoaded) {
        Object.assign(existing, keyed);
        stateOf(existing).committed = keyed;
      }
      return existing;
    }
    const obj = mapper.instanceFromRow(values);
    stateOf(obj).session = this;
    if (key !== undefined) this.identityMap.set(key, obj);
    return obj;
  }

  // -- internals ------------------------------------------------------------------------

  private async autoflush(): Promise<void> {
    if (this.pending.size || this.toDelete.size || this.identityMap.size) await this.flush();
  }

  private async queryInstances(statement: ClauseElement): Promise<object[]> {
    const conn = await this.connection();
    return (await conn.executeWithContext(statement, undefined, this)).scalars().all() as object[];
  }

  private async runSelectinOptions(options: LoaderOption[], result: Result<any>): Promise<void> {
    for (const opt of options) {
      const objs = new Set<object>();
      for (const row of result.all()) {
        for (const v of Object.values(row as Record<string, unknown>)) if (maybeState(v)?.mapper === opt.mapper) objs.add(v as object);
      }
      await loadRelationship((s) => this.queryInstances(s), [...objs], opt.relationship, this.overwriteLoaded);
    }
  }

  private flushTarget() {
    return { identityMap: this.identityMap, pending: this.pending, toDelete: this.toDelete, inserted: this.insertedSinceCommit, self: this };
  }

  private detachAll(): void {
    for (const obj of this.identityMap.values()) {
      const st = stateOf(obj);
      st.session = undefined;
      // Objects inserted by the rolled-back transaction have no row any more.
      if (this.insertedSinceCommit.has(obj)) {
        st.key = undefined;
        st.committed = undefined;
      }
    }
    for (const obj of this.pending) stateOf(obj).session = undefined;
    this.identityMap.clear();
    this.pending.clear();
    this.toDelete.clear();
    this.insertedSinceCommit.clear();
  }
}
