/**
 * `codegen --orm` relationships from foreign keys, on tables built in memory: two keys to the
 * same table get foreignKeys and prefixed one-to-many names; a key to its own table is left to
 * the user in a comment. The exact source, then the source run (tsx, SQLite in memory): the
 * relationships load rows both ways.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Column, ForeignKey, Integer, MetaData, String, Table, createEngine } from '@athanor/core';
import { generateSource } from '../src';
import { makeProject } from './project';

const tsx = require.resolve('tsx', { paths: [join(__dirname, '..')] });

function tables() {
  const md = new MetaData();
  const people = new Table('people', md, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(30), { nullable: false }),
    manager_id: Column(Integer, ForeignKey('people.id', { name: 'fk_people_manager' })),
  });
  const messages = new Table('messages', md, {
    id: Column(Integer, { primaryKey: true }),
    sender_id: Column(Integer, ForeignKey('people.id', { name: 'fk_messages_sender' }), { nullable: false }),
    recipient_id: Column(Integer, ForeignKey('people.id', { name: 'fk_messages_recipient' }), { nullable: false }),
    body: Column(String(100)),
  });
  return [people, messages];
}

test('relationships: two keys to one table, a key to its own table; the source loads rows both ways', async () => {
  const engine = createEngine('sqlite://');
  const source = generateSource(tables(), engine.dialect.createCompiler(), 'sqlite', { orm: true });
  await engine.dispose();
  expect(source.split('\n\n').slice(2).join('\n\n')).toBe(`export class People extends Base.mapped('people', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  manager_id: Column(Integer),
}, new ForeignKeyConstraint(['manager_id'], ['people.id'], { name: 'fk_people_manager' })) {
  declare senderMessages: Messages[];
  declare recipientMessages: Messages[];
}

export class Messages extends Base.mapped('messages', {
  id: Column(Integer, { primaryKey: true }),
  sender_id: Column(Integer, { nullable: false }),
  recipient_id: Column(Integer, { nullable: false }),
  body: Column(String(100)),
}, new ForeignKeyConstraint(['sender_id'], ['people.id'], { name: 'fk_messages_sender' }), new ForeignKeyConstraint(['recipient_id'], ['people.id'], { name: 'fk_messages_recipient' })) {
  declare sender: People;
  declare recipient: People;
}

// people.(manager_id) refers to its own table: declare that relationship by hand (it needs remoteSide).

Base.relationships(Messages, {
  sender: relationship(People, { backPopulates: 'senderMessages', foreignKeys: Messages.c.sender_id }),
  recipient: relationship(People, { backPopulates: 'recipientMessages', foreignKeys: Messages.c.recipient_id }),
});

Base.relationships(People, {
  senderMessages: relationship(Messages, { backPopulates: 'sender', foreignKeys: Messages.c.sender_id }),
  recipientMessages: relationship(Messages, { backPopulates: 'recipient', foreignKeys: Messages.c.recipient_id }),
});
`);
  expect(source).toContain("import { declarativeBase, relationship } from '@athanor/orm';");

  const project = makeProject(undefined);
  try {
    project.write('generated.ts', source);
    project.write(
      'run.ts',
      `import { createEngine, select } from '@athanor/core';
import { Session, selectinload } from '@athanor/orm';
import { Base, Messages, People } from './generated';
const engine = createEngine('sqlite://');
await Base.metadata.createAll(engine);
const session = new Session(engine);
try {
  const ada = new People({ id: 1, name: 'ada' });
  const bob = new People({ id: 2, name: 'bob' });
  session.addAll([ada, bob, new Messages({ id: 7, sender_id: 1, recipient_id: 2, body: 'hi' })]);
  await session.commit();
} finally {
  await session.close();
}
// A new session: the rows as loaded from the database.
const reader = new Session(engine);
try {
  const m = (await reader.scalars(select(Messages).options(selectinload(Messages, 'sender'), selectinload(Messages, 'recipient')))).one();
  const p = (await reader.scalars(select(People).orderBy(People.c.id).options(selectinload(People, 'senderMessages'), selectinload(People, 'recipientMessages')))).all();
  console.log(JSON.stringify([m.sender.name, m.recipient.name, p.map((x) => [x.name, x.senderMessages.length, x.recipientMessages.length])]));
} finally {
  await reader.close();
  await engine.dispose();
}
`,
    );
    const run = spawnSync(process.execPath, ['--import', tsx, 'run.ts'], { cwd: project.dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['ada', 'bob', [['ada', 1, 0], ['bob', 0, 1]]]);
  } finally {
    project.remove();
  }
});
