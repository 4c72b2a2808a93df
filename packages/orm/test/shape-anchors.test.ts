/**
 * The objects a load makes keep their hidden classes across full garbage collections
 * (util/shape-anchors.ts): for each kind (entity, its state, a loaded collection, the
 * session, its identity map) an anchor built the same way is alive, with the very same V8
 * map as the objects the load made; so do objects made by the classes' constructors and the
 * transactions sessions begin. `%HaveSameMap` compares the maps; the first test shows
 * it tells different shapes apart, so the others can fail.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { select } from '@athanor/core';
import { Session, joinedload, jsonload, selectinload } from '@athanor/orm';
import { instrumented } from '../src/collection';
import { maybeState, stateOf } from '../src/state/instance-state';
import { keptShapes } from '../src/util/shape-anchors';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';
import { Base, Post, User, seed } from './loading-models';

setFlagsFromString('--allow-natives-syntax');
setFlagsFromString('--expose-gc');
const sameShape = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const gc = runInNewContext('gc') as () => void;

/** Whether some anchor (of the process, or kept while `owner` lives) has `obj`'s shape. */
const anchored = (obj: object, owner?: object) => keptShapes(owner).some((k) => sameShape(k, obj));
/** The states of the anchors (an entity anchor carries one). */
const anchorStates = () => keptShapes().flatMap((k) => maybeState(k) ?? []);

test('collections of every kind of array the loaders make have anchored shapes: literals, map() results, new Array(n)', () => {
  const filled = (n: number) => {
    const list = new Array<object>(n);
    for (let i = 0; i < n; i++) list[i] = {};
    return list;
  };
  const kinds = [[], [{}, {}], [1, 2].map(() => ({})), filled(0), filled(3)];
  for (const list of kinds) expect(anchored(instrumented(list, {}, undefined as never))).toBe(true);
  expect(anchored(instrumented([1.5] as never, {}, undefined as never))).toBe(false);
});

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  beforeAll(() => seed(live));

  async function loadUsers(option: unknown): Promise<{ session: Session; users: User[] }> {
    const session = new Session(live.engine);
    const users = (await session.scalars(select(User).orderBy(User.c.id).options(option as never))).all();
    return { session, users };
  }

  test('the check tells shapes apart', async () => {
    const { session, users } = await loadUsers(selectinload(User, 'posts'));
    expect(sameShape(users[0], users[1])).toBe(true);
    expect(sameShape(users[0], users[0].posts[0])).toBe(false);
    expect(sameShape(users[0], {})).toBe(false);
    expect(anchored({ unrelated: true })).toBe(false);
    await session.close();
  });

  test.each([
    ['selectinload', selectinload(User, 'posts')],
    ['joinedload', joinedload(User, 'posts')],
    ['jsonload', jsonload(User, 'posts')],
  ])('%s: entities, states, collections, the session and its identity map have anchored shapes, also after a full collection', async (_, option) => {
    for (let round = 0; round < 2; round++) {
      const { session, users } = await loadUsers(option);
      const user = users[0];
      const post = user.posts[0];
      expect(post).toBeInstanceOf(Post);
      expect(anchored(user)).toBe(true);
      expect(anchored(post)).toBe(true);
      expect(anchorStates().some((s) => sameShape(s, stateOf(user)))).toBe(true);
      expect(anchored(user.posts)).toBe(true);
      expect(anchored(session, live.engine)).toBe(true);
      expect(anchored(session.identityMap)).toBe(true);
      const byKey = (session.identityMap as unknown as { byMapper: Map<unknown, object> }).byMapper;
      expect([...byKey.values()].every((m) => anchored(m))).toBe(true);
      await session.close();
      // Nothing of the first round is alive but the anchors: the second round's objects still share their shapes.
      gc();
    }
  });

  test('objects made with the constructor, and the transaction a session begins, have anchored shapes', async () => {
    const made = new User({ id: 99, name: 'new' });
    expect(anchored(made)).toBe(true);
    await using session = new Session(live.engine);
    const tx = await session.begin();
    expect(anchored(tx)).toBe(true);
    await tx.rollback();
  });
});
