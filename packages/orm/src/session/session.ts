/**
 * The Session: identity map, unit of work and its transaction (SQLAlchemy's Session with
 * the AsyncSession's rule: no implicit IO). Calls on one session never overlap: each async
 * method runs after the previous one ended, in call order, and changing the session's
 * objects while a flush or commit runs is refused. Which transaction state each method
 * accepts is declared in `ALLOWED`. On an engine with read replicas, reads may run outside
 * the transaction, on a replica (replica-reads.ts decides which reads, queries.ts runs them).
 */
import {
  ArgumentError,
  type ClauseElement,
  type Connection,
  type Engine,
  type ExecuteParams,
  type FirstOf,
  InvalidRequestError,
  type Result,
  type RowOfStatement,
  type ScalarResult,
  type TupleOfStatement,
} from '@athanor/core';
import { Listeners, listenersOf } from '../listeners';
import { LoadRun } from '../default-loading';
import { executeWithPlan } from '../eager-loading';
import { planOf } from '../load-plan';
import type { LoadedRow } from '../load-state';
import type { Queries } from '../loading';
import { applyColumnOptions, columnOptionsOf } from '../column-options';
import { type LoadContext, type Mapper, mapperOf } from '../mapper';
import type { Relationship } from '../relationship';
import { raisesOn } from '../state/raise-marks';
import { unloadedError } from '../relationship-accessor';
import { type InstanceState, type StateOwner, stateOf } from '../state/instance-state';
import type { AnyMappedClass } from '../types';
import { flush } from '../unit-of-work/flush';
import { boundConnections } from './binds';
import { executeBulk, isDml } from './bulk';
import { CallQueue } from './call-queue';
import { cascadeWalk } from './cascade-walk';
import { getByPrimaryKey, normalisePk } from './get';
import { IdentityMap } from './identity-map';
import { LoadBatcher } from './load-batcher';
import { addState, deleteState, dirtyObjects, stateHasChanges } from './membership';
import { type SessionObjects, applyClose, applyCommit, applyNestedRollback, applyRollback, detach, expireState } from './lifecycle';
import { mergeInto } from './merge';
import { type SessionExecuteOptions, type SessionOptions, checkExecuteOptions, checkSessionOptions } from './options';
import { refreshState, slotsToRefresh } from './refresh';
import { SessionQueries } from './queries';
import { ReadRouting } from './replica-reads';
import { checkAttributes, describeFailure, fillExpired, lazyRaiseError, phaseError } from './session-errors';
import { SessionTransaction, type TransactionOwner } from './transaction';
import { keepShapeWhile } from '../util/shape-anchors';

/** The statement's rows as the session returns them: objects shown with the load state its loader options give them (load-state.ts). */
export type SessionRow<S> = LoadedRow<RowOfStatement<S>>;
/** The same by position (`result.tuples()`). */
export type SessionTuple<S> = LoadedRow<TupleOfStatement<S>>;

/** A primary key: the value, or a list of values in primary key column order. */
export type PrimaryKeyValue = unknown | readonly unknown[];

/** `idle`: no transaction yet (the next use begins one); `active`; `inactive`: an explicit transaction an error rolled back. */
export type SessionPhase = 'idle' | 'active' | 'inactive';

/** The transaction states each method may run in (SQLAlchemy's state_changes declarations). */
const ALLOWED: Record<string, readonly SessionPhase[]> = {
  begin: ['idle'],
  beginNested: ['idle', 'active'],
  execute: ['idle', 'active'],
  flush: ['idle', 'active'],
  commit: ['idle', 'active'],
  get: ['idle', 'active'],
  refresh: ['idle', 'active'],
  merge: ['idle', 'active'],
  connection: ['idle', 'active'],
  loadRelationships: ['idle', 'active'],
};

/** The unit of work: tracks the objects you add and load (one per row: the identity map) and writes their changes at `flush()` / `commit()`. */
export class Session implements LoadContext, StateOwner, TransactionOwner, SessionObjects {
  /** @internal Listeners for every session (`listen(Session, 'afterCommit', fn)`). */
  static readonly [listenersOf] = new Listeners();
  /** @internal Listeners for this session (made on first use: most sessions have none). */
  get [listenersOf](): Listeners {
    return (this.ownListeners ??= new Listeners());
  }
  private ownListeners: Listeners | undefined = undefined;
  /** @internal identity map: one object per row. */
  readonly identityMap = new IdentityMap();
  /** @internal added objects with no row yet. */
  readonly pending = new Set<InstanceState>();
  /** @internal objects changed since the last flush (history recorded). */
  readonly modified = new Set<InstanceState>();
  /** @internal objects marked with `delete()`. */
  readonly toDelete = new Set<InstanceState>();
  readonly options: Required<SessionOptions>;
  private conn: Connection | undefined;
  private root: SessionTransaction | undefined;
  private tx: SessionTransaction | undefined;
  private readonly calls = new CallQueue();
  private flushing = false;
  private listening = 0;
  private noAutoflushDepth = 0;
  private batcher: LoadBatcher | undefined = undefined;
  private readonly routing: ReadRouting;
  private readonly reads: SessionQueries;
  /** @internal the objects a flush writes: the session's, or (ShardedSession) one shard's part of them. */
  protected flushScope: SessionObjects | undefined = undefined;
  /** @internal the loaders' way to run their statements in this session. */
  protected get queries(): Queries {
    return this.reads.queries(undefined, false);
  }

  constructor(
    readonly engine: Engine,
    options?: SessionOptions,
  ) {
    this.options = checkSessionOptions(options);
    this.routing = new ReadRouting(engine, this.options.reads, this.options.binds.size > 0 || this.options.twoPhase);
    this.reads = new SessionQueries(this.routing, () => this.transactionConnection(), this);
    // One idle session per engine, kept for its shape while the engine lives (util/shape-anchors.ts).
    if (new.target === Session) keepShapeWhile(engine, () => new Session(engine, options));
  }

  /** Where the session is: no transaction yet, in one, or in one an error rolled back. */
  get phase(): SessionPhase {
    if (this.root === undefined) return 'idle';
    return this.tx!.state === 'inactive' ? 'inactive' : 'active';
  }

  /** Where the session's next read runs: on a replica (`reads: 'auto' | 'replica'`, engine with replicas) or on the primary. */
  get readsFrom(): 'primary' | 'replica' {
    return this.routing.readerFor(undefined, undefined) === undefined ? 'primary' : 'replica';
  }

  // -- objects ------------------------------------------------------------------------

  /** Adds an object (pending until flush); related objects follow by save-update cascade at flush. */
  add(obj: object): void {
    this.checkMutable('add');
    addState(this, stateOf(obj), this.tx);
  }

  addAll(objs: Iterable<object>): void {
    for (const o of objs) this.add(o);
  }

  /** Marks an object for deletion at the next flush (related objects follow per their relationship's cascade). */
  delete(obj: object): void {
    this.checkMutable('delete');
    deleteState(this, stateOf(obj), this.tx);
  }

  /** Removes an object from the session without touching its row (detached; pending ones become transient). */
  expunge(obj: object): void {
    this.checkMutable('expunge');
    const st = stateOf(obj);
    if (st.session !== this) throw new InvalidRequestError(`expunge(): this ${st.mapper.name} object is not in this session.`);
    for (const r of cascadeWalk(st, 'expunge')) if (r.session === this) detach(this, r);
    detach(this, st);
  }

  /** Removes every object from the session. */
  expungeAll(): void {
    this.checkMutable('expungeAll');
    for (const st of [...this.identityMap.states(), ...this.pending, ...this.toDelete]) detach(this, st);
    this.identityMap.clear();
  }

  /** Expires attributes of an object (all when omitted): the next read raises until refreshed or queried again. */
  expire(obj: object, attributes?: readonly string[]): void {
    const st = this.persistentState(obj, 'expire');
    if (attributes) checkAttributes(st.mapper, attributes, 'expire');
    // refresh-expire: the loaded related objects are expired whole (found before this one's relationships are dropped).
    const related = cascadeWalk(st, 'refresh-expire').filter((r) => this.isPersistentHere(r));
    expireState(this, st, attributes);
    for (const r of related) expireState(this, r);
  }

  /** Expires every persistent object in the session. */
  expireAll(): void {
    for (const st of this.identityMap.states()) expireState(this, st);
  }

  /** Objects added and not flushed yet. */
  get new(): object[] {
    return [...this.pending].map((s) => s.obj);
  }

  /** Persistent objects with changes not flushed yet. */
  get dirty(): object[] {
    return dirtyObjects(this);
  }

  /** Objects marked with delete() and not flushed yet. */
  get deleted(): object[] {
    return [...this.toDelete].map((s) => s.obj);
  }

  /** Whether an object has changes its next flush would write. */
  isModified(obj: object): boolean {
    const st = stateOf(obj);
    return st.key === undefined ? st.session === this : stateHasChanges(st);
  }

  // -- queries ------------------------------------------------------------------------

  /** Executes a statement in the session's transaction; entity rows load as identity-mapped instances. */
  execute<S extends ClauseElement>(statement: S, params?: ExecuteParams | readonly ExecuteParams[], options?: SessionExecuteOptions): Promise<Result<SessionRow<S>, SessionTuple<S>>> {
    let opts: SessionExecuteOptions;
    try {
      opts = checkExecuteOptions(options);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.run('execute', () => this.executeNow(statement, params, opts)) as Promise<Result<SessionRow<S>, SessionTuple<S>>>;
  }

  /** The first column (or entity) of every row: `session.scalars(select(User))` → users. */
  async scalars<S extends ClauseElement>(statement: S, params?: ExecuteParams, options?: SessionExecuteOptions): Promise<ScalarResult<FirstOf<SessionRow<S>, SessionTuple<S>>>> {
    return (await this.execute(statement, params, options)).scalars();
  }

  /** The first column of the first row, or null. */
  async scalar<S extends ClauseElement>(statement: S, params?: ExecuteParams, options?: SessionExecuteOptions): Promise<FirstOf<SessionRow<S>, SessionTuple<S>> | null> {
    return (await this.execute(statement, params, options)).scalar();
  }

  /** The object with this primary key: from the identity map when loaded there, else one SELECT. */
  get<C extends AnyMappedClass>(cls: C, pk: PrimaryKeyValue, options?: SessionExecuteOptions): Promise<InstanceType<C> | null> {
    let mapper: Mapper;
    let values: unknown[];
    let opts: SessionExecuteOptions;
    try {
      mapper = mapperOf(cls);
      values = normalisePk(mapper, pk);
      opts = checkExecuteOptions(options);
    } catch (e) {
      // Bad arguments reject the promise, as every other failure of an async method does.
      return Promise.reject(e);
    }
    if (!opts.populateExisting) {
      const hit = this.identityMap.get(mapper, mapper.identityKeyOfPk(values));
      // A row of another class of the hierarchy (get(Engineer, id) of a Manager) is not an Engineer: null.
      if (hit !== undefined && !hit.expired) return Promise.resolve(hit.markedForDelete || (hit.mapper !== mapper && !hit.mapper.isa(mapper)) ? null : (hit.obj as InstanceType<C>));
    }
    return this.run('get', () => this.loadByKey(mapper, values, opts) as Promise<InstanceType<C> | null>);
  }

  /** @internal get() past the identity map: autoflush, then one SELECT (and the class's eager defaults). */
  protected loadByKey(mapper: Mapper, values: unknown[], opts: SessionExecuteOptions): Promise<object | null> {
    // Chained, not async: a lookup is the session's most frequent call, and each await costs.
    const load = () =>
      this.reads.connection(undefined, opts.use).then((conn) =>
        this.reads.withPopulate(opts, async () => {
          const obj = await getByPrimaryKey(conn, mapper, values, this);
          // The class's eager defaults (lazy: 'selectin' | 'joined') load with it.
          if (obj !== null && mapper.eagerRelationships.length > 0) await new LoadRun(this.reads.queries(opts.use, false), this.reads.populateExisting).loadDefaults([obj]);
          return obj;
        }),
      );
    const flushing = this.autoflush();
    return flushing ? flushing.then(load) : load();
  }

  /** Reloads an object's columns (or the named attributes, relationships included) from the database. */
  refresh(obj: object, attributes?: readonly string[]): Promise<void> {
    const st = this.persistentState(obj, 'refresh');
    if (attributes) checkAttributes(st.mapper, attributes, 'refresh');
    return this.run('refresh', async () => {
      // As SQLAlchemy: the refreshed columns' unsaved changes are discarded, then the session
      // autoflushes, so that a child pushed onto a refreshed collection is saved, not dropped.
      const m = st.mapper;
      // Computed before the expiry below: which deferred attributes the object had loaded.
      const slots = slotsToRefresh(st, attributes);
      const columns = slots.filter((i) => !m.pkIndexes.includes(i)).map((i) => m.slotName(i));
      if (columns.length > 0) expireState(this, st, columns);
      const flushing = this.autoflush();
      if (flushing) await flushing;
      const conn = await this.reads.connection(undefined, undefined);
      // refresh-expire: the related objects loaded now are refreshed too (their own columns).
      const related = cascadeWalk(st, 'refresh-expire');
      await refreshState(this, conn, st, attributes, this.reads.queries(undefined, true), slots);
      for (const r of related) if (this.isPersistentHere(r)) await refreshState(this, conn, r, r.mapper.columnKeys, this.reads.queries(undefined, true), slotsToRefresh(r, undefined));
    });
  }

  private isPersistentHere(st: InstanceState): boolean {
    return st.key !== undefined && st.session === this && !st.deleted;
  }

  /**
   * Copies an object's state onto the session's object for the same row (SQLAlchemy's
   * merge): found in the identity map, else loaded (`load: false`: taken as it is, no
   * query), else a new pending object. Related objects follow under the `merge` cascade.
   */
  merge<T extends object>(obj: T, options: { load?: boolean } = {}): Promise<T> {
    return this.run('merge', async () => {
      const flushing = options.load !== false ? this.autoflush() : undefined;
      if (flushing) await flushing;
      return (await mergeInto(this, obj, options.load !== false, new Map())) as T;
    });
  }

  /** Runs `fn` with autoflush off (queries inside see the database, not the session's pending changes). */
  async noAutoflush<T>(fn: () => Promise<T>): Promise<T> {
    this.noAutoflushDepth++;
    try {
      return await fn();
    } finally {
      this.noAutoflushDepth--;
    }
  }

  /** @internal loads a relationship of `obj` with the other loads of it asked for in this tick (awaitableAttrs). */
  loadRelationshipBatched(obj: object, name: string): Promise<void> {
    const st = stateOf(obj);
    const rel = st.mapper.relationships.get(name);
    if (rel === undefined) return this.loadRelationships([obj], [name]);
    if (rel.lazy === 'raise') return Promise.reject(lazyRaiseError(rel));
    if (raisesOn(st, name)) return Promise.reject(unloadedError(rel, false, true));
    const warn = this.options.warnOnNPlusOne;
    this.batcher ??= new LoadBatcher(
      (r, states) => this.run('loadRelationships', () => this.loadRelated(states, r)),
      warn === false ? undefined : warn === true ? (w) => console.warn(w.message) : warn,
    );
    return this.batcher.load(st, rel);
  }

  /** @internal loads relationships not loaded yet. */
  loadRelationships(objs: readonly object[], names: readonly string[]): Promise<void> {
    return this.run('loadRelationships', async () => {
      for (const obj of objs) {
        const st = stateOf(obj);
        for (const name of names) {
          const rel = st.mapper.relationships.get(name);
          if (rel?.lazy === 'raise') throw lazyRaiseError(rel);
          if (rel && raisesOn(st, name)) throw unloadedError(rel, false, true);
          const slot = rel ? undefined : st.mapper.slotOf(name);
          if (rel) await this.loadRelated([st], rel);
          else if (slot !== undefined && st.values[slot] === undefined) {
            await refreshState(this, await this.reads.connection(undefined, undefined), st, [name], this.reads.queries(undefined, true));
          }
        }
      }
    });
  }

  /** @internal loads one relationship of these objects (ShardedSession: on each object's shard). */
  protected loadRelated(states: readonly InstanceState[], rel: Relationship): Promise<void> {
    return new LoadRun(this.queries, false).load(states, rel);
  }

  // -- transactions -------------------------------------------------------------------

  /** The session's connection, beginning its transaction if none is begun. */
  connection(): Promise<Connection> {
    return this.run('connection', () => this.transactionConnection());
  }

  /** Writes pending changes (INSERT/UPDATE/DELETE) in the session's transaction. */
  flush(): Promise<void> {
    return this.run('flush', () => this.flushNow());
  }

  /**
   * Begins the transaction explicitly. With a callback: commits when it resolves, rolls back
   * when it throws. Without: returns the transaction, to `commit()` or `rollback()`.
   */
  begin(): Promise<SessionTransaction>;
  begin<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  async begin<T>(fn?: (session: Session) => Promise<T>): Promise<T | SessionTransaction> {
    const tx = await this.run('begin', async () => {
      await this.beginRoot(true);
      return this.root!;
    });
    return fn ? this.inBlock(tx, fn) : tx;
  }

  /**
   * A savepoint: rolling it back undoes the work inside it and restores the objects it
   * touched, keeping the outer transaction's work. With a callback: released when it
   * resolves, rolled back when it throws.
   */
  beginNested(): Promise<SessionTransaction>;
  beginNested<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  async beginNested<T>(fn?: (session: Session) => Promise<T>): Promise<T | SessionTransaction> {
    const tx = await this.run('beginNested', async () => {
      // Work done before the savepoint belongs to the outer transaction.
      await this.flushNow();
      const conn = await this.transactionConnection();
      const nested = new SessionTransaction(this, this.tx, await conn.beginNested(), true);
      this.tx = nested;
      return nested;
    });
    return fn ? this.inBlock(tx, fn) : tx;
  }

  /** Flushes and commits the transaction (every savepoint included). */
  commit(): Promise<void> {
    return this.run('commit', () => this.commitNow());
  }

  /** Rolls back the transaction: pending objects become transient, persistent ones are expired. */
  rollback(): Promise<void> {
    return this.run('rollback', () => this.rollbackNow());
  }

  /** Rolls back anything uncommitted and removes every object; the session can be used again. */
  close(): Promise<void> {
    return this.run('close', async () => {
      // Objects leave as they are (not expired): rows this transaction inserted are gone, so those become transient.
      const tx = this.tx;
      try {
        await this.endConnection(false);
      } finally {
        applyClose(this, tx);
        for (let t = tx; t !== undefined; t = t.parent) t.state = 'closed';
        this.root = this.tx = undefined;
        this.routing.reset();
      }
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal ends a transaction handle (begin()/beginNested()). */
  endTransaction(tx: SessionTransaction, commit: boolean): Promise<void> {
    return this.run(commit ? 'commit' : 'rollback', async () => {
      if (tx.state === 'closed') {
        if (commit) throw new InvalidRequestError('This transaction has already ended.');
        return;
      }
      if (tx !== this.tx) {
        if (!tx.nested) return commit ? this.commitNow() : this.rollbackNow();
        throw new InvalidRequestError('A savepoint inside this one is still open: end the inner beginNested() first.');
      }
      if (!tx.nested) return commit ? this.commitNow() : this.rollbackNow();
      if (commit) {
        if (tx.state === 'inactive') throw new InvalidRequestError(`This savepoint was rolled back by an error (${describeFailure(tx.failure)}); it cannot be committed.`);
        await this.flushNow();
        await tx.savepoint!.release();
        tx.handToParent();
      } else if (tx.state === 'active') {
        await tx.savepoint!.rollback();
        applyNestedRollback(this, tx);
      }
      tx.state = 'closed';
      this.tx = tx.parent;
    });
  }

  // -- StateOwner / LoadContext -------------------------------------------------------

  /** @internal the state had its first change since the last flush. */
  stateModified(state: InstanceState): void {
    if (state.key !== undefined) this.modified.add(state);
  }

  /** @internal the loaded object a many-to-one's foreign key names, if the session has it. */
  parentByForeignKey(st: InstanceState, rel: Relationship): object | undefined {
    const pk: unknown[] = [];
    for (const k of rel.target.pkKeys) {
      const pair = rel.pairs.find((p) => p.one === k);
      if (!pair) return undefined;
      pk.push(st.values[st.mapper.columnIndex.get(pair.many)!]);
    }
    return this.identityMap.get(rel.target, rel.target.identityKeyOfPk(pk))?.obj;
  }

  /** @internal entity loader: one object per row identity. */
  loadInstance(mapper: Mapper, values: unknown[], partial?: boolean): object | null {
    const key = mapper.identityKey(values);
    // No key at all: the entity is on the outer side of an outer join and has no row here.
    if (key === undefined && mapper.noRow(values)) return null;
    const byKey = key === undefined ? undefined : this.identityMap.mapOf(mapper);
    const existing = byKey?.get(key);
    if (existing !== undefined) {
      if (this.reads.populateExisting) {
        existing.values = values;
        existing.rels = undefined;
        existing.resetHistory();
        this.modified.delete(existing);
        existing.expired = false;
        mapper.listeners.fire('refresh', existing.obj, undefined);
      } else if (existing.expired || partial) fillExpired(existing, values);
      return existing.obj;
    }
    const st = mapper.instanceFromRow(values, key);
    if (byKey !== undefined) {
      st.session = this;
      this.identityMap.addNew(byKey, st);
    }
    if (mapper.listeners.any) mapper.listeners.fire('load', st.obj);
    return st.obj;
  }

  // -- internals ------------------------------------------------------------------------

  /** @internal runs async methods one after another, in call order, each in the states it declares. */
  protected run<T>(op: string, fn: () => Promise<T>): Promise<T> {
    if (this.listening > 0) {
      return Promise.reject(new InvalidRequestError(`session.${op}() was called from an event listener; listeners run inside the flush or commit and must not wait for the session.`));
    }
    const check = () => {
      const allowed = ALLOWED[op];
      if (allowed !== undefined && !allowed.includes(this.phase)) throw this.phaseError(op);
    };
    return this.calls.run(op, check, fn);
  }

  private phaseError(op: string): InvalidRequestError {
    return phaseError(op, this.root !== undefined, this.tx?.failure);
  }

  private checkMutable(op: string): void {
    if (this.listening > 0) return;
    if (this.flushing || this.calls.operation === 'commit' || this.calls.operation === 'rollback' || this.calls.operation === 'close') {
      throw new InvalidRequestError(
        `session.${op}() was called while session.${this.flushing ? 'flush' : this.calls.operation}() is running; await it first (calls on one session do not overlap).`,
      );
    }
  }

  private async inBlock<T>(tx: SessionTransaction, fn: (session: Session) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await fn(this);
    } catch (e) {
      if (tx.state !== 'closed') await this.endTransaction(tx, false);
      throw e;
    }
    if (tx.state !== 'closed') await this.endTransaction(tx, true);
    return result;
  }

  private async beginRoot(explicit: boolean): Promise<void> {
    const conn = await this.openConnection();
    try {
      await conn.begin();
    } catch (e) {
      await conn.close();
      throw e;
    }
    this.conn = conn;
    this.root = this.tx = new SessionTransaction(this, undefined, undefined, explicit);
    this.routing.began();
  }

  /** @internal the connection a new transaction runs on: the engine's, or a router over several (binds, shards). */
  protected openConnection(): Connection | Promise<Connection> {
    return this.options.binds.size > 0 || this.options.twoPhase ? boundConnections(this.engine, this.options.binds, this.options.twoPhase) : this.engine.connect();
  }

  /** @internal the transaction's connection, for code already running as a session call. */
  connectionNow(): Promise<Connection> {
    return this.transactionConnection();
  }

  /** @internal the connection of the session's transaction (autobegin). */
  protected transactionConnection(): Promise<Connection> {
    if (this.root === undefined) return this.beginRoot(false).then(() => this.conn!);
    if (this.tx!.state === 'inactive') return Promise.reject(this.phaseError(this.calls.operation ?? 'execute'));
    return Promise.resolve(this.conn!);
  }

  /** Flushes before a query; nothing to flush costs no promise. */
  private autoflush(): Promise<void> | undefined {
    if (!this.options.autoflush || this.noAutoflushDepth > 0) return undefined;
    if (this.pending.size === 0 && this.modified.size === 0 && this.toDelete.size === 0) return undefined;
    return this.flushNow();
  }

  /** @internal a statement, run as a session call. */
  protected async executeNow(statement: ClauseElement, params: ExecuteParams | readonly ExecuteParams[] | undefined, opts: SessionExecuteOptions): Promise<Result<any>> {
    const flushing = this.autoflush();
    if (flushing) await flushing;
    if (isDml(statement)) {
      if (opts.use === 'replica') throw new ArgumentError("session.execute(..., { use: 'replica' }): INSERT, UPDATE and DELETE run on the primary; leave use out.");
      const conn = await this.transactionConnection();
      return executeBulk(this, this.tx!, conn, statement, params, opts.synchronizeSession ?? 'auto');
    }
    if (Array.isArray(params)) throw new InvalidRequestError('session.execute(stmt, [rows]): a list of parameter sets is for INSERT, UPDATE and DELETE.');
    // Column options pick the columns each entity selects; the loaders then plan on that statement.
    const columns = columnOptionsOf(statement);
    const source = columns === undefined ? statement : (applyColumnOptions(statement, columns) as ClauseElement);
    const plan = planOf(source);
    const conn = await this.reads.connection(source, opts.use);
    const execute = (s: ClauseElement) => conn.executeWithContext(s, params as ExecuteParams | undefined, this);
    if (plan === undefined) return this.reads.withPopulate(opts, () => execute(source));
    return this.reads.withPopulate(opts, () => executeWithPlan(source, plan, execute, this.reads.queries(opts.use, false), this.reads.populateExisting, params as ExecuteParams | undefined));
  }

  /** @internal the flush, run as a session call. */
  protected async flushNow(): Promise<void> {
    if (this.pending.size === 0 && this.modified.size === 0 && this.toDelete.size === 0) return;
    if (this.flushing) throw new InvalidRequestError('The session is already flushing.');
    this.fire('beforeFlush');
    this.flushing = true;
    try {
      const conn = await this.transactionConnection();
      const tx = this.tx!;
      await flush({
        session: this,
        objects: this.flushScope ?? this,
        conn,
        // The flush's own reads belong to its transaction.
        queries: this.reads.queries('primary', false),
        tx,
        afterEmit: () => this.fire('afterFlush'),
        fire: (fn) => this.inListener(fn),
      });
    } catch (e) {
      this.fire('flushFailed', e);
      await this.failTransaction(e);
      throw e;
    } finally {
      this.flushing = false;
    }
  }

  /** A flush failed: its transaction (the savepoint, else the root) is rolled back, and the objects with it. */
  private async failTransaction(error: unknown): Promise<void> {
    const tx = this.tx;
    if (tx === undefined || tx.state !== 'active') return;
    if (tx.nested) {
      await tx.savepoint!.rollback().catch(() => undefined);
      applyNestedRollback(this, tx);
      tx.state = 'inactive';
      tx.failure = error;
      return;
    }
    if (tx.explicit) {
      await this.endConnection(false);
      applyRollback(this, tx);
      tx.state = 'inactive';
      tx.failure = error;
      this.fire('afterRollback');
      return;
    }
    await this.rollbackNow();
  }

  private async commitNow(): Promise<void> {
    if (this.tx?.state === 'inactive') throw this.phaseError('commit');
    await this.flushNow();
    const root = this.root;
    if (root === undefined) return;
    let tx = this.tx!;
    try {
      for (; tx !== root; tx = tx.parent!) {
        await tx.savepoint!.release();
        tx.handToParent();
        tx.state = 'closed';
      }
      this.tx = root;
      await this.endConnection(true);
    } catch (e) {
      await this.rollbackNow();
      throw e;
    }
    applyCommit(this, root, this.options.expireOnCommit);
    root.state = 'closed';
    this.root = this.tx = undefined;
    this.fire('afterCommit');
  }

  private async rollbackNow(fireEvent = true): Promise<void> {
    const tx = this.tx;
    try {
      await this.endConnection(false);
    } finally {
      applyRollback(this, tx);
      for (let t = tx; t !== undefined; t = t.parent) t.state = 'closed';
      this.root = this.tx = undefined;
      this.routing.reset();
    }
    if (fireEvent && tx !== undefined) this.fire('afterRollback');
  }

  private async endConnection(commit: boolean): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    try {
      if (commit) await conn.commit();
      else await conn.rollback();
    } finally {
      await conn.close();
    }
  }

  private fire(event: string, error?: unknown): void {
    const own = this.ownListeners?.get(event);
    const all = Session[listenersOf].get(event);
    if (!own && !all) return;
    this.inListener(() => {
      if (all) for (const fn of [...all]) fn(this, error);
      if (own) for (const fn of [...own]) fn(this, error);
    });
  }

  /** Runs listener code: session calls that wait are refused inside, changes to objects allowed. */
  private inListener(fn: () => void): void {
    this.listening++;
    try {
      fn();
    } finally {
      this.listening--;
    }
  }

  private persistentState(obj: object, op: string): InstanceState {
    const st = stateOf(obj);
    if (!this.isPersistentHere(st)) {
      throw new InvalidRequestError(`${op}(): this ${st.mapper.name} object is not persistent in this session (it is ${st.session === this ? 'pending or deleted' : 'not in this session'}).`);
    }
    return st;
  }
}
