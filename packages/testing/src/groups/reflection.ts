/**
 * Reflection: what every dialect with `introspection` must read back the same way. Dialect
 * differences (type spellings, constraint names, expression text) stay in each dialect's own
 * round-trip tests; these check the portable core of `inspect()` and `metadata.reflect()`.
 */
import { Column, ForeignKey, Index, Integer, MetaData, String, Table, inspect, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';
import { describeType } from '../describe-type';
import { USERS } from '../fixtures';

export function reflectionTests(ctx: SuiteContext): void {
  const schema = () => ctx.t.metadata.schema;
  const R = ['reflection'];

  /** A parent and a child with ON DELETE CASCADE and two indexes, made and dropped by `fn`'s caller. */
  async function withOwnTables(fn: () => Promise<void>) {
    const m = new MetaData({ schema: schema() });
    const parent = new Table('cs_refl_parent', m, { id: Column(Integer, { primaryKey: true }), code: Column(String(20)) });
    const child = new Table('cs_refl_child', m, {
      id: Column(Integer, { primaryKey: true }),
      parentId: Column(Integer, ForeignKey('cs_refl_parent.id', { onDelete: 'CASCADE' }), { name: 'parent_id' }),
      tag: Column(String(20)),
    });
    child.addIndex(new Index('ix_cs_refl_tag', ['tag']));
    parent.addIndex(new Index('ux_cs_refl_code', ['code'], { unique: true }));
    await m.createAll(ctx.engine);
    try {
      await fn();
    } finally {
      await m.dropAll(ctx.engine);
    }
  }

  ctx.requires(R, 'getTableNames lists the fixture tables', async () => {
    const names = await inspect(ctx.engine).getTableNames(schema());
    for (const n of ['cs_users', 'cs_posts', 'cs_values']) expect(names).toContain(n);
  });

  ctx.requires(R, 'getColumns: names, nullability and Integer/String(n)/Numeric(p,s) types', async () => {
    const insp = inspect(ctx.engine);
    const users = await insp.getColumns('cs_users', schema());
    expect(users.map((c) => [c.name, c.nullable, describeType(c.type)])).toEqual([
      ['id', false, 'Integer'],
      ['name', false, 'String(50)'],
      ['age', true, 'Integer'],
    ]);
    const num = (await insp.getColumns('cs_values', schema())).find((c) => c.name === 'num');
    expect(describeType(num?.type)).toBe('Numeric(20,4)');
  });

  ctx.requires(R, 'getPkConstraint returns the primary key columns', async () => {
    expect((await inspect(ctx.engine).getPkConstraint('cs_users', schema())).columns).toEqual(['id']);
    expect((await inspect(ctx.engine).getPkConstraint('cs_kv', schema())).columns).toEqual(['k']);
  });

  ctx.requires(R, 'getForeignKeys returns referred table, columns and onDelete', async () => {
    await withOwnTables(async () => {
      const fks = await inspect(ctx.engine).getForeignKeys('cs_refl_child', schema());
      expect(fks.map((f) => [f.columns, f.referredTable, f.referredColumns, f.onDelete])).toEqual([[['parent_id'], 'cs_refl_parent', ['id'], 'CASCADE']]);
    });
  });

  ctx.requires(R, 'getIndexes reports the unique flag', async () => {
    await withOwnTables(async () => {
      const insp = inspect(ctx.engine);
      const child = (await insp.getIndexes('cs_refl_child', schema())).find((i) => i.name === 'ix_cs_refl_tag');
      const parent = (await insp.getIndexes('cs_refl_parent', schema())).find((i) => i.name === 'ux_cs_refl_code');
      expect([child?.unique, child?.columns]).toEqual([false, ['tag']]);
      expect([parent?.unique, parent?.columns]).toEqual([true, ['code']]);
    });
  });

  ctx.requires(R, 'metadata.reflect builds tables that select rows', async () => {
    await ctx.reload();
    const m = new MetaData({ schema: schema() });
    await m.reflect(ctx.engine, { only: ['cs_users'] });
    const users = [...m.tables.values()].find((t) => t.name === 'cs_users');
    if (!users) throw new Error('cs_users was not reflected');
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(users).orderBy(users.c.id))).all());
    expect(rows).toEqual(USERS);
    const n = await ctx.engine.connect((c) => c.scalar(select(users.c.name).where(users.c.age.gt(40))));
    expect(n).toBe('dee');
  });
}
