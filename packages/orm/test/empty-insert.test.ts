/** An object with no values to give (every column generated, nullable or defaulted by the server) still inserts. */
import { Column, Integer, String, select, text } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Counter extends Base.mapped('ei_counter', { id: Column(Integer, { primaryKey: true }) }) {}
class Note extends Base.mapped('ei_note', {
  id: Column(Integer, { primaryKey: true }),
  body: Column(String(10)),
  n: Column(Integer, { serverDefault: text('1') }),
}) {}

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  test('only an autoincrement key: a bare INSERT, the new key on the object', async () => {
    await using s = new Session(live.engine);
    const a = new Counter();
    const b = new Counter({});
    s.addAll([a, b]);
    const mark = live.log.length;
    await s.commit();
    const inserts = live.writes(mark);
    expect(inserts).toHaveLength(2);
    // MySQL has no DEFAULT VALUES; `() VALUES ()` is its spelling (and a syntax error elsewhere).
    expect(inserts[0]).toMatch(db.name === 'mariadb' ? /^INSERT INTO `?ei_counter`? \(\) VALUES \(\)/ : /^INSERT INTO "?ei_counter"? DEFAULT VALUES/);
    expect(typeof a.id).toBe('number');
    expect(b.id).not.toBe(a.id);
    expect(await live.rows(select(Counter.c.id).orderBy(Counter.c.id))).toEqual([{ id: a.id }, { id: b.id }]);
  });

  test('only nullable and server-defaulted columns, none given', async () => {
    await using s = new Session(live.engine);
    const note = new Note({});
    s.add(note);
    await s.commit();
    expect(typeof note.id).toBe('number');
    expect(await live.rows(select(Note.table))).toEqual([{ id: note.id, body: null, n: 1 }]);
  });
});
