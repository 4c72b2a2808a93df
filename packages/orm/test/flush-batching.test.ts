/**
 * How many statements a flush sends, counted from the engine's echo log, and whether what
 * the database made (generated keys, server defaults) lands on the right object. New
 * objects of one class go in multi-row INSERTs of min(1000, maxParams / columns) rows;
 * dirty objects changing the same column go as one executemany; deletes as
 * `DELETE … WHERE id IN (…)`. The rows are read back with Core and compared per object.
 */
import { Column, type ColumnDef, Integer, String, createEngine, select, text, withCapabilities } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { type TestDatabase, describeEach } from './databases';
import { type LiveDatabase, useLiveDatabase } from './live';

const N = 1000;
const WIDE = 40;

/** A server default that differs per row, in each database's own SQL. */
const randomDefault: Record<string, string> = {
  sqlite: '(abs(random()) % 1000000000)',
  postgresql: '(floor(random() * 1000000000))',
  mariadb: '(floor(rand() * 1000000000))',
};

function models(db: TestDatabase) {
  const Base = declarativeBase();
  class Item extends Base.mapped('fb_item', {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(30), { nullable: false, unique: true }),
    score: Column(Integer, { nullable: false }),
  }) {}
  const wideColumns: Record<string, ColumnDef<any, any>> = { id: Column(Integer, { primaryKey: true }) };
  for (let i = 0; i < WIDE; i++) wideColumns[`c${i}`] = Column(Integer, { nullable: false });
  class Wide extends Base.mapped('fb_wide', wideColumns) {}
  class Stamped extends Base.mapped('fb_stamped', {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(30), { nullable: false }),
    lucky: Column(Integer, { nullable: false, serverDefault: text(randomDefault[db.name]) }),
  }) {}
  return { Base, Item, Wide, Stamped };
}

const sqlOf = (line: string) => line.replace(/ -- .*$/, '');

describeEach((db) => {
  const { Base, Item, Wide, Stamped } = models(db);
  const live: LiveDatabase = useLiveDatabase(db, Base.metadata);
  const maxParams = () => live.engine.dialect.capabilities.dml.maxParams;
  /** The rows one multi-row INSERT holds with `columns` values each. */
  const batchSize = (columns: number) => Math.min(1000, Math.floor(maxParams() / columns));
  const returning = () => live.engine.dialect.capabilities.dml.returning.insert;

  async function addAll(objects: object[]): Promise<string[]> {
    const mark = live.log.length;
    await using s = new Session(live.engine);
    s.addAll(objects);
    await s.commit();
    return live.writes(mark);
  }

  test(`${N} new objects of one class: at most ⌈${N} / batch size⌉ INSERTs, each generated id on the object whose row it is`, async () => {
    const items = Array.from({ length: N }, (_, i) => new Item({ name: `new-${i}`, score: i }));
    const writes = await addAll(items);
    expect(writes).toHaveLength(Math.ceil(N / batchSize(2)));
    expect(writes.every((w) => /^INSERT INTO \W?fb_item\W? \(\W?name\W?, \W?score\W?\) VALUES /.test(w))).toBe(true);
    // The generated key comes back in the INSERT itself where the database has RETURNING.
    for (const w of writes) expect(/ RETURNING /.test(sqlOf(w))).toBe(returning());
    const rows = await live.rows<{ id: number; name: string; score: number }>(select(Item.table).where(Item.c.name.like('new-%')));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.size).toBe(N);
    for (const it of items) expect(byId.get(it.id)).toEqual({ id: it.id, name: it.name, score: it.score });
  });

  test(`${N} new objects of ${WIDE + 1} columns: batches of min(1000, maxParams / ${WIDE}), ids matched across batches`, async () => {
    const objects = Array.from({ length: N }, (_, n) => new Wide(Object.fromEntries(Array.from({ length: WIDE }, (_, i) => [`c${i}`, n * WIDE + i]))));
    const writes = await addAll(objects);
    expect(writes).toHaveLength(Math.ceil(N / batchSize(WIDE)));
    const rows = await live.rows<Record<string, number>>(select(Wide.table));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.size).toBe(N);
    for (const o of objects as unknown as Record<string, number>[]) {
      const row = byId.get(o.id)!;
      for (let i = 0; i < WIDE; i++) expect(row[`c${i}`]).toBe(o[`c${i}`]);
    }
  });

  test('objects giving their own key and objects leaving it to the database, in one flush: every key matched', async () => {
    const given = Array.from({ length: 300 }, (_, i) => new Item({ id: 500000 + i, name: `given-${i}`, score: -i }));
    const generated = Array.from({ length: 300 }, (_, i) => new Item({ name: `gen-${i}`, score: i }));
    // Interleaved: the flush groups them by the columns they give.
    const mixed = given.flatMap((g, i) => [g, generated[i]]);
    const writes = await addAll(mixed);
    expect(writes).toHaveLength(2);
    const rows = await live.rows<{ id: number; name: string }>(select(Item.c.id, Item.c.name).where(Item.c.name.like('g%-%')));
    const nameById = new Map(rows.map((r) => [r.id, r.name]));
    expect(nameById.size).toBe(600);
    for (const it of mixed) expect(nameById.get(it.id)).toBe(it.name);
    expect(given.map((g) => g.id)).toEqual(Array.from({ length: 300 }, (_, i) => 500000 + i));
  });

  test('without INSERT … RETURNING (as MySQL): one multi-row INSERT where the server numbers its rows consecutively, else one per row', async () => {
    const log: string[] = [];
    const plain = createEngine(live.url, { ...live.options, echo: (l) => log.push(l) });
    try {
      await plain.connect(async () => undefined); // the first connection sets the capabilities from the server
      const capabilities = withCapabilities(plain.dialect.capabilities, { dml: { returning: { insert: false, update: false, delete: false } } });
      Object.defineProperty(plain.dialect, 'capabilities', { value: capabilities, configurable: true });
      // MySQL/MariaDB number one multi-row INSERT's rows consecutively unless innodb_autoinc_lock_mode is 2.
      const lockMode = async () => Number(((await plain.connect((c) => c.execDriverSQL('SELECT @@innodb_autoinc_lock_mode'))).rows[0] as unknown[])[0]);
      const consecutive = db.name === 'mariadb' && (await lockMode()) !== 2;
      const items = Array.from({ length: 200 }, (_, i) => new Item({ name: `plain-${i}`, score: i }));
      {
        await using s = new Session(plain);
        s.addAll(items);
        await s.commit();
      }
      const inserts = log.filter((l) => /^INSERT/.test(l));
      expect(inserts).toHaveLength(consecutive ? 1 : 200);
      const rows = await live.rows<{ id: number; name: string }>(select(Item.c.id, Item.c.name).where(Item.c.name.like('plain-%')));
      const nameById = new Map(rows.map((r) => [r.id, r.name]));
      expect(nameById.size).toBe(200);
      for (const it of items) expect(nameById.get(it.id)).toBe(it.name);
    } finally {
      await plain.dispose();
    }
  });

  test('a server default that differs per row is fetched onto each object, in batches', async () => {
    const objects = Array.from({ length: N }, (_, i) => new Stamped({ name: `s-${i}` }));
    const writes = await addAll(objects);
    expect(writes).toHaveLength(Math.ceil(N / batchSize(1)));
    const rows = await live.rows<{ id: number; lucky: number }>(select(Stamped.c.id, Stamped.c.lucky));
    const luckyById = new Map(rows.map((r) => [r.id, r.lucky]));
    expect(luckyById.size).toBe(N);
    for (const o of objects) expect(o.lucky).toBe(luckyById.get(o.id));
    // Not all the same value: a value given to the wrong object would be seen.
    expect(new Set(objects.map((o) => o.lucky)).size).toBeGreaterThan(N / 2);
  });

  test(`${N} dirty objects changing the same column: one executemany UPDATE (on SQLite and PostgreSQL, UPDATE ... FROM (VALUES ...) batches)`, async () => {
    const items = Array.from({ length: N }, (_, i) => new Item({ name: `dirty-${i}`, score: i }));
    await addAll(items);
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const loaded = (await s.scalars(select(Item).where(Item.c.name.like('dirty-%')))).all();
      expect(loaded).toHaveLength(N);
      for (const it of loaded) it.score = it.score * 10 + 7;
      await s.commit();
    }
    const writes = live.writes(mark);
    if (db.name === 'sqlite') {
      // SQLite: UPDATE ... FROM (VALUES ...) batches of up to 1,000 rows, one statement each.
      expect(writes).toHaveLength(Math.ceil(N / 1000));
      for (const w of writes) {
        expect(sqlOf(w)).toMatch(/^UPDATE fb_item SET score = athanor_values\.column1 FROM \(VALUES \(\?, \?\)(, \(\?, \?\))*\) AS athanor_values WHERE fb_item\.id = athanor_values\.column2$/);
      }
    } else if (db.name === 'postgresql') {
      // PostgreSQL: the same batches, VALUES's columns named and typed by a first row of NULLs of each column's type.
      expect(writes).toHaveLength(Math.ceil(N / 1000));
      const typed = '\\(\\(SELECT score FROM fb_item WHERE false\\), \\(SELECT id FROM fb_item WHERE false\\)\\)';
      for (const w of writes) {
        expect(sqlOf(w)).toMatch(
          new RegExp(`^UPDATE fb_item SET score = athanor_values\\.score FROM \\(VALUES ${typed}(, \\(\\$\\d+, \\$\\d+\\))+\\) AS athanor_values \\(score, id\\) WHERE fb_item\\.id = athanor_values\\.id$`),
        );
      }
    } else {
      // MariaDB: one statement compiled for all rows, its parameter sets run in one executemany call.
      expect(sqlOf(writes[0])).toMatch(/^UPDATE \W?fb_item\W? SET \W?score\W? = \S+ WHERE \W?fb_item\W?\.\W?id\W? = \S+$/);
    }
    if (db.name === 'mariadb') {
      expect(writes).toHaveLength(1);
      expect(writes[0]).toContain(`"... ${N} parameter sets"`);
    }
    const rows = await live.rows<{ name: string; score: number }>(select(Item.c.name, Item.c.score).where(Item.c.name.like('dirty-%')));
    const scoreByName = new Map(rows.map((r) => [r.name, r.score]));
    for (let i = 0; i < N; i++) expect(scoreByName.get(`dirty-${i}`)).toBe(i * 10 + 7);
  });

  test(`${N} deletes: DELETE … WHERE id IN (…) batches, not one statement per row`, async () => {
    const items = Array.from({ length: N }, (_, i) => new Item({ name: `gone-${i}`, score: i }));
    const kept = new Item({ name: 'kept-1', score: 1 });
    await addAll([...items, kept]);
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const loaded = (await s.scalars(select(Item).where(Item.c.name.like('gone-%')))).all();
      for (const it of loaded) s.delete(it);
      await s.commit();
    }
    const writes = live.writes(mark);
    expect(writes).toHaveLength(Math.ceil(N / Math.min(1000, maxParams())));
    expect(writes.every((w) => /^DELETE FROM \W?fb_item\W? WHERE \W?fb_item\W?\.\W?id\W? IN \(/.test(w))).toBe(true);
    expect(await live.rows(select(Item.c.id).where(Item.c.name.like('gone-%')))).toEqual([]);
    expect(await live.rows(select(Item.c.id).where(Item.c.name.eq('kept-1')))).toEqual([{ id: kept.id }]);
  });
});
