/**
 * Horizontal sharding, live: a ShardedSession over three databases of one server (three
 * PostgreSQL databases, three MariaDB databases, three SQLite files), and once more over
 * one database of each kind; customers placed by region, their orders and order lines with
 * them. Rows are read back through Core on each shard's own engine, and the statements each
 * shard ran are counted with engine events.
 */
import {
  Column,
  type Engine,
  ForeignKey,
  Integer,
  InvalidRequestError,
  String,
  createEngine,
  select,
  update,
} from '@athanor/core';
import {
  Session,
  ShardedSession,
  comparedValues,
  declarativeBase,
  joinedload,
  relationship,
  selectinload,
  shardOf,
  statusOf,
} from '@athanor/orm';
import { type FreshDatabase, type TestDatabase, databases } from './databases';

const Base = declarativeBase();
class Customer extends Base.mapped('shard_customer', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(String(40), { nullable: false }),
  region: Column(String(10), { nullable: false }),
}) {
  declare orders: Order[];
}
class Order extends Base.mapped('shard_order', {
  id: Column(Integer, { primaryKey: true }),
  customerId: Column(Integer, ForeignKey('shard_customer.id'), { name: 'customer_id', nullable: false }),
  item: Column(String(40), { nullable: false }),
}) {
  declare customer: Customer | null;
  declare lines: Line[];
}
class Line extends Base.mapped('shard_line', {
  id: Column(Integer, { primaryKey: true }),
  orderId: Column(Integer, ForeignKey('shard_order.id'), { name: 'order_id', nullable: false }),
  text: Column(String(40), { nullable: false }),
}) {
  declare order: Order | null;
}
Base.relationships(Customer, {
  orders: relationship(Order, { backPopulates: 'customer', cascade: 'all, delete-orphan' }),
});
Base.relationships(Order, {
  customer: relationship(Customer, { backPopulates: 'orders' }),
  lines: relationship(Line, { backPopulates: 'order', cascade: 'all, delete-orphan' }),
});
Base.relationships(Line, { order: relationship(Order, { backPopulates: 'lines' }) });

const SHARDS = ['east', 'west', 'south'] as const;
/** Customer ids carry their shard: 1xx east, 2xx west, 3xx south (so get() can narrow). */
const shardOfId = (id: number) => SHARDS[Math.floor(id / 100) - 1];

/** A suite per server (three databases on it), and one with a shard on each kind of database. */
function describeShards(fn: (env: ShardEnv) => void): void {
  for (const db of databases)
    (db.available ? describe : describe.skip)(`${db.name}: a ShardedSession over three databases`, () =>
      fn(useShards([db, db, db])),
    );
  const mixed = ['sqlite', 'postgresql', 'mariadb'].map((n) => databases.find((d) => d.name === n)!);
  (mixed.every((d) => d.available) ? describe : describe.skip)(
    'mixed: east on SQLite, west on PostgreSQL, south on MariaDB',
    () => fn(useShards(mixed)),
  );
}

interface ShardEnv {
  engines: Record<string, Engine>;
  /** Row statements (SELECT, INSERT, UPDATE, DELETE) each shard's engine ran since the last reset. */
  statements: Record<string, number>;
  resetCounts(): void;
  session(extra?: Partial<ConstructorParameters<typeof ShardedSession>[0]>): ShardedSession;
  rows(shard: string, stmt: any): Promise<Record<string, unknown>[]>;
}

function useShards(kinds: readonly TestDatabase[]): ShardEnv {
  const fresh: FreshDatabase[] = [];
  const engines: Record<string, Engine> = {};
  const statements: Record<string, number> = {};
  beforeAll(async () => {
    for (const [i, shard] of SHARDS.entries()) {
      const d = await kinds[i].database();
      fresh.push(d);
      engines[shard] = createEngine(d.url, d.options);
      // Statements that read or write rows (not BEGIN/COMMIT, which each shard's transaction adds).
      engines[shard].on('beforeExecute', (e) => {
        if (/^(SELECT|INSERT|UPDATE|DELETE)\b/i.test(e.sql)) statements[shard] = (statements[shard] ?? 0) + 1;
      });
      await Base.metadata.createAll(engines[shard]);
    }
  });
  afterAll(async () => {
    for (const e of Object.values(engines)) await e.dispose();
    for (const d of fresh) await d.drop();
  });
  return {
    engines,
    statements,
    resetCounts: () => {
      for (const s of SHARDS) statements[s] = 0;
    },
    session: (extra = {}) =>
      new ShardedSession({
        shards: engines,
        shardChooser: (_cls, obj) =>
          obj instanceof Customer
            ? obj.region
            : obj instanceof Line
              ? shardOf(obj.order!)!
              : (obj as Order).customer!.region,
        identityChooser: (cls, [id]) => (cls === Customer ? [shardOfId(id as number)] : [...SHARDS]),
        queryChooser: (stmt) =>
          (comparedValues(stmt, Customer.c.region) as string[] | undefined) ?? [...SHARDS],
        ...extra,
      }),
    rows: (shard, stmt) =>
      engines[shard].connect(async (c) => (await c.execute(stmt)).all() as Record<string, unknown>[]),
  };
}

const customerRows = (env: ShardEnv, shard: string) =>
  env.rows(shard, select(Customer.c.id, Customer.c.name).orderBy(Customer.c.id));
const orderRows = (env: ShardEnv, shard: string) =>
  env.rows(shard, select(Order.c.id, Order.c.customerId, Order.c.item).orderBy(Order.c.id));

describeShards((env) => {
  test('new objects are written to the shard the chooser picks, their orders with them', async () => {
    await using s = env.session();
    const ann = new Customer({ id: 101, name: 'ann', region: 'east' });
    ann.orders.push(new Order({ item: 'lamp' }), new Order({ item: 'desk' }));
    const bob = new Customer({ id: 201, name: 'bob', region: 'west' });
    bob.orders.push(new Order({ item: 'rope' }));
    const cid = new Customer({ id: 301, name: 'cid', region: 'south' });
    const dee = new Customer({ id: 102, name: 'dee', region: 'east' });
    dee.orders.push(new Order({ item: 'mug' }));
    s.addAll([ann, bob, cid, dee]);
    await s.commit();
    expect([ann, bob, cid, dee, ann.orders[0], bob.orders[0]].map(shardOf)).toEqual([
      'east',
      'west',
      'south',
      'east',
      'east',
      'west',
    ]);
    expect(await customerRows(env, 'east')).toEqual([
      { id: 101, name: 'ann' },
      { id: 102, name: 'dee' },
    ]);
    expect(await customerRows(env, 'west')).toEqual([{ id: 201, name: 'bob' }]);
    expect(await customerRows(env, 'south')).toEqual([{ id: 301, name: 'cid' }]);
    // Each shard numbers its own orders: order 1 exists on east and on west.
    expect(await orderRows(env, 'east')).toEqual([
      { id: 1, customerId: 101, item: 'lamp' },
      { id: 2, customerId: 101, item: 'desk' },
      { id: 3, customerId: 102, item: 'mug' },
    ]);
    expect(await orderRows(env, 'west')).toEqual([{ id: 1, customerId: 201, item: 'rope' }]);
    expect(await orderRows(env, 'south')).toEqual([]);
  });

  test('get() asks the shards the identity chooser names, and only those', async () => {
    await using s = env.session();
    env.resetCounts();
    const bob = await s.get(Customer, 201);
    expect(bob?.name).toBe('bob');
    expect(shardOf(bob!)).toBe('west');
    expect(env.statements).toEqual({ east: 0, west: 1, south: 0 });
    // Now in the identity map of its shard: no statement.
    expect(await s.get(Customer, 201)).toBe(bob);
    expect(env.statements).toEqual({ east: 0, west: 1, south: 0 });
    // A key the chooser places on east is not searched for on west.
    expect(await s.get(Customer, 199)).toBeNull();
    expect(env.statements).toEqual({ east: 1, west: 1, south: 0 });
  });

  test('a query the chooser cannot narrow runs on every shard, rows merged', async () => {
    await using s = env.session();
    env.resetCounts();
    const all = (await s.scalars(select(Customer))).all();
    expect(all.map((c) => `${c.name}@${shardOf(c)}`).sort()).toEqual([
      'ann@east',
      'bob@west',
      'cid@south',
      'dee@east',
    ]);
    expect(env.statements).toEqual({ east: 1, west: 1, south: 1 });
    const orders = (await s.scalars(select(Order))).all();
    expect(orders.map((o) => `${o.id}:${o.item}@${shardOf(o)}`).sort()).toEqual([
      '1:lamp@east',
      '1:rope@west',
      '2:desk@east',
      '3:mug@east',
    ]);
    // Rows of columns merge too, by name and by position.
    const pairs = (await s.execute(select(Customer.c.name, Customer.c.region))).tuples();
    expect(pairs.map(([n, r]) => `${n}/${r}`).sort()).toEqual([
      'ann/east',
      'bob/west',
      'cid/south',
      'dee/east',
    ]);
    // joinedload joins inside each shard's statement: each customer's orders are its shard's.
    await using s2 = env.session();
    const joined = (await s2.scalars(select(Customer).options(joinedload(Customer, 'orders')))).all();
    expect(
      Object.fromEntries(joined.map((c) => [c.name, c.orders.map((o) => `${o.id}@${shardOf(o)}`).sort()])),
    ).toEqual({
      ann: ['1@east', '2@east'],
      bob: ['1@west'],
      cid: [],
      dee: ['3@east'],
    });
  });

  test('a narrowed query runs on its shard only', async () => {
    await using s = env.session();
    env.resetCounts();
    const west = (await s.scalars(select(Customer).where(Customer.c.region.eq('west')))).all();
    expect(west.map((c) => c.name)).toEqual(['bob']);
    expect(env.statements).toEqual({ east: 0, west: 1, south: 0 });
    const eastOrSouth = (
      await s.scalars(select(Customer).where(Customer.c.region.in(['east', 'south'])))
    ).all();
    expect(eastOrSouth.map((c) => c.name).sort()).toEqual(['ann', 'cid', 'dee']);
    expect(env.statements).toEqual({ east: 1, west: 1, south: 1 });
    // An explicit shard wins over the chooser.
    const south = (await s.scalars(select(Customer), undefined, { shardId: 'south' })).all();
    expect(south.map((c) => c.name)).toEqual(['cid']);
    expect(env.statements).toEqual({ east: 1, west: 1, south: 2 });
    // A shard the chooser names twice runs once.
    await using twice = env.session({ queryChooser: () => ['west', 'west'] });
    env.resetCounts();
    expect((await twice.scalars(select(Customer))).all().map((c) => c.name)).toEqual(['bob']);
    expect(env.statements).toEqual({ east: 0, west: 1, south: 0 });
  });

  test('the same primary key on two shards is two objects', async () => {
    await using s = env.session();
    const eastOrder = await s.get(Order, 1, { shardId: 'east' });
    const westOrder = await s.get(Order, 1, { shardId: 'west' });
    expect(eastOrder?.item).toBe('lamp');
    expect(westOrder?.item).toBe('rope');
    expect(eastOrder).not.toBe(westOrder);
    expect([shardOf(eastOrder!), shardOf(westOrder!)]).toEqual(['east', 'west']);
    // Both are in the session; a query over all shards returns these same objects.
    const all = (await s.scalars(select(Order).where(Order.c.id.eq(1)))).all();
    expect(all).toHaveLength(2);
    expect(all).toContain(eastOrder);
    expect(all).toContain(westOrder);
  });

  test("updates and deletes are written to each object's own shard", async () => {
    await using s = env.session();
    const eastOrder = await s.get(Order, 1, { shardId: 'east' });
    const westOrder = await s.get(Order, 1, { shardId: 'west' });
    eastOrder!.item = 'lamp (blue)';
    s.delete(westOrder!);
    const dee = await s.get(Customer, 102);
    dee!.name = 'dee b.';
    env.resetCounts();
    await s.commit();
    expect(await orderRows(env, 'east')).toEqual([
      { id: 1, customerId: 101, item: 'lamp (blue)' },
      { id: 2, customerId: 101, item: 'desk' },
      { id: 3, customerId: 102, item: 'mug' },
    ]);
    expect(await orderRows(env, 'west')).toEqual([]);
    expect((await customerRows(env, 'east')).map((r) => r.name)).toEqual(['ann', 'dee b.']);
    expect(env.statements.south).toBe(0);
  });

  test('relationships load on the shard of their object (lazy and selectin)', async () => {
    await using s = env.session();
    const ann = await s.get(Customer, 101);
    env.resetCounts();
    const orders = await ann!.awaitableAttrs.orders;
    expect(orders.map((o) => o.item).sort()).toEqual(['desk', 'lamp (blue)']);
    expect(env.statements).toEqual({ east: 1, west: 0, south: 0 });
    const customers = (await s.scalars(select(Customer).options(selectinload(Customer, 'orders')))).all();
    const byName = Object.fromEntries(
      customers.map((c) => [c.name, c.orders.map((o) => `${o.item}@${shardOf(o)}`).sort()]),
    );
    // bob's order 1 was deleted on west; ann's order 1 on east stays hers.
    expect(byName).toEqual({
      ann: ['desk@east', 'lamp (blue)@east'],
      bob: [],
      cid: [],
      'dee b.': ['mug@east'],
    });
    const mug = customers.find((c) => c.name === 'dee b.')!.orders[0];
    expect(mug.customer).toBe(customers.find((c) => c.name === 'dee b.'));
  });

  test('rollback discards the work on every shard', async () => {
    await using s = env.session();
    const eve = new Customer({ id: 202, name: 'eve', region: 'west' });
    const fay = new Customer({ id: 302, name: 'fay', region: 'south' });
    s.addAll([eve, fay]);
    await s.flush();
    const cid = await s.get(Customer, 301);
    cid!.name = 'cid b.';
    await s.flush();
    expect(
      (await s.scalars(select(Customer).where(Customer.c.region.in(['west', 'south']))))
        .all()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['bob', 'cid b.', 'eve', 'fay']);
    await s.rollback();
    expect(await customerRows(env, 'west')).toEqual([{ id: 201, name: 'bob' }]);
    expect(await customerRows(env, 'south')).toEqual([{ id: 301, name: 'cid' }]);
    expect([statusOf(eve), statusOf(fay), statusOf(cid!)]).toEqual(['transient', 'transient', 'persistent']);
    // The rollback expired cid; refresh() reads it back from its own shard.
    env.resetCounts();
    await s.refresh(cid!);
    expect(cid!.name).toBe('cid');
    expect(env.statements).toEqual({ east: 0, west: 0, south: 1 });
    // A new object's shard is chosen at each flush until its row exists: eve changed region after the rollback.
    eve.region = 'south';
    s.add(eve);
    env.resetCounts();
    await s.flush();
    expect(shardOf(eve)).toBe('south');
    expect(env.statements).toEqual({ east: 0, west: 0, south: 1 });
    await s.rollback();
  });

  test('a bulk UPDATE runs on the shards the chooser names; loaded objects follow', async () => {
    await using s = env.session();
    const ann = await s.get(Customer, 101);
    const bob = await s.get(Customer, 201);
    env.resetCounts();
    const res = await s.execute(update(Customer).where(Customer.c.region.eq('east')).values({ name: 'x' }));
    expect(res.rowcount).toBe(2);
    // Text is not compared in memory: the matched keys are fetched, then the UPDATE runs, both on east.
    expect(env.statements).toEqual({ east: 2, west: 0, south: 0 });
    expect(ann!.name).toBe('x');
    expect(bob!.name).toBe('bob');
    await s.rollback();
    expect((await customerRows(env, 'east')).map((r) => r.name)).toEqual(['ann', 'dee b.']);
  });

  test('refused with errors that name the fix', async () => {
    await using s = env.session({ shardChooser: () => 'north' });
    s.add(new Customer({ id: 401, name: 'gus', region: 'north' }));
    await expect(s.flush()).rejects.toThrow(
      /shardChooser\(Customer, obj\) returned the shard "north", which is not one of this session's shards \(east, west, south\)/,
    );
    await using s2 = env.session({ queryChooser: () => [] });
    await expect(s2.execute(select(Customer))).rejects.toThrow(
      /queryChooser named no shard for this statement.*\{ shardId \}/,
    );
    await using s3 = env.session();
    await expect(s3.execute(select(Customer).orderBy(Customer.c.name))).rejects.toThrow(
      /ORDER BY would hold per shard only: it runs on 3 shards/,
    );
    await expect(s3.execute(select(Customer), undefined, { shardId: 'mars' })).rejects.toThrow(
      InvalidRequestError,
    );
    await expect(s3.beginNested()).rejects.toThrow(/savepoints are not supported on a ShardedSession/);
    await s3.rollback();
    // A child placed on another shard than its parent would point into another database.
    const hal = new Customer({ id: 203, name: 'hal', region: 'west' });
    await using s4 = env.session({
      shardChooser: (_cls, obj) => (obj instanceof Customer ? obj.region : 'south'),
    });
    hal.orders.push(new Order({ item: 'cup' }));
    s4.add(hal);
    await expect(s4.flush()).rejects.toThrow(
      /Customer.orders links a Customer on shard 'west' to a Order on shard 'south'/,
    );
    await using plain = new Session(env.engines.east);
    await expect(plain.execute(select(Customer), undefined, { shardId: 'east' } as never)).rejects.toThrow(
      /option 'shardId' is for a ShardedSession/,
    );
    expect(await customerRows(env, 'west')).toEqual([{ id: 201, name: 'bob' }]);
  });

  test('relationships of rows with the same key on two shards stay apart', async () => {
    await using s = env.session();
    const bob = await s.get(Customer, 201);
    (await bob!.awaitableAttrs.orders).push(new Order({ item: 'net' }));
    await s.flush();
    const net = bob!.orders[0];
    // The west order's id is also an id on east (each shard numbers its own rows).
    const twin = await s.get(Order, net.id, { shardId: 'east' });
    expect(twin).not.toBeNull();
    expect(twin).not.toBe(net);
    (await twin!.awaitableAttrs.lines).push(new Line({ text: 'e1' }));
    net.lines.push(new Line({ text: 'w1' }), new Line({ text: 'w2' }));
    await s.commit();
    expect([shardOf(twin!.lines[0]), shardOf(net.lines[0])]).toEqual(['east', 'west']);

    await using s2 = env.session();
    const both = (
      await s2.scalars(select(Order).where(Order.c.id.eq(net.id)).options(selectinload(Order, 'lines')))
    ).all();
    const linesByShard = Object.fromEntries(both.map((o) => [shardOf(o), o.lines.map((l) => l.text).sort()]));
    expect(linesByShard).toEqual({ east: ['e1'], west: ['w1', 'w2'] });
    // A line's order comes from the identity map of the line's own shard: no statement.
    env.resetCounts();
    for (const order of both)
      for (const line of order.lines) expect(await line.awaitableAttrs.order).toBe(order);
    expect(env.statements).toEqual({ east: 0, west: 0, south: 0 });
    expect(await env.rows('west', select(Line.c.orderId, Line.c.text).orderBy(Line.c.text))).toEqual([
      { orderId: net.id, text: 'w1' },
      { orderId: net.id, text: 'w2' },
    ]);
  });

  test("merge() lands on the object of its own shard; connection({ shardId }) is that shard's", async () => {
    await using s = env.session();
    const detached = new Customer({ id: 301, name: 'cid m.', region: 'south' });
    const merged = await s.merge(detached);
    expect(shardOf(merged)).toBe('south');
    expect(merged).not.toBe(detached);
    await s.commit();
    expect(await customerRows(env, 'south')).toEqual([{ id: 301, name: 'cid m.' }]);
    await using s2 = env.session();
    const south = await s2.connection({ shardId: 'south' });
    expect((await south.execute(select(Customer.c.name))).all()).toEqual([{ name: 'cid m.' }]);
    await expect(s2.connection()).rejects.toThrow(/name the shard: connection\(\{ shardId \}\)/);
    expect(() => env.session({ binds: new Map() } as never)).toThrow(
      /option 'binds' is not supported on a sharded session/,
    );
  });
});

const postgres = databases.find((d) => d.name === 'postgresql')!;
(postgres.available ? describe : describe.skip)('a later shard whose COMMIT fails', () => {
  const fresh: FreshDatabase[] = [];
  const shards: Record<string, Engine> = {};
  // A unique constraint checked at COMMIT (PostgreSQL's INITIALLY DEFERRED): the flush succeeds, the second shard's COMMIT fails.
  const ddl =
    'CREATE TABLE shard_ticket (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL CONSTRAINT shard_ticket_code UNIQUE DEFERRABLE INITIALLY DEFERRED)';
  const Tickets = declarativeBase();
  class Ticket extends Tickets.mapped('shard_ticket', {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    code: Column(String(10), { nullable: false }),
  }) {}
  beforeAll(async () => {
    for (const [id, db] of [
      ['lite', databases.find((d) => d.name === 'sqlite')!],
      ['pg', postgres],
    ] as const) {
      const d = await db.database();
      fresh.push(d);
      shards[id] = createEngine(d.url, d.options);
      await shards[id].connect((c) =>
        c.execDriverSQL(
          id === 'pg'
            ? ddl
            : 'CREATE TABLE shard_ticket (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE)',
        ),
      );
    }
  });
  afterAll(async () => {
    for (const e of Object.values(shards)) await e.dispose();
    for (const d of fresh) await d.drop();
  });

  test('the shards committed before it stay committed, the error names them, the rest is rolled back', async () => {
    await using s = new ShardedSession({
      shards,
      shardChooser: (_cls, t) => ((t as Ticket).id < 100 ? 'lite' : 'pg'),
    });
    s.addAll([
      new Ticket({ id: 1, code: 'A' }),
      new Ticket({ id: 101, code: 'B' }),
      new Ticket({ id: 102, code: 'B' }),
    ]);
    await s.flush();
    await expect(s.commit()).rejects.toThrow(
      /The session's COMMIT failed on shard 'pg' \(.*\) after shard 'lite' \(.*\) committed: those changes stay, the rest were rolled back/,
    );
    const codes = (id: string) =>
      shards[id].connect(async (c) =>
        (await c.execute(select(Ticket.c.id).orderBy(Ticket.c.id))).scalars().all(),
      );
    expect(await codes('lite')).toEqual([1]);
    expect(await codes('pg')).toEqual([]);
    // The session is usable again: a new transaction on every shard.
    expect((await s.scalars(select(Ticket))).all().map((t) => t.id)).toEqual([1]);
  });
});
