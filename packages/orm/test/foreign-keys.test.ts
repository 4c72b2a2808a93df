/**
 * Two foreign keys from one table to the same table: a relationship that does not say
 * which one it uses is refused where it is declared; with `foreignKeys` it writes and joins
 * on its own column only.
 */
import { ArgumentError, Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { AmbiguousForeignKeysError, NoForeignKeysError, Session, declarativeBase, joinedload, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Person extends Base.mapped('fk_person', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(20), { nullable: false }),
}) {
  declare sent: Message[];
  declare received: Message[];
}
class Message extends Base.mapped('fk_message', {
  id: Column(Integer, { primaryKey: true }),
  body: Column(String(40), { nullable: false }),
  senderId: Column(Integer, ForeignKey('fk_person.id'), { name: 'sender_id' }),
  recipientId: Column(Integer, ForeignKey('fk_person.id'), { name: 'recipient_id' }),
}) {
  declare sender: Person | null;
  declare recipient: Person | null;
}

describe('an ambiguous relationship is refused at declaration', () => {
  test('many-to-one side: the error names both tables, the candidate columns and the fix', () => {
    const declare = () => Base.relationships(Message, { sender: relationship(Person) });
    expect(declare).toThrow(AmbiguousForeignKeysError);
    expect(declare).toThrow(ArgumentError);
    expect(declare).toThrow(
      "Relationship Message.sender is ambiguous: 2 foreign keys in 'fk_message' link 'fk_message' and 'fk_person' " +
        '(Message.c.senderId (sender_id), Message.c.recipientId (recipient_id)). ' +
        'Name the one this relationship uses with the foreignKeys option, e.g. relationship(Person, { foreignKeys: Message.c.senderId }).',
    );
  });

  test('one-to-many side too', () => {
    expect(() => Base.relationships(Person, { sent: relationship(Message) })).toThrow(/Relationship Person.sent is ambiguous: .*Message.c.senderId .*Message.c.recipientId/);
  });

  test('foreignKeys must name a column with a foreign key to the other table', () => {
    expect(() => Base.relationships(Message, { sender: relationship(Person, { foreignKeys: Message.c.body }) })).toThrow(NoForeignKeysError);
    expect(() => Base.relationships(Message, { sender: relationship(Person, { foreignKeys: Message.c.body }) })).toThrow(
      "Relationship Message.sender: foreignKeys names Message.c.body, which has no ForeignKey to table 'fk_person'; name a column that references it.",
    );
    const Other = declarativeBase();
    class Stray extends Other.mapped('fk_stray', { id: Column(Integer, { primaryKey: true }) }) {}
    expect(() => Base.relationships(Message, { sender: relationship(Person, { foreignKeys: Stray.c.id }) })).toThrow(
      /foreignKeys takes columns of table 'fk_message' or 'fk_person' \(such as Message.c.id\); got column 'fk_stray.id'/,
    );
    expect(() => Base.relationships(Message, { sender: relationship(Person, { foreignKeys: 'senderId' as any }) })).toThrow(/got the string 'senderId' \(pass the column object/);
  });
});

// The declarations that work (a refused declaration registers nothing, so the order does not matter).
Base.relationships(Person, {
  sent: relationship(Message, { backPopulates: 'sender', foreignKeys: Message.c.senderId }),
  received: relationship(Message, { backPopulates: 'recipient', foreignKeys: [Message.c.recipientId] }),
});
Base.relationships(Message, {
  sender: relationship(Person, { backPopulates: 'sent', foreignKeys: Message.c.senderId }),
  recipient: relationship(Person, { backPopulates: 'received', foreignKeys: Message.c.recipientId }),
});

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  const stored = () => live.rows<{ body: string; senderId: number | null; recipientId: number | null }>(
    select(Message.c.body, Message.c.senderId, Message.c.recipientId).orderBy(Message.c.id),
  );

  test('each relationship writes its own column only', async () => {
    await using s = new Session(live.engine);
    const alice = new Person({ name: 'alice' });
    const bob = new Person({ name: 'bob' });
    s.addAll([alice, bob]);
    await s.flush();
    // The trial's program: the recipient given as a key, the sender as an object.
    const hi = new Message({ body: 'hi bob', recipientId: bob.id });
    hi.sender = alice;
    const back = new Message({ body: 'hi alice' });
    back.sender = bob;
    back.recipient = alice;
    const note = new Message({ body: 'note to self' });
    alice.sent.push(note);
    alice.received.push(note);
    s.addAll([hi, back]);
    await s.commit();
    expect(await stored()).toEqual([
      { body: 'hi bob', senderId: alice.id, recipientId: bob.id },
      { body: 'hi alice', senderId: bob.id, recipientId: alice.id },
      { body: 'note to self', senderId: alice.id, recipientId: alice.id },
    ]);
  });

  test('selectinload and joinedload join on the relationship own column', async () => {
    await using s = new Session(live.engine);
    const people = (await s.scalars(select(Person).orderBy(Person.c.id).options(selectinload(Person, 'sent'), joinedload(Person, 'received')))).all();
    const [alice, bob] = people;
    expect(alice.sent.map((m) => m.body).sort()).toEqual(['hi bob', 'note to self']);
    expect(alice.received.map((m) => m.body).sort()).toEqual(['hi alice', 'note to self']);
    expect(bob.sent.map((m) => m.body)).toEqual(['hi alice']);
    expect(bob.received.map((m) => m.body)).toEqual(['hi bob']);
    const hi = (await s.scalars(select(Message).where(Message.c.body.eq('hi bob')).options(joinedload(Message, 'sender'), selectinload(Message, 'recipient')))).one();
    expect(hi.sender).toBe(alice);
    expect(hi.recipient).toBe(bob);
  });

  test('changing one side updates one column; removing from a collection nulls only its own column', async () => {
    await using s = new Session(live.engine);
    const [alice, bob] = (await s.scalars(select(Person).orderBy(Person.c.id).options(selectinload(Person, 'sent')))).all();
    const hi = alice.sent.find((m) => m.body === 'hi bob')!;
    hi.sender = bob;
    const note = alice.sent.find((m) => m.body === 'note to self')!;
    alice.sent.splice(alice.sent.indexOf(note), 1);
    const mark = live.log.length;
    await s.commit();
    for (const w of live.writes(mark)) expect(w).not.toMatch(/recipient_id/);
    expect(await stored()).toEqual([
      { body: 'hi bob', senderId: bob.id, recipientId: bob.id },
      { body: 'hi alice', senderId: bob.id, recipientId: alice.id },
      { body: 'note to self', senderId: null, recipientId: alice.id },
    ]);
  });
});
