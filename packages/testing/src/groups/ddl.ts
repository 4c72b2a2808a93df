import { Column, Integer, MetaData, ProgrammingError, String, Table, UniqueViolation, insert, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

export function ddlTests(ctx: SuiteContext): void {
  const schema = () => ctx.t.metadata.schema;
  const fresh = (name: string) => {
    const m = new MetaData({ schema: schema() });
    const tbl = new Table(name, m, { id: Column(Integer, { primaryKey: true }), code: Column(String(10), { index: true }) });
    return { m, tbl };
  };

  ctx.test('createAll/dropAll with checkFirst are idempotent', async () => {
    const { m, tbl } = fresh('cs_ddl_a');
    await m.createAll(ctx.engine);
    await m.createAll(ctx.engine, { checkFirst: true });
    await ctx.engine.begin((c) => c.execute(insert(tbl).values({ id: 1, code: 'x' })));
    expect(await ctx.engine.connect((c) => c.scalar(select(tbl.c.code)))).toBe('x');
    await m.dropAll(ctx.engine);
    await m.dropAll(ctx.engine, { checkFirst: true });
    await expect(ctx.engine.connect((c) => c.execute(select(tbl.c.id)))).rejects.toBeInstanceOf(ProgrammingError);
  });

  ctx.test('createAll without checkFirst fails on an existing table', async () => {
    const { m } = fresh('cs_ddl_b');
    await m.createAll(ctx.engine);
    try {
      await expect(m.createAll(ctx.engine, { checkFirst: false })).rejects.toBeInstanceOf(ProgrammingError);
    } finally {
      await m.dropAll(ctx.engine);
    }
  });

  ctx.test('a unique index is created and enforced', async () => {
    const { indexed } = ctx.t;
    await ctx.engine.begin((c) => c.execute(indexed.delete()));
    await ctx.engine.begin((c) => c.execute(insert(indexed).values({ id: 1, code: 'dup' })));
    await expect(ctx.engine.begin((c) => c.execute(insert(indexed).values({ id: 2, code: 'dup' })))).rejects.toBeInstanceOf(UniqueViolation);
    expect(await ctx.engine.connect(async (c) => (await c.execute(select(indexed.c.id))).scalars().all())).toEqual([1]);
  });

  ctx.requires(['ddl.transactional'], 'DDL rolls back with its transaction', async () => {
    const { m, tbl } = fresh('cs_ddl_tx');
    const conn = await ctx.engine.connect();
    try {
      await conn.begin();
      await m.createAll(conn);
      await conn.execute(insert(tbl).values({ id: 1, code: 'x' }));
      await conn.rollback();
    } finally {
      await conn.close();
    }
    await expect(ctx.engine.connect((c) => c.execute(select(tbl.c.id)))).rejects.toBeInstanceOf(ProgrammingError);
  });
}
