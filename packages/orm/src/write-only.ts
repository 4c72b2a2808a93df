/**
 * Write-only collections (`lazy: 'writeOnly'`), for collections too large to load: the
 * attribute is a `WriteOnlyCollection`, never an array. `add()` / `remove()` are queued on
 * the owner and written by the next flush (the child's foreign key set or cleared, orphans
 * deleted under delete-orphan, association rows inserted or deleted for a many-to-many);
 * `select()` is a Core statement for the related rows, to run with `session.scalars()` and
 * narrow with `where()`, `orderBy()`, `limit()`. Nothing here ever loads the collection.
 */
import { ArgumentError, InvalidRequestError, type Select, and, select } from '@athanor/core';
import type { Relationship } from './relationship';
import { type InstanceState, STATE, maybeState } from './state/instance-state';

type Stated = { [STATE]: InstanceState };

/** A collection that is never loaded whole (`lazy: 'writeOnly'`): add, remove, and query it with a statement. */
export class WriteOnlyCollection<T extends object> {
  declare readonly __member: T;
  constructor(
    private readonly owner: object,
    private readonly rel: Relationship,
  ) {}

  /** Queues `obj` to join the collection at the next flush (a new object is saved with it). */
  add(obj: T): void {
    const st = this.state;
    const member = this.member(obj, 'add');
    const removes = st.pendingRemoves?.get(this.rel.name);
    const queued = removes?.indexOf(member) ?? -1;
    if (queued >= 0) removes!.splice(queued, 1);
    else {
      const appends = (st.pendingAppends ??= new Map());
      const list = appends.get(this.rel.name);
      if (list === undefined) appends.set(this.rel.name, [member]);
      else if (!list.includes(member)) list.push(member);
    }
    st.touch();
  }

  addAll(objs: Iterable<T>): void {
    for (const o of objs) this.add(o);
  }

  /** Queues `obj` to leave the collection at the next flush (its foreign key cleared, or deleted under delete-orphan). */
  remove(obj: T): void {
    const st = this.state;
    const member = this.member(obj, 'remove');
    const appends = st.pendingAppends?.get(this.rel.name);
    const queued = appends?.indexOf(member) ?? -1;
    if (queued >= 0) appends!.splice(queued, 1);
    else {
      if (maybeState(member)!.key === undefined) {
        throw new InvalidRequestError(`${this.where}.remove(): this ${this.rel.target.name} object was never saved, so it is not in the collection.`);
      }
      const removes = (st.pendingRemoves ??= new Map());
      const list = removes.get(this.rel.name);
      if (list === undefined) removes.set(this.rel.name, [member]);
      else if (!list.includes(member)) list.push(member);
    }
    st.touch();
  }

  /**
   * A SELECT of the collection's rows as it is in the database (the queued changes are
   * written by a flush first: the session's autoflush does it when the statement runs).
   */
  select(): Select<Record<string, T>> {
    const st = this.state;
    const rel = this.rel;
    const owner = st.mapper;
    const valueOf = (key: string) => {
      const v = st.values[owner.columnIndex.get(key)!];
      if (st.key === undefined || v === undefined || v === null) {
        throw new InvalidRequestError(`${this.where}.select(): the ${owner.name} object has no row yet; flush the session first (await session.flush()).`);
      }
      return v;
    };
    const tc = rel.target.table.c as Record<string, any>;
    let stmt: Select<any>;
    if (rel.secondary !== undefined) {
      const sc = rel.secondary.c as Record<string, any>;
      const on = and(...rel.targetPairs.map((p) => tc[p.one].eq(sc[p.many])), rel.secondaryCriteria);
      stmt = select(rel.target.cls as any)
        .join(rel.secondary, on)
        .where(and(...rel.pairs.map((p) => sc[p.many].eq(valueOf(p.one)))));
    } else {
      stmt = select(rel.target.cls as any).where(and(...rel.pairs.map((p) => tc[p.many].eq(valueOf(p.one)))));
    }
    if (rel.criteria !== undefined) stmt = stmt.where(rel.criteria);
    if (rel.orderBy.length > 0) stmt = stmt.orderBy(...rel.orderBy.map((o) => (o.descending ? tc[o.key].desc() : tc[o.key])));
    return stmt as Select<Record<string, T>>;
  }

  private get state(): InstanceState {
    return (this.owner as Stated)[STATE];
  }

  private get where(): string {
    return `${this.rel.parent.name}.${this.rel.name}`;
  }

  private member(obj: unknown, op: string): object {
    const st = maybeState(obj);
    if (st === undefined || !(st.mapper === this.rel.target || obj instanceof this.rel.target.cls)) {
      throw new ArgumentError(`${this.where}.${op}() takes a ${this.rel.target.name} object.`);
    }
    return obj as object;
  }
}

/** The accessor of a write-only relationship: the collection object; assigning is refused except to start a new object's collection. */
export function defineWriteOnlyAccessor(proto: object, rel: Relationship): void {
  Object.defineProperty(proto, rel.name, {
    configurable: true,
    enumerable: false,
    get(this: Stated) {
      return new WriteOnlyCollection(this, rel);
    },
    set(this: Stated, value: unknown) {
      if (this[STATE].key === undefined && Array.isArray(value)) {
        new WriteOnlyCollection(this, rel).addAll(value as object[]);
        return;
      }
      throw new InvalidRequestError(
        `${rel.parent.name}.${rel.name} is a write-only collection (lazy: 'writeOnly'): it cannot be assigned; use .add(obj) / .remove(obj), and .select() to read its rows.`,
      );
    },
  });
}

/** Loaders never load a write-only collection. */
export function writeOnlyLoadError(rel: Relationship): ArgumentError {
  return new ArgumentError(
    `${rel.parent.name}.${rel.name} is a write-only collection (lazy: 'writeOnly') and is never loaded; read its rows with session.scalars(obj.${rel.name}.select()).`,
  );
}
