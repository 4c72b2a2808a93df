/**
 * Write-only collections (`lazy: 'writeOnly'`): add()/remove() are written by the flush
 * (foreign keys, delete-orphan, association rows) without the collection ever being read;
 * select() is a Core statement for its rows. Rows checked with Core on the three databases.
 */
import { ArgumentError, Column, ForeignKey, Integer, InvalidRequestError, Select, String, Table, insert, select } from '@athanor/core';
import { Session, type WriteOnlyCollection, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
const accountTags = new Table('wo_account_tag', Base.metadata, {
  accountId: Column(Integer, ForeignKey('wo_account.id'), { name: 'account_id', primaryKey: true }),
  tagId: Column(Integer, ForeignKey('wo_tag.id'), { name: 'tag_id', primaryKey: true }),
});
class Account extends Base.mapped('wo_account', { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) }) {
  declare entries: WriteOnlyCollection<Entry>;
  declare notes: WriteOnlyCollection<Note>;
  declare tags: WriteOnlyCollection<Tag>;
}
class Entry extends Base.mapped('wo_entry', {
  id: Column(Integer, { primaryKey: true }),
  accountId: Column(Integer, ForeignKey('wo_account.id'), { name: 'account_id' }),
  amount: Column(Integer, { nullable: false }),
}) {
  declare account: Account | null;
}
class Note extends Base.mapped('wo_note', {
  id: Column(Integer, { primaryKey: true }),
  accountId: Column(Integer, ForeignKey('wo_account.id'), { name: 'account_id' }),
  text: Column(String(20), { nullable: false }),
}) {}
class Tag extends Base.mapped('wo_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(20), { nullable: false }) }) {}
Base.relationships(Account, {
  entries: relationship(Entry, { lazy: 'writeOnly', backPopulates: 'account', cascade: 'all, delete-orphan', orderBy: Entry.c.amount }),
  notes: relationship(Note, { lazy: 'writeOnly' }),
  tags: relationship(Tag, { lazy: 'writeOnly', secondary: accountTags }),
});
Base.relationships(Entry, { account: relationship(Account, { backPopulates: 'entries' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const readsSince = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));
  const entriesOf = async (accountId: number) =>
    (await live.rows<{ id: number; amount: number }>(select(Entry.c.id, Entry.c.amount).where(Entry.c.accountId.eq(accountId)).orderBy(Entry.c.id))).map((r) => [r.id, r.amount]);

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Tag.table), [
        { id: 1, label: 'red' },
        { id: 2, label: 'blue' },
        { id: 3, label: 'green' },
      ]);
    });
  });

  test('a new owner: entries added before the flush are inserted with its key', async () => {
    await using s = new Session(live.engine);
    const acc = new Account({ id: 1, name: 'new' });
    acc.entries.add(new Entry({ id: 10, amount: 5 }));
    acc.entries.addAll([new Entry({ id: 11, amount: 7 })]);
    s.add(acc);
    const mark = live.log.length;
    await s.commit();
    expect(readsSince(mark)).toEqual([]);
    expect(await entriesOf(1)).toEqual([
      [10, 5],
      [11, 7],
    ]);
  });

  test('a loaded owner: add, remove (delete-orphan) and a many-to-one set towards it, with no read of the collection', async () => {
    await live.engine.begin((c) => c.execute(insert(Entry.table), [{ id: 20, accountId: 1, amount: 1 }]));
    await using s = new Session(live.engine);
    const acc = (await s.get(Account, 1))!;
    const e10 = (await s.get(Entry, 10))!;
    const mark = live.log.length;
    acc.entries.add(new Entry({ id: 12, amount: 9 }));
    acc.entries.remove(e10);
    const viaParent = new Entry({ id: 13, amount: 3 });
    viaParent.account = acc; // queued on the write-only side, saved by the cascade
    await s.commit();
    expect(readsSince(mark)).toEqual([]);
    expect(await entriesOf(1)).toEqual([
      [11, 7],
      [12, 9],
      [13, 3],
      [20, 1],
    ]);
    expect(await live.rows(select(Entry.c.id).where(Entry.c.id.eq(10)))).toEqual([]);
  });

  test('select(): a Core statement of the rows, narrowed and run by the session (autoflushing queued adds)', async () => {
    await using s = new Session(live.engine);
    const acc = (await s.get(Account, 1))!;
    const stmt = acc.entries.select();
    expect(stmt).toBeInstanceOf(Select);
    acc.entries.add(new Entry({ id: 14, amount: 100 }));
    const big = (await s.scalars(stmt.where(Entry.c.amount.gt(4)))).all();
    expect(big.map((e) => [e.id, e.amount])).toEqual([
      [11, 7],
      [12, 9],
      [14, 100],
    ]); // ordered by the relationship's orderBy
    expect(big.every((e) => e instanceof Entry)).toBe(true);
    const all = (await s.scalars(acc.entries.select())).all();
    // The committed rows (read by Core on its own connection) and the one flushed in this transaction.
    expect(all.map((e) => e.id).sort()).toEqual([...(await entriesOf(1)).map(([id]) => id), 14].sort());
    await s.rollback();
    expect(await live.rows(select(Entry.c.id).where(Entry.c.id.eq(14)))).toEqual([]);
  });

  test('without delete-orphan a removed member keeps its row, its foreign key cleared', async () => {
    await live.engine.begin((c) =>
      c.execute(insert(Note.table), [
        { id: 1, accountId: 1, text: 'a' },
        { id: 2, accountId: 1, text: 'b' },
      ]),
    );
    await using s = new Session(live.engine);
    const acc = (await s.get(Account, 1))!;
    const [n1] = (await s.scalars(acc.notes.select().where(Note.c.id.eq(1)))).all();
    acc.notes.remove(n1);
    await s.commit();
    expect(await live.rows(select(Note.c.id, Note.c.accountId).orderBy(Note.c.id))).toEqual([
      { id: 1, accountId: null },
      { id: 2, accountId: 1 },
    ]);
  });

  test('many-to-many: add and remove write association rows', async () => {
    await using s = new Session(live.engine);
    const acc = (await s.get(Account, 1))!;
    const [red, blue, green] = (await s.scalars(select(Tag).orderBy(Tag.c.id))).all();
    acc.tags.addAll([red, blue]);
    await s.commit();
    const links = () => live.rows(select(accountTags.c.accountId, accountTags.c.tagId).orderBy(accountTags.c.tagId));
    expect(await links()).toEqual([
      { accountId: 1, tagId: 1 },
      { accountId: 1, tagId: 2 },
    ]);
    acc.tags.remove(red);
    acc.tags.add(green);
    acc.tags.add(blue); // queued again after remove: one row only
    acc.tags.remove(blue);
    await s.commit();
    expect(await links()).toEqual([
      { accountId: 1, tagId: 2 },
      { accountId: 1, tagId: 3 },
    ]);
    expect((await s.scalars(acc.tags.select())).all().map((t) => t.label).sort()).toEqual(['blue', 'green']);
  });

  test('never loaded: loader options, awaitableAttrs, refresh and assignment are refused', async () => {
    await using s = new Session(live.engine);
    const acc = (await s.get(Account, 1))!;
    await expect(s.execute(select(Account).options(selectinload(Account, 'entries' as never)))).rejects.toThrow(ArgumentError);
    await expect((acc.awaitableAttrs as Record<string, Promise<unknown>>).entries).rejects.toThrow(
      "Account.entries is a write-only collection (lazy: 'writeOnly') and is never loaded; read its rows with session.scalars(obj.entries.select()).",
    );
    await expect(s.refresh(acc, ['entries'])).rejects.toThrow(ArgumentError);
    expect(() => {
      (acc as unknown as { entries: unknown[] }).entries = [];
    }).toThrow(InvalidRequestError);
    expect(() => acc.entries.add(new Note({ text: 'x' }) as never)).toThrow('Account.entries.add() takes a Entry object.');
    expect(() => acc.entries.remove(new Entry({ amount: 1 }))).toThrow(InvalidRequestError);
    expect(() => new Account({ name: 'x' }).entries.select()).toThrow('flush the session first');
  });
});

test('lazy: writeOnly is for collections', () => {
  const B = declarativeBase();
  class P extends B.mapped('wo_p', { id: Column(Integer, { primaryKey: true }) }) {}
  class C extends B.mapped('wo_c', { id: Column(Integer, { primaryKey: true }), pId: Column(Integer, ForeignKey('wo_p.id')) }) {
    declare p: P | null;
  }
  expect(() => B.relationships(C, { p: relationship(P, { lazy: 'writeOnly' }) })).toThrow("Relationship C.p: lazy: 'writeOnly' is for collections");
});
