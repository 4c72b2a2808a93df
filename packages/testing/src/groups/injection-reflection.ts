/**
 * Reflection of tables whose names hold hostile text: every catalog query Athanor issues
 * (the existence check of createAll/dropAll, getTableNames, the getMulti* readers,
 * metadata.reflect) must bind the name as a value, so the table is found under exactly its
 * name, and a reflected table must select and insert under that name.
 */
import { CheckConstraint, Column, Index, Integer, MetaData, String, Table, inspect, insert, select } from '@athanor/core';
import { expect } from '../runner';
import type { SuiteContext } from '../context';

/** Checks that `t`, created with hostile names (see injection.ts), reads back from the catalogs under exactly its names. */
export async function expectReflectsBack(ctx: SuiteContext, t: Table<any, any>, names: { column: string; index: string; check: string }): Promise<void> {
  const schema = t.schema;
  const insp = inspect(ctx.engine);
  // The existence check (createAll's checkFirst) finds it: a second createAll creates nothing and fails on nothing.
  await t.metadata.createAll(ctx.engine);
  expect(await insp.getTableNames(schema)).toContain(t.name);
  expect((await insp.getColumns(t.name, schema)).map((c) => c.name)).toEqual(t.columns.map((c: { name: string }) => c.name));
  expect((await insp.getPkConstraint(t.name, schema)).columns).toEqual(['id']);
  expect((await insp.getIndexes(t.name, schema)).map((i) => i.name)).toContain(names.index);
  if (ctx.engine.dialect.name !== 'sqlite') expect((await insp.getCheckConstraints(t.name, schema)).map((c) => c.name)).toContain(names.check);
  // metadata.reflect() builds a table that works under the hostile names.
  const m = new MetaData({ schema });
  await m.reflect(ctx.engine, { only: [t.name] });
  const reflected = [...m.tables.values()].find((x) => x.name === t.name);
  if (!reflected) throw new Error(`${JSON.stringify(t.name)} was not reflected`);
  const column = reflected.columns.find((c: { name: string }) => c.name === names.column);
  if (!column) throw new Error(`column ${JSON.stringify(names.column)} was not reflected; got ${JSON.stringify(reflected.columns.map((c: { name: string }) => c.name))}`);
  await ctx.engine.begin((c) => c.execute(insert(reflected).values({ id: 3, [column.key]: 'via reflection' })));
  const rows = await ctx.engine.connect(async (c) => (await c.execute(select(reflected.c.id, column).orderBy(reflected.c.id))).all());
  expect(rows.map((r: Record<string, unknown>) => [r.id, r[column.key]])).toEqual([
    [1, names.column],
    [3, 'via reflection'],
  ]);
}

/** `prefix` padded with 'x' to exactly the dialect's identifier limit (200 characters where there is none). */
function atLimit(ctx: SuiteContext, prefix: string): string {
  const d = ctx.engine.dialect;
  const limit = d.maxIdentifierLength ?? 200;
  const length = (s: string) => (d.identifierLengthUnit === 'bytes' ? Buffer.byteLength(s, 'utf8') : [...s].length);
  let name = prefix;
  while (length(`${name}x`) <= limit) name += 'x';
  return name;
}

/** Names exactly at the limit, holding quotes, a backslash and multibyte characters, through every catalog query. */
export function longNameReflectionTest(ctx: SuiteContext): void {
  ctx.test('names exactly at the identifier limit with quotes, backslashes and multibyte characters are created and reflected back', async () => {
    const table = atLimit(ctx, `l'"\\é€`);
    const column = atLimit(ctx, `c'"\\ü`);
    const index = atLimit(ctx, `ix'"\\ß`);
    const check = atLimit(ctx, `ck'"\\ø`);
    const m = new MetaData({ schema: ctx.t.metadata.schema });
    const t = new Table(table, m, { id: Column(Integer, { primaryKey: true, autoincrement: false }), v: Column(String(300), { name: column, serverDefault: column }) }, new Index(index, ['v']));
    t.addConstraint(new CheckConstraint(t.c.v.ne('forbidden'), { name: check }));
    await m.createAll(ctx.engine);
    try {
      await ctx.engine.begin((c) => c.execute(insert(t).values({ id: 1 })));
      await expectReflectsBack(ctx, t, { column, index, check });
    } finally {
      await m.dropAll(ctx.engine);
    }
    expect(await inspect(ctx.engine).getTableNames(t.schema)).not.toContain(table);
  });
}
