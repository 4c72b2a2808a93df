/**
 * The walkers generated from field declarations (field-codegen.ts) must agree with the
 * generic, declaration-driven walks they replace on the hot paths.
 */
import {
  ClauseElement,
  Integer,
  defineElement,
  and,
  bindparam,
  cacheKeyOf,
  case_,
  cast,
  delete_,
  desc,
  exists,
  func,
  insert,
  literal,
  or,
  select,
  text,
  update,
} from '@athanor/core';
import { genericCacheKeyOf } from '../src/sql/cache-key';
import { NONE } from '../src/sql/none';
import { schema } from './fixtures';

const { users, addresses, orders } = schema();

function samples(): [string, ClauseElement][] {
  const sq = select(users.c.id, users.c.name).where(users.c.age.gt(18)).subquery('sq');
  const cte = select(orders.c.userId, func.sum(orders.c.total).label('total')).groupBy(orders.c.userId).cte('totals');
  const u2 = users.alias('u2');
  return [
    ['select with join, where, group, order, limit', select(users.c.name, func.count(addresses.c.id).label('n')).join(addresses).where(and(users.c.age.gt(3), addresses.c.email.like('%@x'))).groupBy(users.c.name).orderBy(desc('n')).limit(10).offset(5)],
    ['subquery referred twice', select(sq.c.name).where(sq.c.id.lt(100))],
    ['cte', select(users.c.name, cte.c.total).join(cte, users.c.id.eq(cte.c.userId))],
    ['alias and correlated exists', select(users.c.id).where(exists(select(u2.c.id).where(u2.c.age.gt(users.c.age))))],
    ['in, between, or, not null', select(users).where(or(users.c.id.in([1, 2, 3]), users.c.age.between(1, 9), users.c.name.eq(null)))],
    ['case, cast, literal, window', select(case_([[users.c.age.lt(18), 'minor']], { else: 'adult' }).label('k'), cast(users.c.age, Integer()).label('a'), literal(5).label('five'), func.rank().over({ partitionBy: users.c.age, orderBy: users.c.id }).label('r'))],
    ['bindparam', select(users.c.id).where(users.c.id.eq(bindparam('id')))],
    ['insert rows', insert(users).values([{ name: 'a', age: 1 }, { name: 'b', age: 2 }])],
    ['insert from select', insert(addresses).fromSelect(['userId', 'email'], select(users.c.id, users.c.name))],
    ['update with expression', update(users).values({ age: users.c.age.add(1) }).where(users.c.id.eq(7))],
    ['delete', delete_(users).where(users.c.age.lt(0))],
    ['text', text('select :x').bindparams({ x: 1 })],
    ['union', select(users.c.id).where(users.c.age.gt(1)).union(select(addresses.c.id).where(addresses.c.id.lt(5)))],
  ];
}

describe('generated walkers agree with the declaration-driven walks', () => {
  for (const [name, el] of samples()) {
    test(name, () => {
      expect(el.keyFn).toBeInstanceOf(Function);
      expect(cacheKeyOf(el)).toEqual(genericCacheKeyOf(el));
      expect(el.children().length).toBeGreaterThan(0);
    });
  }
  test('a generative copy carries every field (compiles the same as the statement built at once)', () => {
    const step = select(users.c.id).where(users.c.age.gt(1));
    const copied = step.orderBy(users.c.id).limit(3);
    expect(copied.toString()).toBe('SELECT users.id FROM users WHERE users.age > :age_1 ORDER BY users.id LIMIT :param_1');
    expect(Object.keys(copied).sort()).toEqual(Object.keys(step).sort());
  });
  test('an element with more fields than the header token holds: extra masks, same keys both ways', () => {
    // 25 value fields: presence bits for fields 19+ go to a mask token after the header.
    const fields = Array.from({ length: 25 }, (_, i) => [`f${i}`, 'value'] as [string, 'value']);
    class Wide extends ClauseElement {
      constructor(set: Record<string, unknown>) {
        super();
        Object.assign(this, set);
      }
    }
    defineElement(Wide, 'wideTestElement' as never, fields);
    expect(Object.isFrozen(NONE) && NONE.length === 0).toBe(true);
    const keys = [{ f2: 'x' }, { f21: 'x' }, { f2: 'x', f21: 'x' }, { f24: 1 }, { f0: NONE }, {}, { f0: [] }].map((set) => {
      const el = new Wide(set);
      expect(cacheKeyOf(el)).toEqual(genericCacheKeyOf(el));
      return cacheKeyOf(el).key;
    });
    // Field 2 set is not field 21 set; the shared empty list counts as unset, another empty list does not.
    expect(new Set(keys.slice(0, 4)).size).toBe(4);
    expect(keys[4]).toBe(keys[5]);
    expect(keys[6]).not.toBe(keys[5]);
  });
});
