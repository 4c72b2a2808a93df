/** The root class of every mapped class: the ORM helpers every instance has. */
import { InvalidRequestError } from '@athanor/core';
import { type InstanceState, stateOf } from './state/instance-state';
import type { AwaitableAttrs } from './types';

/** What awaitableAttrs needs from the session (kept structural: no import cycle). */
interface RelationshipLoader {
  loadRelationshipBatched(obj: object, name: string): Promise<void>;
}

/** The base of every mapped class made by `Base.mapped()`. */
export abstract class MappedObject {
  /**
   * Every attribute as a promise: `await user.awaitableAttrs.addresses` loads an unloaded
   * relationship through the object's session (SQLAlchemy's `AsyncAttrs`). Loads asked for in
   * the same tick are batched: `await Promise.all(users.map((u) => u.awaitableAttrs.posts))`
   * is one query.
   */
  get awaitableAttrs(): AwaitableAttrs<this> {
    const obj = this as unknown as Record<string | symbol, unknown>;
    return new Proxy({} as AwaitableAttrs<this>, {
      get: (_t, name) =>
        (async () => {
          const st = stateOf(obj);
          if (typeof name === 'string' && st.key !== undefined && (st.mapper.relationships.has(name) ? st.rels?.[name] === undefined : unloadedSlot(st, name))) {
            const session = st.session as RelationshipLoader | undefined;
            if (!session) {
              throw new InvalidRequestError(`${st.mapper.name}.${name} is not loaded and this object is detached (its session is closed): add it to a session or query it again.`);
            }
            // Loads asked for in the same tick run together: one IN query per relationship.
            await session.loadRelationshipBatched(obj, name);
          }
          return obj[name];
        })(),
    });
  }

  /** The loaded column and column property values by name (relationships are left out: they may form cycles). */
  toJSON(): Record<string, unknown> {
    const st = stateOf(this);
    const out: Record<string, unknown> = {};
    const keys = st.mapper.columnKeys;
    for (let i = 0; i < keys.length; i++) if (st.values[i] !== undefined) out[keys[i]] = st.values[i];
    for (const p of st.mapper.columnProperties) if (st.values[p.slot] !== undefined) out[p.name] = st.values[p.slot];
    return out;
  }

  /** `console.log(user)` shows `User { id: 1, name: 'sandy' }`, not the accessors' empty object. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: unknown, inspect: (v: unknown, o: unknown) => string): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }
}

/** A column or column property whose value is not loaded. */
function unloadedSlot(st: InstanceState, name: string): boolean {
  const slot = st.mapper.slotOf(name);
  return slot !== undefined && st.values[slot] === undefined;
}
