/**
 * Custom `primaryjoin` / `secondaryjoin` written in Core: equalities between the two sides
 * are the key pairs the flush writes; other terms filter what the loaders load. A
 * self-referential many-to-many (followers) needs both joins to tell its two columns apart.
 */
import { ArgumentError, Boolean as BooleanType, Column, ForeignKey, Integer, InvalidRequestError, String, Table, and, select } from '@athanor/core';
import { NoForeignKeysError, Session, aliased, declarativeBase, joinedload, rel, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Customer extends Base.mapped('cj_customer', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  code: Column(String(10), { nullable: false, unique: true }),
}) {
  declare orders: Order[];
  declare openOrders: Order[];
}
class Order extends Base.mapped('cj_order', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  // No ForeignKey: the relationship names the column with foreignKeys.
  customerCode: Column(String(10), { name: 'customer_code' }),
  open: Column(BooleanType, { nullable: false }),
}) {}
Base.relationships(Customer, {
  orders: relationship(Order, { primaryjoin: Customer.c.code.eq(Order.c.customerCode), foreignKeys: Order.c.customerCode, orderBy: Order.c.id }),
  // A function returning the condition is accepted too; the extra term makes it a filtered, read-only view.
  openOrders: relationship(Order, {
    primaryjoin: () => and(Customer.c.code.eq(Order.c.customerCode), Order.c.open.eq(true)),
    foreignKeys: Order.c.customerCode,
    viewonly: true,
    orderBy: Order.c.id,
  }),
});

const follows = new Table('cj_follows', Base.metadata, {
  followerId: Column(Integer, ForeignKey('cj_user.id'), { name: 'follower_id', primaryKey: true }),
  followedId: Column(Integer, ForeignKey('cj_user.id'), { name: 'followed_id', primaryKey: true }),
});
class User extends Base.mapped('cj_user', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(20), { nullable: false }) }) {
  declare following: User[];
  declare followers: User[];
}
Base.relationships(User, {
  following: relationship(User, {
    secondary: follows,
    primaryjoin: User.c.id.eq(follows.c.followerId),
    secondaryjoin: User.c.id.eq(follows.c.followedId),
    backPopulates: 'followers',
    orderBy: User.c.id,
  }),
  followers: relationship(User, {
    secondary: follows,
    primaryjoin: User.c.id.eq(follows.c.followedId),
    secondaryjoin: User.c.id.eq(follows.c.followerId),
    backPopulates: 'following',
    orderBy: User.c.id,
  }),
});

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const followRows = async () =>
    (await live.rows<{ followerId: number; followedId: number }>(select(follows.c.followerId, follows.c.followedId).orderBy(follows.c.followerId, follows.c.followedId))).map((r) => [
      r.followerId,
      r.followedId,
    ]);

  test('primaryjoin on a column named by foreignKeys: the flush writes the key pair', async () => {
    {
      await using s = new Session(live.engine);
      const c = new Customer({ id: 1, code: 'ACME' });
      c.orders.push(new Order({ id: 1, open: true }), new Order({ id: 2, open: false }), new Order({ id: 3, open: true }));
      s.add(c);
      await s.commit();
    }
    expect(await live.rows(select(Order.c.id, Order.c.customerCode).orderBy(Order.c.id))).toEqual([
      { id: 1, customerCode: 'ACME' },
      { id: 2, customerCode: 'ACME' },
      { id: 3, customerCode: 'ACME' },
    ]);
  });

  test('the extra term filters what selectinload and joinedload load; the plain relationship loads all', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const [c] = (await s.scalars(select(Customer).options(selectinload(Customer, 'openOrders'), selectinload(Customer, 'orders')))).all();
    expect(c.openOrders.map((o) => o.id)).toEqual([1, 3]);
    expect(c.orders.map((o) => o.id)).toEqual([1, 2, 3]);
    const selects = live.log.slice(mark).filter((l) => l.startsWith('SELECT'));
    expect(selects.some((q) => /\W?cj_order\W?\.\W?open\W? = /.test(q))).toBe(true);
    await using s2 = new Session(live.engine);
    const mark2 = live.log.length;
    const [c2] = (await s2.scalars(select(Customer).options(joinedload(Customer, 'openOrders')))).all();
    expect(c2.openOrders.map((o) => o.id)).toEqual([1, 3]);
    // Joined for real: the extra term is in the ON clause, on the join's alias (one statement).
    const joined = live.log.slice(mark2).filter((l) => l.startsWith('SELECT'));
    expect(joined).toHaveLength(1);
    expect(joined[0].replace(/[`"]/g, '')).toMatch(/LEFT OUTER JOIN cj_order AS cj_order_j1 ON cj_order_j1\.customer_code = cj_customer\.code AND cj_order_j1\.open = /);
  });

  test('in statements: any() and a join along the relationship carry the extra term; an alias of the target is refused', async () => {
    {
      await using s = new Session(live.engine);
      const zed = new Customer({ id: 2, code: 'ZED' });
      zed.orders.push(new Order({ id: 4, open: false }));
      s.add(zed);
      await s.commit();
    }
    const codes = async (stmt: Parameters<typeof live.rows>[0]) => (await live.rows<{ code: string }>(stmt)).map((r) => r.code);
    expect(await codes(select(Customer.c.code).where(rel(Customer, 'openOrders').any()).orderBy(Customer.c.code))).toEqual(['ACME']);
    expect(await codes(select(Customer.c.code).where(rel(Customer, 'orders').any()).orderBy(Customer.c.code))).toEqual(['ACME', 'ZED']);
    expect(await codes(select(Customer.c.code).join(rel(Customer, 'openOrders')).orderBy(Customer.c.code))).toEqual(['ACME', 'ACME']);
    const o = aliased(Order, 'o');
    expect(() => select(Customer.c.code).join(rel(Customer, 'openOrders').ofType(o))).toThrow(InvalidRequestError);
    expect(() => select(Customer.c.code).join(rel(Customer, 'openOrders').ofType(o))).toThrow(/cannot be applied to an alias/);
  });

  test('self-referential many-to-many: both directions written as one association row per link and loaded', async () => {
    {
      await using s = new Session(live.engine);
      const [ann, bob, cy] = [1, 2, 3].map((id) => new User({ id, name: ['ann', 'bob', 'cy'][id - 1] }));
      ann.following.push(bob, cy);
      // From the other side: cy is followed by bob.
      cy.followers.push(bob);
      expect(bob.following).toEqual([cy]);
      s.addAll([ann, bob, cy]);
      await s.commit();
    }
    expect(await followRows()).toEqual([
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    await using s = new Session(live.engine);
    const users = (await s.scalars(select(User).options(selectinload(User, 'following'), selectinload(User, 'followers')).orderBy(User.c.id))).all();
    expect(users.map((u) => [u.name, u.following.map((f) => f.name), u.followers.map((f) => f.name)])).toEqual([
      ['ann', ['bob', 'cy'], []],
      ['bob', ['cy'], ['ann']],
      ['cy', [], ['ann', 'bob']],
    ]);
  });

  test('self-referential many-to-many: unfollowing deletes its row; deleting a user deletes its rows in both columns', async () => {
    {
      await using s = new Session(live.engine);
      const [ann, bob] = (await s.scalars(select(User).where(User.c.id.in([1, 2])).options(selectinload(User, 'following')).orderBy(User.c.id))).all();
      ann.following.splice(0, 1);
      s.delete(bob);
      await s.commit();
    }
    expect(await followRows()).toEqual([[1, 3]]);
  });

  test('terms the loaders cannot honour, and joins without a foreign key, are refused at declaration', () => {
    const B = declarativeBase();
    class P extends B.mapped('cj_p', { id: Column(Integer, { primaryKey: true }), flag: Column(Integer) }) {}
    class K extends B.mapped('cj_k', { id: Column(Integer, { primaryKey: true }), pId: Column(Integer, ForeignKey('cj_p.id')), other: Column(Integer) }) {}
    expect(() => B.relationships(P, { k: relationship(K, { primaryjoin: and(P.c.id.eq(K.c.pId), P.c.flag.eq(1)) }) } as never)).toThrow(/naming cj_p.flag is not a key equality/);
    expect(() => B.relationships(P, { k: relationship(K, { primaryjoin: P.c.id.eq(K.c.other) }) } as never)).toThrow(NoForeignKeysError);
    expect(() => B.relationships(P, { k: relationship(K, { primaryjoin: 'p.id = k.p_id' as never }) } as never)).toThrow(ArgumentError);
    expect(() => Base.relationships(User, { following: relationship(User, { secondary: follows }) })).toThrow(/primaryjoin and secondaryjoin/);
    expect(() => Base.relationships(User, { following: relationship(User, { secondary: follows, primaryjoin: User.c.id.eq(follows.c.followerId) }) })).toThrow(/needs both primaryjoin/);
  });
});
