/**
 * Load state in the types. A loader option marks its entity's rows with the paths it loads
 * (a phantom `__athanorLoads` tree that core's `select().options()` folds into the row
 * type); the session's results then show such an object as `Loaded<User, { posts: {} }>`:
 * the loaded relationships keep their type (`Post[]`; where the path goes on, each post as
 * `Loaded<Post, ...>` in turn), and the relationships no option loaded are typed `never`,
 * so using one (`user.tags.length`, `for (const t of user.tags)`) does not compile. `never`
 * rather than leaving them out keeps a loaded object assignable to its class (`f(user: User)`);
 * `awaitableAttrs` keeps the declared types (it loads what the statement did not).
 * Entities the options do not name keep their declared class type, and so do the objects
 * at the end of a path (a loaded collection also fills its children's mirrored side).
 */
import type { MappedObject } from './mapped-object';
import type { RelationshipKey } from './query/relationship-handle';
import type { AwaitableAttrs } from './types';

type TreeOf<V> = V extends { readonly __athanorLoads?: infer T } ? (unknown extends T ? undefined : NonNullable<T>) : undefined;

/** The keys of tree `T` whose path goes on below them. */
type Deeper<T> = { [K in keyof T]: keyof T[K] extends never ? never : K }[keyof T];

type LoadedRelationship<X, T> = [X] extends [readonly (infer E)[]] ? Loaded<E, T>[] : Loaded<NonNullable<X>, T> | (null extends X ? null : never);

/** The relationships of `V` the tree does not load, as `never`. */
type NotLoaded<V, T> = { readonly [K in Exclude<RelationshipKey<V>, keyof T>]: never };

/**
 * `V` with the relationships of tree `T` loaded (`Loaded<User, { posts: { comments: {} } }>`)
 * and its other relationships typed `never`: load them with the query's options, or read
 * them through `awaitableAttrs`.
 */
export type Loaded<V, T = {}> = Omit<V, Deeper<T> | 'awaitableAttrs'> &
  { [K in Deeper<T> & RelationshipKey<V>]: LoadedRelationship<V[K], T[K]> } &
  NotLoaded<V, T> & {
    /** Loads what the statement did not, with the declared types. */
    readonly awaitableAttrs: AwaitableAttrs<V>;
  };

/** A row value as the session returns it: a marked object as `Loaded<>`, anything else as is. */
export type LoadedValue<V> = V extends MappedObject ? (TreeOf<V> extends undefined ? V : Loaded<V, TreeOf<V>>) : V;

/** A row of a session result, each value through `LoadedValue`. */
export type LoadedRow<R> = { [K in keyof R]: LoadedValue<R[K]> };
