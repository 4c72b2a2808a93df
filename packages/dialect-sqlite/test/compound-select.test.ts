/** Compound selects whose members have their own ORDER BY/LIMIT, run on SQLite (which rejects parenthesised members). */
import { type ClauseElement, Column, Integer, MetaData, String, Table, createEngine, except, select, union, unionAll, type Engine } from '@athanor/core';
import '../src';

describe('SQLite compound select members with ORDER BY / LIMIT', () => {
  let engine: Engine;
  const metadata = new MetaData();
  const users = new Table('users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(20), { nullable: false }),
    age: Column(Integer, { nullable: false }),
  });
  const rows = (stmt: ClauseElement) =>
    engine.connect(async (conn) => (await conn.execute(stmt)).all());

  beforeAll(async () => {
    engine = createEngine('sqlite://');
    await metadata.createAll(engine);
    await engine.begin((conn) =>
      conn.execute(users.insert(), [
        { name: 'ann', age: 31 },
        { name: 'bob', age: 25 },
        { name: 'cid', age: 40 },
        { name: 'dee', age: 19 },
      ]),
    );
  });
  afterAll(() => engine.dispose());

  test('the oldest and the youngest: two members each with ORDER BY and LIMIT 1', async () => {
    const oldest = select(users.c.name, users.c.age).orderBy(users.c.age.desc()).limit(1);
    const youngest = select(users.c.name, users.c.age).orderBy(users.c.age).limit(1);
    expect(await rows(unionAll(oldest, youngest))).toEqual([
      { name: 'cid', age: 40 },
      { name: 'dee', age: 19 },
    ]);
  });

  test('a limited member beside a plain one, with ORDER BY on the whole union', async () => {
    const firstTwo = select(users.c.name).orderBy(users.c.id).limit(2);
    const adults30 = select(users.c.name).where(users.c.age.gt(30));
    expect(await rows(union(firstTwo, adults30).orderBy('name'))).toEqual([{ name: 'ann' }, { name: 'bob' }, { name: 'cid' }]);
  });

  test('OFFSET in a member, and a nested compound evaluated as a unit', async () => {
    const skipFirst = select(users.c.name).orderBy(users.c.id).limit(2).offset(1);
    expect(await rows(unionAll(skipFirst, select(users.c.name).where(users.c.name.eq('dee'))))).toEqual([{ name: 'bob' }, { name: 'cid' }, { name: 'dee' }]);
    const both = union(select(users.c.name).where(users.c.age.lt(26)), select(users.c.name).where(users.c.age.gt(35)));
    const notYoungest = select(users.c.name).orderBy(users.c.age.desc()).limit(3);
    expect(await rows(except(both, notYoungest).orderBy('name'))).toEqual([{ name: 'dee' }]);
  });
});
