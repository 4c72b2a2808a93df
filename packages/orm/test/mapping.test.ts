/** Mapping and session behaviour that needs no server: in-memory SQLite. */
import { ArgumentError, Column, ForeignKey, Integer, String, createEngine, select, withCapabilities } from '@athanor/core';
import { NoForeignKeysError, Session, declarativeBase, relationship, selectinload, statusOf } from '@athanor/orm';

/** echo lines end with the elapsed time (`[0.12 ms]`); the assertions compare the SQL. */
const withoutTiming = (line: string) => line.replace(/ \[(failed after )?[\d.]+ ms\]$/, '');

const Base = declarativeBase();
class Team extends Base.mapped('team', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
}) {
  declare players: Player[];
}
class Player extends Base.mapped('player', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  teamId: Column(Integer, ForeignKey('team.id'), { name: 'team_id' }),
}) {
  declare team: Team | null;
}
class Loner extends Base.mapped('loner', { id: Column(Integer, { primaryKey: true }) }) {
  declare friends: Team[];
}
Base.relationships(Team, { players: relationship(Player, { backPopulates: 'team' }) });
Base.relationships(Player, { team: relationship(Team, { backPopulates: 'players' }) });

const log: string[] = [];
const engine = createEngine('sqlite://', { echo: (l) => log.push(withoutTiming(l)) });
beforeAll(() => Base.metadata.createAll(engine));
afterAll(() => engine.dispose());

test('new objects: typed columns, empty collections, null references', () => {
  const t = new Team({ name: 'A' });
  expect(t.name).toBe('A');
  expect(t.players).toEqual([]);
  const p = new Player({ name: 'p' });
  expect(p.team).toBeNull();
  p.team = t;
  expect(t.players).toEqual([p]);
  expect(statusOf(t)).toBe('transient');
});

test('misuse raises errors that name the fault', () => {
  expect(() => new Team({ nickname: 'x' } as any)).toThrow(new ArgumentError("Team: 'nickname' is not a column or relationship of table 'team' (columns: id, name)."));
  expect(() => Base.relationships(Loner, { friends: relationship(Team, { cascade: 'explode' }) })).toThrow(/unknown cascade 'explode'/);
  expect(() => selectinload(Team, 'coach' as any)).toThrow(/Team has no relationship 'coach' \(relationships: players\)/);
  // Found where the relationship is declared, not at the first flush.
  expect(() => Base.relationships(Loner, { friends: relationship(Team) })).toThrow(NoForeignKeysError);
  expect(() => Base.relationships(Loner, { friends: relationship(Team) })).toThrow(/Relationship Loner.friends: no foreign key links tables 'loner' and 'team'; add a ForeignKey/);
  expect(new Loner().friends).toBeUndefined();
});

test('object states through a session', async () => {
  const t = new Team({ name: 'states' });
  const s = new Session(engine);
  s.add(t);
  expect(statusOf(t)).toBe('pending');
  await s.flush();
  expect(statusOf(t)).toBe('persistent');
  expect(typeof t.id).toBe('number');
  const other = new Session(engine);
  expect(() => other.add(t)).toThrow(/attached to another session/);
  await s.commit();
  expect(statusOf(t)).toBe('persistent');
  await s.close();
  expect(statusOf(t)).toBe('detached');
  // Flushed by this session: its (empty) collection is known; a loaded copy's is not.
  expect(await t.awaitableAttrs.players).toEqual([]);
  const loaded = (await other.get(Team, t.id))!;
  await other.close();
  await expect(loaded.awaitableAttrs.players).rejects.toThrow(/Team.players is not loaded and this object is detached/);
});

test('a session that only reads writes nothing; a commit with no changes emits only COMMIT', async () => {
  await using s = new Session(engine);
  s.add(new Team({ name: 'reader' }));
  await s.commit();
  const [team] = (await s.scalars(select(Team).where(Team.c.name.eq('reader')).options(selectinload(Team, 'players')))).all();
  expect(team.players).toEqual([]);
  const mark = log.length;
  await s.commit();
  expect(log.slice(mark)).toEqual(['COMMIT']);
  const mark2 = log.length;
  await s.commit();
  expect(log.slice(mark2)).toEqual([]);
});

test('entities selected outside a session load as detached instances', async () => {
  await using s = new Session(engine);
  s.add(new Team({ name: 'outside' }));
  await s.commit();
  const teams = await engine.connect(async (conn) => (await conn.execute(select(Team).where(Team.c.name.eq('outside')))).scalars().all());
  expect(teams).toHaveLength(1);
  expect(teams[0]).toBeInstanceOf(Team);
  expect(teams[0].name).toBe('outside');
  expect(statusOf(teams[0])).toBe('detached');
});

test('moving a child between parents updates its foreign key', async () => {
  await using s = new Session(engine);
  const a = new Team({ name: 'move-a' });
  const b = new Team({ name: 'move-b' });
  const p = new Player({ name: 'mover' });
  a.players.push(p);
  s.addAll([a, b]);
  await s.commit();
  expect(p.teamId).toBe(a.id);
  p.team = b;
  expect(a.players).toEqual([]);
  expect(b.players).toEqual([p]);
  await s.commit();
  await using s2 = new Session(engine);
  expect((await s2.get(Player, p.id))!.teamId).toBe(b.id);
});

test('without INSERT ... RETURNING, generated keys come from the driver and still reach the children', async () => {
  const plain = createEngine('sqlite://', { echo: (l) => log.push(withoutTiming(l)) });
  try {
    await Base.metadata.createAll(plain);
    // A database without RETURNING (MySQL): the flush must use the driver's insert id.
    // Set after the first connection, which sets capabilities from the server version.
    plain.dialect.capabilities = withCapabilities(plain.dialect.capabilities, { dml: { returning: { insert: false, update: false, delete: false } } });
    await using s = new Session(plain);
    const t = new Team({ name: 'no-returning' });
    t.players.push(new Player({ name: 'p1' }), new Player({ name: 'p2' }));
    const loner = new Loner(); // no values at all: DEFAULT VALUES, the key from the driver
    s.addAll([t, loner]);
    const mark = log.length;
    await s.commit();
    expect(log.slice(mark).some((l) => /RETURNING/.test(l))).toBe(false);
    expect(typeof t.id).toBe('number');
    expect(typeof loner.id).toBe('number');
    expect(t.players.map((p) => p.teamId)).toEqual([t.id, t.id]);
    await using s2 = new Session(plain);
    const again = (await s2.scalars(select(Team).where(Team.c.id.eq(t.id)).options(selectinload(Team, 'players')))).one();
    expect(again.players.map((p) => p.name).sort()).toEqual(['p1', 'p2']);
  } finally {
    await plain.dispose();
  }
});
