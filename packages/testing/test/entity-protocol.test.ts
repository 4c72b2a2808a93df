/**
 * The protocol a layer above Core (the ORM) uses, proven with a tiny stand-in class:
 * an object with `[selectEntity]` can stand in `select()` and shapes its rows; an object
 * with `[clauseElement]` can stand in `where()` and `join()`; `options()` carries opaque
 * options into the compiled statement and its cache key.
 */
import {
  Column,
  type EntityDescriptor,
  Integer,
  MetaData,
  type StatementOption,
  String,
  Table,
  cacheKeyOf,
  clauseElement,
  compileCached,
  createEngine,
  insert,
  select,
  selectEntity,
} from '@athanor/core';

const metadata = new MetaData();
const people = new Table('people', metadata, { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) });

/** A stand-in "entity": rows become Person objects; the loader counts what it saw. */
class Person {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
  static [selectEntity](): EntityDescriptor<Person> {
    return { name: 'Person', from: people, columns: [people.c.id, people.c.name], load: (v, ctx) => ((ctx as { loads: number }).loads++, new Person(v[0] as number, v[1] as string)) };
  }
}
/** A stand-in predicate object. */
const namedAda = { [clauseElement]: () => people.c.name.eq('ada') };
const option: StatementOption = { optionCacheKey: 'standin-option' };

test('select(entity) shapes rows through the descriptor, with the executor context', async () => {
  const engine = createEngine('sqlite://');
  await metadata.createAll(engine);
  const context = { loads: 0 };
  const rows = await engine.connect(async (conn) => {
    await conn.execute(insert(people), [{ name: 'ada' }, { name: 'alan' }]);
    return (await conn.executeWithContext(select(Person, people.c.name.label('n')).where(namedAda as any).options(option), undefined, context)).all();
  });
  expect(rows).toEqual([{ Person: new Person(1, 'ada'), n: 'ada' }]);
  expect(rows[0].Person).toBeInstanceOf(Person);
  expect(context.loads).toBe(1);
  await engine.dispose();
});

test('options are kept on the compiled statement and keyed', () => {
  const d = createEngine('sqlite://').dialect;
  const stmt = select(Person).options(option);
  expect(compileCached(d, stmt).compiled.options).toEqual([option]);
  expect(cacheKeyOf(stmt).key).not.toBe(cacheKeyOf(select(Person)).key);
});

test('an entity and the same columns selected plainly do not share a compiled statement', async () => {
  const descriptor: EntityDescriptor<Person> = { name: 'Person', from: people, columns: [people.c.id, people.c.name], load: (v) => new Person(v[0] as number, v[1] as string) };
  const Stable = { [selectEntity]: () => descriptor };
  const byEntity = () => select(Stable as any).where(people.c.name.eq('grace'));
  const byColumns = () => select(people.c.id, people.c.name).where(people.c.name.eq('grace'));
  // Same SQL text, different row shapes.
  expect(cacheKeyOf(byEntity()).key).not.toBe(cacheKeyOf(byColumns()).key);
  expect(cacheKeyOf(byEntity()).key).toBe(cacheKeyOf(byEntity()).key);
  const engine = createEngine('sqlite://');
  await metadata.createAll(engine);
  const [plain, entities] = await engine.connect(async (conn) => {
    await conn.execute(insert(people), [{ name: 'grace' }]);
    return [(await conn.execute(byColumns())).all(), (await conn.execute(byEntity())).scalars().all()];
  });
  expect(plain).toEqual([{ id: 1, name: 'grace' }]);
  expect(entities).toEqual([new Person(1, 'grace')]);
  expect(entities[0]).toBeInstanceOf(Person);
  await engine.dispose();
});
