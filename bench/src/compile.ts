/**
 * Workload 1, compile only: build and compile the representative query (join, where with
 * two parameters, group by, order by, limit) for PostgreSQL, no database involved.
 */
import {
  Column,
  ForeignKey,
  Integer,
  MetaData,
  Table,
  Text,
  and,
  compileCached,
  compileUncached,
  desc,
  func,
  select,
} from '@athanor/core';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { count, desc as dDesc, and as dAnd, eq as dEq, gt as dGt } from 'drizzle-orm';
import { QueryBuilder, integer, pgTable, text } from 'drizzle-orm/pg-core';
import knexFactory from 'knex';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { check } from './data';
import { type Contender, loop, measure } from './harness';
import type { WorkloadResult } from './types';

export async function compileWorkload(sizes: {
  rounds: number;
  warmup: number;
  ops: number;
}): Promise<WorkloadResult> {
  const md = new MetaData();
  const users = new Table('users', md, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(Text),
    age: Column(Integer),
  });
  const orders = new Table('orders', md, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id' }),
    total: Column(Integer),
  });
  const dialect = new PostgresDialect();
  const athanorQuery = (i: number) =>
    select(users.c.name, func.count(orders.c.id).label('n'))
      .join(orders, users.c.id.eq(orders.c.userId))
      .where(and(users.c.age.gt(i), orders.c.total.gt(100)))
      .groupBy(users.c.name)
      .orderBy(desc('n'))
      .limit(10);

  const prebuilt = athanorQuery(5);
  compileCached(dialect, prebuilt);
  // Not extensible: compileCached cannot leave its per-statement memo on it, so every call
  // walks the key and looks it up, exactly what a statement built per call pays on a hit.
  const unmemoised = Object.preventExtensions(athanorQuery(5));

  const kysely = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const knex = knexFactory({ client: 'pg' });
  const dUsers = pgTable('users', {
    id: integer('id').primaryKey(),
    name: text('name'),
    age: integer('age'),
  });
  const dOrders = pgTable('orders', {
    id: integer('id').primaryKey(),
    userId: integer('user_id'),
    total: integer('total'),
  });
  const qb = new QueryBuilder();

  const variants: [string, (i: number) => { sql: string }][] = [
    [
      'kysely .compile()',
      (i) =>
        kysely
          .selectFrom('users')
          .innerJoin('orders', 'users.id', 'orders.user_id')
          .select(['users.name', (eb) => eb.fn.count('orders.id').as('n')])
          .where('users.age', '>', i)
          .where('orders.total', '>', 100)
          .groupBy('users.name')
          .orderBy('n', 'desc')
          .limit(10)
          .compile(),
    ],
    ['athanor (uncached)', (i) => compileUncached(dialect, athanorQuery(i))],
    ['athanor (through the cache)', (i) => compileCached(dialect, athanorQuery(i)).compiled],
    // Building alone, so the cache's own cost (the key walk and lookup) can be read off.
    ['athanor (build only)', (i) => ({ sql: athanorQuery(i) ? 'group by limit' : '' })],
    // A statement built once: compiling it without the cache, finding it by its structural
    // key (the cache-key walk, hash and lookup, what a statement built per call pays on a
    // hit), and the per-statement memo a prebuilt statement hits on every later execution.
    ['athanor prebuilt: uncached compile', () => compileUncached(dialect, prebuilt)],
    ['athanor prebuilt: cache hit by key', () => compileCached(dialect, unmemoised).compiled],
    ['athanor prebuilt: statement memo hit', () => compileCached(dialect, prebuilt).compiled],
    [
      'knex .toSQL()',
      (i) =>
        knex('users')
          .join('orders', 'users.id', 'orders.user_id')
          .select('users.name')
          .count({ n: 'orders.id' })
          .where('users.age', '>', i)
          .where('orders.total', '>', 100)
          .groupBy('users.name')
          .orderBy('n', 'desc')
          .limit(10)
          .toSQL(),
    ],
    [
      'drizzle .toSQL()',
      (i) =>
        qb
          .select({ name: dUsers.name, n: count(dOrders.id) })
          .from(dUsers)
          .innerJoin(dOrders, dEq(dUsers.id, dOrders.userId))
          .where(dAnd(dGt(dUsers.age, i), dGt(dOrders.total, 100)))
          .groupBy(dUsers.name)
          .orderBy(dDesc(count(dOrders.id)))
          .limit(10)
          .toSQL(),
    ],
  ];
  for (const [name, fn] of variants)
    check(/group by/i.test(fn(1).sql) && /limit/i.test(fn(1).sql), `${name} compiles the query`);
  const contenders: Contender[] = variants.map(([name, fn]) => ({ name, run: loop(sizes.ops, fn) }));
  const stats = await measure(contenders, {
    rounds: sizes.rounds,
    warmup: sizes.warmup,
    opsPerSample: sizes.ops,
    // Pure computation: process CPU time, so other work on the machine does not skew the ratios.
    clock: 'cpu',
    collectBetweenSamples: false,
  });
  const base = stats[0].median;
  await knex.destroy();
  return {
    workload: 'compile (join, where ×2, group by, order by, limit)',
    unit: 'µs/compile',
    baseline: stats[0].name,
    ops: sizes.ops,
    rounds: sizes.rounds,
    results: stats.map((s) => ({
      name: s.name,
      median: s.median,
      min: s.min,
      max: s.max,
      ratio: s.median / base,
    })),
  };
}
