import { CheckViolation, ForeignKeyViolation, IntegrityError, NotNullViolation, ProgrammingError, UniqueViolation, insert, text } from '@athanor/core';
import { expect } from '@jest/globals';
import type { SuiteContext } from '../context';

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the statement to fail');
}

export function errorTests(ctx: SuiteContext): void {
  const { users, posts } = ctx.t;
  const exec = (stmt: any) => ctx.engine.begin((c) => c.execute(stmt));

  ctx.test('unique violation: UniqueViolation, an IntegrityError with sql, params and cause', async () => {
    await ctx.reload();
    const e = await caught(exec(insert(users).values({ id: 10, name: 'ann', age: 1 })));
    expect(e).toBeInstanceOf(UniqueViolation);
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.sql).toMatch(/^INSERT INTO/i);
    expect(JSON.stringify(e.params)).toContain('ann');
    expect(e.cause).toBeDefined();
  });

  ctx.test('foreign key violation', async () => {
    await ctx.reload();
    expect(await caught(exec(insert(posts).values({ id: 50, userId: 999, title: 'x', score: 1 })))).toBeInstanceOf(ForeignKeyViolation);
  });

  ctx.test('not null violation', async () => {
    await ctx.reload();
    expect(await caught(exec(insert(users).values({ id: 11, name: null as any, age: 1 })))).toBeInstanceOf(NotNullViolation);
  });

  ctx.requires(['constraints.check'], 'check violation', async () => {
    await ctx.reload();
    expect(await caught(exec(insert(posts).values({ id: 51, userId: 1, title: 'neg', score: -1 })))).toBeInstanceOf(CheckViolation);
  });

  ctx.test('syntax error and missing table: ProgrammingError with the sql kept', async () => {
    const e = await caught(ctx.engine.connect((c) => c.execute(text('SELEC 1'))));
    expect(e).toBeInstanceOf(ProgrammingError);
    expect(e.sql).toBe('SELEC 1');
    expect(e.cause).toBeDefined();
    expect(await caught(ctx.engine.connect((c) => c.execute(text('SELECT * FROM cs_no_such_table'))))).toBeInstanceOf(ProgrammingError);
    expect(ctx.engine.pool.checkedOut).toBe(0);
  });
}
