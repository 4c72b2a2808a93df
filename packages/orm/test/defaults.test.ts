/**
 * After INSERT the object holds what the row holds: client-side defaults evaluated by the
 * flush, server defaults fetched back (RETURNING, or a SELECT where the database has no
 * INSERT ... RETURNING), NULL for columns left out. onUpdate values land on the object too.
 */
import { Column, DateTime, type Engine, Integer, String, createEngine, select, text, withCapabilities } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase, withoutTiming } from './live';

let serial = 100;
let revision = 0;
const Base = declarativeBase();
class Item extends Base.mapped('df_item', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(20), { nullable: false }),
  qty: Column(Integer, { nullable: false, serverDefault: text('7') }),
  tag: Column(String(10), { nullable: false, default: 'dflt' }),
  serial: Column(Integer, { nullable: false, default: () => ++serial }),
  stamp: Column(DateTime, { serverDefault: text('CURRENT_TIMESTAMP') }),
  note: Column(String(10)),
  revision: Column(Integer, { default: 0, onUpdate: () => ++revision }),
}) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const stored = (id: number) => live.rows(select(Item.table).where(Item.c.id.eq(id)));
  const columnsOf = (it: Item) => ({ id: it.id, name: it.name, qty: it.qty, tag: it.tag, serial: it.serial, stamp: it.stamp, note: it.note, revision: it.revision });

  async function addOne(engine: Engine, init: Partial<Item>): Promise<Item> {
    await using s = new Session(engine);
    const it = new Item(init as any);
    s.add(it);
    await s.commit();
    return it;
  }

  test('client defaults set on the object, server defaults fetched by RETURNING, NULL for the rest', async () => {
    const mark = live.log.length;
    const it = await addOne(live.engine, { name: 'a' });
    const qty: number = it.qty; // typed non-null, and so it is
    expect(qty).toBe(7);
    expect(it.tag).toBe('dflt');
    expect(it.serial).toBe(serial);
    expect(it.stamp).toBeInstanceOf(Date);
    expect(it.note).toBeNull();
    expect(it.revision).toBe(0);
    const [ins] = live.writes(mark);
    expect(ins).toMatch(/RETURNING .*qty.*stamp/);
    expect(live.log.slice(mark).filter((l) => /^SELECT/.test(l))).toEqual([]);
    expect(await stored(it.id)).toEqual([columnsOf(it)]);
  });

  test('a function default is evaluated once per object; given values are kept and not fetched', async () => {
    const a = await addOne(live.engine, { name: 'b1' });
    const b = await addOne(live.engine, { name: 'b2', qty: 3, tag: 'mine', note: 'n' });
    expect(b.serial).toBe(a.serial + 1);
    expect([b.qty, b.tag, b.note]).toEqual([3, 'mine', 'n']);
    expect(await stored(a.id)).toEqual([columnsOf(a)]);
    expect(await stored(b.id)).toEqual([columnsOf(b)]);
  });

  // MySQL (and MariaDB before 10.5) and SQLite before 3.35 have no INSERT ... RETURNING. PostgreSQL always
  // has it and gives no insert id without it: there the path does not exist.
  if (db.name === 'postgresql') {
    test('PostgreSQL has INSERT ... RETURNING, the only way it gives generated values back', () => {
      expect(live.engine.dialect.capabilities.dml.returning.insert).toBe(true);
    });
  } else {
    test('without INSERT ... RETURNING: the key from the driver, server defaults by one SELECT', withoutReturning);
  }

  async function withoutReturning() {
    const log: string[] = [];
    const plain = createEngine(live.url, { ...live.options, echo: (l) => log.push(withoutTiming(l)) });
    try {
      await plain.connect(async () => undefined); // the first connection sets the capabilities from the server
      // Defined over the dialect's own property (MySQL's is a getter by server version).
      const capabilities = withCapabilities(plain.dialect.capabilities, { dml: { returning: { insert: false, update: false, delete: false } } });
      Object.defineProperty(plain.dialect, 'capabilities', { value: capabilities, configurable: true });
      const it = await addOne(plain, { name: 'c' });
      expect(log.some((l) => /RETURNING/.test(l))).toBe(false);
      expect(log.filter((l) => /^SELECT .*qty.*stamp/.test(l))).toHaveLength(1);
      expect(typeof it.id).toBe('number');
      expect(it.qty).toBe(7);
      expect(it.stamp).toBeInstanceOf(Date);
      expect(await stored(it.id)).toEqual([columnsOf(it)]);
    } finally {
      await plain.dispose();
    }
  }

  test('onUpdate: evaluated by the flush for an UPDATE that does not set the column, and held by the object', async () => {
    await using s = new Session(live.engine);
    const it = new Item({ name: 'd' });
    s.add(it);
    await s.commit();
    it.name = 'd2';
    await s.commit();
    expect(it.revision).toBe(revision);
    expect(await stored(it.id)).toEqual([columnsOf(it)]);
    it.name = 'd3';
    it.revision = 42; // set by the user: kept
    await s.commit();
    expect(await stored(it.id)).toEqual([{ ...columnsOf(it), revision: 42 }]);
  });
});
