import { ArgumentError, CheckViolation, ForeignKeyViolation, IntegrityError, NotNullViolation, OperationalError, ProgrammingError, UniqueViolation, createEngine, delete_, insert, select, text, update } from '@athanor/core';
import { expect } from '../runner';
import { caught } from '../caught';
import type { SuiteContext } from '../context';


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

  ctx.test('a connection that cannot be opened: OperationalError naming the URL, with the driver error as cause', async () => {
    const sqlite = ctx.url.startsWith('sqlite');
    const targets = sqlite
      ? ['sqlite:////athanor-no-such-dir/x.db']
      : [ctx.url.replace(/\/[^/?]*(\?.*)?$/, '/athanor_no_such_db$1'), ctx.url.replace(/:\d+\//, ':1/')];
    for (const url of targets) {
      const engine = createEngine(url, ctx.engineOptions);
      try {
        for (let attempt = 0; attempt < 2; attempt++) {
          const e = await caught(engine.connect((c) => c.scalar(text('SELECT 1'))));
          expect(e).toBeInstanceOf(OperationalError);
          expect(e.message).toContain('Could not connect to');
          expect(e.message).toMatch(sqlite ? /directory exists/ : /server is running/);
          expect(e.cause).toBeDefined();
        }
        // Nothing half-open is left in the pool.
        expect(engine.pool.size).toBe(0);
      } finally {
        await engine.dispose();
      }
    }
  });

  ctx.test('more bound parameters than the database accepts: ArgumentError naming both numbers and the fixes, before sending', async () => {
    const max = ctx.engine.dialect.capabilities.dml.maxParams;
    const ids = Array.from({ length: max + 1 }, (_, i) => i);
    const e = await caught(ctx.engine.connect((c) => c.execute(select(users.c.id).where(users.c.id.in(ids)))));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain(`${max + 1} bound parameters; the database accepts at most ${max}`);
    expect(e.message).toContain('conn.execute(insert(t), rows) batches within the limit');
    expect(ctx.engine.pool.checkedOut).toBe(0);
  }, 60_000);

  ctx.test('an invalid Date bound to a DateTime or Date column: ArgumentError before sending; nothing stored; the transaction goes on', async () => {
    const { values } = ctx.t;
    const bad = new Date('x');
    const at = new Date('2024-02-29T23:59:58.123Z');
    await ctx.engine.connect((c) => c.execute(delete_(values)));
    for (const row of [{ id: 1, at: bad }, { id: 2, day: bad as any }]) {
      const e = await caught(exec(insert(values).values(row)));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(/^Invalid Date bound to a (DateTime|Date) column: its time is NaN/);
    }
    await ctx.engine.begin(async (c) => {
      await c.execute(insert(values).values({ id: 3, at }));
      expect(await caught(c.execute(select(values.c.id).where(values.c.at.lt(bad))))).toBeInstanceOf(ArgumentError);
      expect(await caught(c.execute(update(values).values({ at: bad })))).toBeInstanceOf(ArgumentError);
      expect(await caught(c.execute(insert(values), [{ id: 4, at }, { id: 5, at: bad }]))).toBeInstanceOf(ArgumentError);
      // Refused before sending: the transaction has not failed.
      await c.execute(insert(values).values({ id: 6, at: null }));
    });
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(values.c.id, values.c.at).orderBy(values.c.id))).all());
    expect(rows).toEqual([
      { id: 3, at },
      { id: 6, at: null },
    ]);
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
