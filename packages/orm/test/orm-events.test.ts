/**
 * ORM events: session events (on one session, on every Session, on a sessionmaker's
 * sessions) and mapper events (insert, update, delete, load, refresh) fire in order with
 * the objects they are about; changes made by listeners are flushed. Rows are read back
 * through Core on a connection of its own.
 */
import { ArgumentError, type Connection, Column, IntegrityError, Integer, InvalidRequestError, String, select, update } from '@athanor/core';
import { Session, declarativeBase, listen, removeListener, sessionmaker } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();

class Note extends Base.mapped('ev_note', {
  id: Column(Integer, { primaryKey: true }),
  title: Column(String(40), { nullable: false }),
  slug: Column(String(40)),
  editedBy: Column(String(20), { name: 'edited_by' }),
}) {}

type Listener = (...args: any[]) => void;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  /** Listeners added by a test, removed after it (mapper and class listeners outlive a session). */
  const added: [any, string, Listener][] = [];
  const on = (target: any, event: string, fn: Listener) => {
    listen(target, event as any, fn as any);
    added.push([target, event, fn]);
  };
  afterEach(() => {
    for (const [target, event, fn] of added.splice(0)) removeListener(target, event as any, fn as any);
  });

  const stored = async (id: number) => live.rows(select(Note.c.title, Note.c.slug, Note.c.editedBy).where(Note.c.id.eq(id)));

  test('session events fire in order with the session: beforeFlush, afterFlush, afterCommit; afterRollback', async () => {
    await using s = new Session(live.engine);
    const seen: string[] = [];
    for (const event of ['beforeFlush', 'afterFlush', 'afterCommit', 'afterRollback']) {
      on(s, event, (session: Session) => seen.push(`${event}:${session === s}`));
    }
    s.add(new Note({ title: 'session-events' }));
    await s.commit();
    expect(seen).toEqual(['beforeFlush:true', 'afterFlush:true', 'afterCommit:true']);
    seen.length = 0;
    s.add(new Note({ title: 'rolled-back' }));
    await s.flush();
    await s.rollback();
    expect(seen).toEqual(['beforeFlush:true', 'afterFlush:true', 'afterRollback:true']);
    // A flush with nothing to write fires nothing.
    seen.length = 0;
    await s.flush();
    expect(seen).toEqual([]);
    expect((await live.rows(select(Note.c.title).where(Note.c.title.in(['session-events', 'rolled-back'])))).map((r) => r.title)).toEqual(['session-events']);
  });

  test('a failed flush fires flushFailed with its error, then afterRollback; not afterFlush or afterCommit', async () => {
    await using s = new Session(live.engine);
    const seen: string[] = [];
    const errors: unknown[] = [];
    for (const event of ['beforeFlush', 'afterFlush', 'afterCommit', 'afterRollback']) on(s, event, () => seen.push(event));
    on(s, 'flushFailed', (session: Session, error: unknown) => {
      seen.push(`flushFailed:${session === s}`);
      errors.push(error);
    });
    s.add(new Note({ id: 424242, title: 'first' }));
    await s.commit();
    seen.length = 0;
    s.add(new Note({ id: 424242, title: 'same key' }));
    const failure = await s.commit().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IntegrityError);
    expect(seen).toEqual(['beforeFlush', 'flushFailed:true', 'afterRollback']);
    expect(errors).toEqual([failure]);
    expect(await stored(424242)).toEqual([{ title: 'first', slug: null, editedBy: null }]);
  });

  test("flushFailed reaches a factory's sessions with the error, also when a savepoint is what rolls back", async () => {
    const factory = sessionmaker(live.engine);
    const errors: unknown[] = [];
    const seen: string[] = [];
    on(factory, 'flushFailed', (_s: Session, error: unknown) => errors.push(error));
    on(factory, 'afterRollback', () => seen.push('afterRollback'));
    await using s = factory();
    s.add(new Note({ id: 424243, title: 'outer' }));
    await s.flush();
    const failure = await s
      .beginNested(async () => {
        s.add(new Note({ id: 424243, title: 'same key' }));
        await s.flush();
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IntegrityError);
    expect(errors).toEqual([failure]);
    expect(seen).toEqual([]);
    await s.commit();
    expect(await stored(424243)).toEqual([{ title: 'outer', slug: null, editedBy: null }]);
  });

  test('listen(Session, ...) reaches every session; listen(factory, ...) the sessions the factory makes', async () => {
    const all: Session[] = [];
    const fromFactory: Session[] = [];
    on(Session, 'afterCommit', (session: Session) => all.push(session));
    const factory = sessionmaker(live.engine);
    on(factory, 'afterCommit', (session: Session) => fromFactory.push(session));
    const made = factory();
    const plain = new Session(live.engine);
    try {
      made.add(new Note({ title: 'factory-event' }));
      plain.add(new Note({ title: 'plain-event' }));
      await made.commit();
      await plain.commit();
    } finally {
      await made.close();
      await plain.close();
    }
    expect(all).toEqual([made, plain]);
    expect(fromFactory).toEqual([made]);
  });

  test('mapper events fire per object in flush order, with the session connection', async () => {
    await using s = new Session(live.engine);
    const seen: string[] = [];
    const connections = new Set<Connection>();
    for (const event of ['beforeInsert', 'afterInsert', 'beforeUpdate', 'afterUpdate', 'beforeDelete', 'afterDelete']) {
      on(Note, event, (note: Note, conn: Connection) => {
        connections.add(conn);
        seen.push(`${event}:${note.title}:${event === 'beforeInsert' ? 'no id yet' : note.id}`);
      });
    }
    on(s, 'beforeFlush', () => seen.push('beforeFlush'));
    on(s, 'afterFlush', () => seen.push('afterFlush'));
    const a = new Note({ title: 'a' });
    const b = new Note({ title: 'b' });
    s.addAll([a, b]);
    await s.flush();
    expect(seen).toEqual(['beforeFlush', 'beforeInsert:a:no id yet', 'beforeInsert:b:no id yet', `afterInsert:a:${a.id}`, `afterInsert:b:${b.id}`, 'afterFlush']);
    expect([...connections]).toEqual([await s.connection()]);
    seen.length = 0;
    a.title = 'a2';
    s.delete(b);
    const mark = live.log.length;
    await s.commit();
    // Each before/after pair brackets its own statement, whichever the flush runs first.
    const statements = live.log.slice(mark).map((l) => l.split(' ')[0]);
    const flushed = statements.filter((w) => w === 'UPDATE' || w === 'DELETE');
    const expected = ['beforeFlush', ...flushed.flatMap((w) => (w === 'UPDATE' ? [`beforeUpdate:a2:${a.id}`, `afterUpdate:a2:${a.id}`] : [`beforeDelete:b:${b.id}`, `afterDelete:b:${b.id}`])), 'afterFlush'];
    expect(flushed.sort()).toEqual(['DELETE', 'UPDATE']);
    expect(seen).toEqual(expected);
    expect(await stored(a.id)).toEqual([{ title: 'a2', slug: null, editedBy: null }]);
    expect(await stored(b.id)).toEqual([]);
  });

  test('load fires once per object made from a row; refresh when refresh() or populateExisting overwrites it', async () => {
    await using seed = new Session(live.engine);
    const n = new Note({ title: 'loaded' });
    seed.add(n);
    await seed.commit();
    const seen: string[] = [];
    on(Note, 'load', (note: Note) => seen.push(`load:${note.title}`));
    on(Note, 'refresh', (note: Note, attrs: readonly string[] | undefined) => seen.push(`refresh:${note.title}:${attrs?.join(',') ?? 'all'}`));
    await using s = new Session(live.engine);
    const got = (await s.get(Note, n.id))!;
    await s.execute(select(Note).where(Note.c.id.eq(n.id)));
    expect(seen).toEqual(['load:loaded']);
    await s.commit();
    await live.engine.connect((c) => c.execute(update(Note.table).where(Note.c.id.eq(n.id)).values({ title: 'loaded-2' })));
    await s.refresh(got, ['title']);
    await s.execute(select(Note).where(Note.c.id.eq(n.id)), undefined, { populateExisting: true });
    expect(seen).toEqual(['load:loaded', 'refresh:loaded-2:title', 'refresh:loaded-2:all']);
  });

  test('a beforeFlush listener that changes, adds or deletes objects has its changes flushed', async () => {
    await using s = new Session(live.engine);
    const doomed = new Note({ title: 'doomed' });
    s.add(doomed);
    await s.commit();
    let extra: Note | undefined;
    on(s, 'beforeFlush', (session: Session) => {
      for (const obj of session.new as Note[]) if (obj.slug === undefined) obj.slug = obj.title.toLowerCase();
      if (!extra) {
        extra = new Note({ title: 'added-by-listener' });
        session.add(extra);
        session.delete(doomed);
      }
    });
    const n = new Note({ title: 'Slugged' });
    s.add(n);
    await s.commit();
    expect(await stored(n.id)).toEqual([{ title: 'Slugged', slug: 'slugged', editedBy: null }]);
    expect(await stored(extra!.id)).toEqual([{ title: 'added-by-listener', slug: null, editedBy: null }]);
    // By title: SQLite may give the deleted row's id to a row inserted after it.
    expect(await live.rows(select(Note.c.id).where(Note.c.title.eq('doomed')))).toEqual([]);
  });

  test('column changes made in beforeInsert and beforeUpdate are written by the same statement', async () => {
    on(Note, 'beforeInsert', (note: Note) => {
      note.slug = `ins-${note.title}`;
    });
    on(Note, 'beforeUpdate', (note: Note) => {
      note.editedBy = 'listener';
    });
    await using s = new Session(live.engine);
    const n = new Note({ title: 'hooked' });
    s.add(n);
    const mark = live.log.length;
    await s.commit();
    expect(live.writes(mark).map((l) => l.split(' ')[0])).toEqual(['INSERT']);
    expect(await stored(n.id)).toEqual([{ title: 'hooked', slug: 'ins-hooked', editedBy: null }]);
    n.title = 'hooked-2';
    const mark2 = live.log.length;
    await s.commit();
    expect(live.writes(mark2).map((l) => l.split(' ')[0])).toEqual(['UPDATE']);
    expect(await stored(n.id)).toEqual([{ title: 'hooked-2', slug: 'ins-hooked', editedBy: 'listener' }]);
  });

  test('a listener may not wait for the session; unknown events are refused', async () => {
    await using s = new Session(live.engine);
    let refused: Promise<unknown> | undefined;
    on(s, 'afterCommit', (session: Session) => {
      refused = session.execute(select(Note.c.id));
    });
    s.add(new Note({ title: 'no-waiting' }));
    await s.commit();
    await expect(refused).rejects.toThrow(InvalidRequestError);
    await expect(refused).rejects.toThrow('session.execute() was called from an event listener; listeners run inside the flush or commit and must not wait for the session.');
    expect(() => listen(s, 'beforeCommit' as any, () => {})).toThrow(ArgumentError);
    expect(() => listen(s, 'beforeCommit' as any, () => {})).toThrow("listen(): unknown session event 'beforeCommit'; the session events are beforeFlush, afterFlush, flushFailed, afterCommit, afterRollback.");
    expect(() => listen(Note, 'afterSave' as any, () => {})).toThrow(
      "listen(): unknown mapper event 'afterSave'; the mapper events are beforeInsert, afterInsert, beforeUpdate, afterUpdate, beforeDelete, afterDelete, load, refresh.",
    );
  });
});
