import { Dialect, type EntityDescriptor, bindparam, cacheKeyOf, compileCached, func, insert, select, selectEntity, text } from '@athanor/core';
import type { Compiled } from '../src/compiler/compiled';
import { CompiledCache } from '../src/compiler/compiled-cache';
import { schema } from './fixtures';

const { users, addresses } = schema();

describe('cache key', () => {
  test('same shape, new values: same key, values extracted afresh', () => {
    const a = cacheKeyOf(select(users.c.id).where(users.c.age.gt(1), users.c.name.eq('x')));
    const b = cacheKeyOf(select(users.c.id).where(users.c.age.gt(2), users.c.name.eq('y')));
    expect(a.key).toBe(b.key);
    expect(a.values).toEqual([1, 'x']);
    expect(b.values).toEqual([2, 'y']);
  });
  test('structural differences give different keys', () => {
    const base = select(users.c.id).where(users.c.age.gt(1));
    const variants = [
      select(users.c.name).where(users.c.age.gt(1)),
      select(users.c.id).where(users.c.age.lt(1)),
      select(users.c.id).where(users.c.age.gt(1)).limit(1),
      select(users.c.id).where(users.c.age.gt(1)).distinct(),
      select(users.c.id).where(users.c.age.gt(1)).orderBy(users.c.id),
      select(users.c.id).where(users.c.id.gt(1)),
      select(addresses.c.id).where(users.c.age.gt(1)),
      select(users.c.id).where(users.c.age.gt(users.c.id)),
      select(users.c.id.label('x')).where(users.c.age.gt(1)),
      select(func.count(users.c.id)).where(users.c.age.gt(1)),
    ];
    const keys = new Set([cacheKeyOf(base).key, ...variants.map((v) => cacheKeyOf(v).key)]);
    expect(keys.size).toBe(variants.length + 1);
  });
  test('a subquery referred to from the columns and from WHERE gives its values once, in order', () => {
    const sq = select(users.c.id, users.c.name).where(users.c.age.gt(18)).subquery('sq');
    const stmt = select(sq.c.name).where(sq.c.id.lt(100));
    expect(cacheKeyOf(stmt).values).toEqual([18, 100]);
    expect(stmt.compile()).toEqual({
      sql: 'SELECT sq.name FROM (SELECT users.id, users.name FROM users WHERE users.age > :age_1) AS sq WHERE sq.id < :id_1',
      params: { age_1: 18, id_1: 100 },
    });
  });
  test('in() lists of any length share one key', () => {
    expect(cacheKeyOf(select(users.c.id).where(users.c.id.in([1]))).key).toBe(cacheKeyOf(select(users.c.id).where(users.c.id.in([1, 2, 3]))).key);
  });
  test('two distinct tables of the same name never share a key', () => {
    const other = schema().users;
    expect(cacheKeyOf(select(users.c.id)).key).not.toBe(cacheKeyOf(select(other.c.id)).key);
  });
  test('insert values and text() keys', () => {
    expect(cacheKeyOf(insert(users).values({ name: 'a' })).key).toBe(cacheKeyOf(insert(users).values({ name: 'b' })).key);
    expect(cacheKeyOf(insert(users).values({ name: 'a' })).key).not.toBe(cacheKeyOf(insert(users).values({ name: 'a', age: 1 })).key);
    expect(cacheKeyOf(text('SELECT 1')).key).not.toBe(cacheKeyOf(text('SELECT 2')).key);
  });
  test('compileCached: a structural hit reuses the Compiled; a prebuilt statement skips the walk', () => {
    const d = new Dialect();
    const a = compileCached(d, select(users.c.id).where(users.c.age.gt(1)));
    const b = compileCached(d, select(users.c.id).where(users.c.age.gt(5)));
    expect(b.compiled).toBe(a.compiled);
    expect(b.values).toEqual([5]);
    const prebuilt = select(users.c.name).where(users.c.id.eq(bindparam('id')));
    expect(compileCached(d, prebuilt)).toBe(compileCached(d, prebuilt));
    expect(d.compiledCache.size).toBe(2);
  });
});

describe('compiled cache', () => {
  const compiled = (sql: string) => ({ sql }) as unknown as Compiled;
  test('entries whose tokens hash alike are told apart token by token', () => {
    const cache = new CompiledCache(10);
    cache.set(7, [1, 'a', -3], compiled('A'));
    cache.set(7, [1, 'b', -3], compiled('B'));
    expect(cache.get(7, [1, 'a', -3, 99], 3)?.sql).toBe('A');
    expect(cache.get(7, [1, 'b', -3], 3)?.sql).toBe('B');
    expect(cache.get(7, [1, 'c', -3], 3)).toBeUndefined();
    expect(cache.get(7, [1, 'a'], 2)).toBeUndefined();
    expect(cache.size).toBe(2);
  });
  test('past capacity the least recently used entry goes, wherever it sits in its chain', () => {
    const cache = new CompiledCache(2);
    cache.set(1, [1], compiled('one'));
    cache.set(1, [2], compiled('two'));
    cache.get(1, [1], 1);
    cache.set(3, [3], compiled('three'));
    expect(cache.size).toBe(2);
    expect(cache.get(1, [2], 1)).toBeUndefined();
    expect(cache.get(1, [1], 1)?.sql).toBe('one');
    expect(cache.get(3, [3], 1)?.sql).toBe('three');
  });
  test('a wide statement (hundreds of tokens) keys and hits like a small one', () => {
    const wide = (n: number) => select(...Array.from({ length: 300 }, (_, i) => users.c.age.add(i + n).label(`c${i}`)));
    const d = new Dialect();
    const a = compileCached(d, wide(0));
    const b = compileCached(d, wide(1000));
    expect(b.compiled).toBe(a.compiled);
    expect(b.values[299]).toBe(1299);
    expect(cacheKeyOf(wide(0)).key).toBe(cacheKeyOf(wide(5)).key);
  });
  test('a key rendered as a string reads the same for the same shape built twice', () => {
    const k = (n: number) => cacheKeyOf(select(users.c.name, func.count(addresses.c.id).label('n')).join(addresses).where(users.c.age.gt(n)).groupBy(users.c.name).limit(n)).key;
    expect(k(1)).toBe(k(2));
  });
});

describe('entities in the cache key', () => {
  const entity = (name: string) => ({
    [selectEntity]: (): EntityDescriptor<string> => ({ name, from: users, columns: [users.c.id, users.c.name], load: (v) => `${name}:${String(v[0])}` }),
  });
  const Person = entity('Person');

  test('select(entity) and select of its columns compile alike but key apart, so neither is served the other', () => {
    const asEntity = cacheKeyOf(select(Person).where(users.c.id.eq(1))).key;
    const asColumns = cacheKeyOf(select(users.c.id, users.c.name).where(users.c.id.eq(1))).key;
    expect(asEntity).not.toBe(asColumns);
    const d = new Dialect();
    expect(compileCached(d, select(users.c.id, users.c.name).where(users.c.id.eq(1))).compiled.entitySlots).toEqual([]);
    expect(compileCached(d, select(Person).where(users.c.id.eq(2))).compiled.entitySlots.map((s) => s.key)).toEqual(['Person']);
  });

  test('the same entity at another place, or another entity over the same columns, keys apart; the same one again hits', () => {
    const keys = [
      select(users.c.id, users.c.name, Person),
      select(Person, users.c.id, users.c.name),
      select(entity('Other'), users.c.id, users.c.name),
    ].map((s) => cacheKeyOf(s).key);
    expect(new Set(keys).size).toBe(3);
    expect(cacheKeyOf(select(Person).where(users.c.id.eq(5))).key).toBe(cacheKeyOf(select(Person).where(users.c.id.eq(6))).key);
  });
});
