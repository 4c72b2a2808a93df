/**
 * Injection: every payload family through every API that takes a name or a value. Each
 * test proves the statement meant what it said (the rows matched are exactly the ones
 * expected), the text came back exactly or was refused with a typed error before sending,
 * and the guard table is untouched.
 */
import {
  ArgumentError,
  Boolean as BooleanT,
  CheckConstraint,
  CheckViolation,
  Column,
  DataError,
  Enum,
  Index,
  Integer,
  MetaData,
  String,
  Table,
  Text,
  delete_,
  desc,
  func,
  insert,
  inspect,
  literal,
  select,
  sql,
  text,
  update,
} from '@athanor/core';
import { afterAll, beforeAll, expect } from '../runner';
import { caught } from '../caught';
import type { SuiteContext } from '../context';
import { MEGABYTE, PAYLOADS, type Payload } from './injection-payloads';
import { expectReflectsBack, longNameReflectionTest } from './injection-reflection';


/** The value of an own property, `__proto__` included (a plain read would give the prototype). */
const own = (row: object, key: string) => Object.getOwnPropertyDescriptor(row, key)?.value;

export function injectionTests(ctx: SuiteContext): void {
  const schema = () => ctx.t.metadata.schema;
  const guardMeta = new MetaData({ schema: ctx.t.metadata.schema });
  const guard = new Table('cs_guard', guardMeta, { id: Column(Integer, { primaryKey: true }), note: Column(String(20)) });
  const GUARD_ROWS = [
    { id: 1, note: 'one' },
    { id: 2, note: 'two' },
    { id: 3, note: 'three' },
  ];
  const guardIntact = async () => {
    const rows = await ctx.engine.connect(async (c) => (await c.execute(select(guard.c.id, guard.c.note).orderBy(guard.c.id))).all());
    expect(rows).toEqual(GUARD_ROWS);
  };
  const dialect = () => ctx.engine.dialect.name;

  beforeAll(async () => {
    await guardMeta.createAll(ctx.engine);
    await ctx.engine.begin((c) => c.execute(insert(guard), GUARD_ROWS));
  });
  afterAll(async () => {
    await guardMeta.dropAll(ctx.engine);
  });

  /** One table whose every name (table, column, index, constraint) holds the payload, with the payload as server default, Enum member and CHECK constant. */
  const hostileTable = (p: Payload) => {
    const m = new MetaData({ schema: schema() });
    const t = new Table(
      `t${p.text}`,
      m,
      {
        id: Column(Integer, { primaryKey: true, autoincrement: false }),
        v: Column(String(60), { name: p.text, serverDefault: p.text }),
        w: Column(String(60), { name: `w${p.text}` }),
        e: Column(Enum([p.text, 'other'])),
      },
      new Index(`ix${p.text}`, ['w']),
    );
    t.addConstraint(new CheckConstraint(t.c.w.ne(p.text), { name: `ck${p.text}` }));
    return { m, t };
  };

  for (const p of PAYLOADS) {
    ctx.test(`names: ${p.family} as table, column, index, constraint, label, alias and CTE names, reflected back`, async () => {
      if (p.refusedAsName?.(dialect())) {
        // Refused where declared (NUL) or when compiled for the dialect (its own rules).
        expect(await caught((async () => hostileTable(p).m.createAll(ctx.engine))())).toBeInstanceOf(ArgumentError);
        expect(await caught(ctx.engine.connect((c) => c.execute(select(guard.c.id.label(p.text)))))).toBeInstanceOf(ArgumentError);
        expect(await caught(ctx.engine.connect((c) => c.execute(select(guard.alias(p.text).c.id))))).toBeInstanceOf(ArgumentError);
        await guardIntact();
        return;
      }
      const { m, t } = hostileTable(p);
      await m.createAll(ctx.engine);
      try {
        // v is omitted: its server default (the payload, rendered inline in DDL) fills it.
        await ctx.engine.begin((c) => c.execute(insert(t).values({ id: 1, w: 'ok', e: p.text })));
        // The CHECK constant is the payload: that value, and only it, is refused.
        expect(await caught(ctx.engine.begin((c) => c.execute(insert(t).values({ id: 2, w: p.text }))))).toBeInstanceOf(CheckViolation);
        const a = t.alias(`a${p.text}`);
        const cte = select(a.c.id, a.c.v, a.c.e, a.c.w).where(a.c.w.eq('ok')).cte(`c${p.text}`);
        const label = cte.c.v.label(p.text);
        const rows = await ctx.engine.connect(async (c) => (await c.execute(select(label, cte.c.e, cte.c.w).orderBy(label))).all());
        expect(rows).toHaveLength(1);
        const row = rows[0];
        expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
        expect(Object.keys(row)).toEqual([p.text, 'e', 'w']);
        expect(own(row, p.text)).toBe(p.text);
        expect(row.e).toBe(p.text);
        expect(row.w).toBe('ok');
        // orderBy() by result key: the hostile label is a quoted name there too.
        const byKey = await ctx.engine.connect(async (c) => (await c.execute(select(label, cte.c.id).orderBy(desc(p.text), 'id'))).all());
        expect(byKey.map((r) => own(r, p.text))).toEqual([p.text]);
        // Raw SQL rows are keyed by the database's column names: the payload is an own key there too.
        const quoted = ctx.engine.dialect.createCompiler().quoteAlways(p.text).replace(/:/g, '\\:');
        const raw = await ctx.engine.connect(async (c) => (await c.execute(text(`SELECT 7 AS ${quoted}`))).all());
        expect(Object.getPrototypeOf(raw[0])).toBe(Object.prototype);
        expect(Object.keys(raw[0])).toEqual([p.text]);
        expect(Number(own(raw[0], p.text))).toBe(7);
        await expectReflectsBack(ctx, t, { column: p.text, index: `ix${p.text}`, check: `ck${p.text}` });
      } finally {
        await m.dropAll(ctx.engine);
      }
      await guardIntact();
    });

    ctx.test(`values: ${p.family} through where, values, update, LIKE helpers, JSON, raw SQL and the sql tag`, async () => {
      const { values: v } = ctx.t;
      const ids = async (where: any) =>
        ctx.engine.connect(async (c) => (await c.execute(select(v.c.id).where(where).orderBy(v.c.id))).scalars().all());
      await ctx.engine.begin(async (c) => {
        await c.execute(delete_(v));
        // Rows the payload must not match.
        await c.execute(insert(v), [
          { id: 1, t: 'a' },
          { id: 2, t: '%_' },
          { id: 3, t: '\\' },
        ]);
      });
      if (p.refusedAsText?.(dialect())) {
        expect(await caught(ctx.engine.begin((c) => c.execute(insert(v).values({ id: 10, t: p.text }))))).toBeInstanceOf(DataError);
        expect(await ids(v.c.id.gt(3))).toEqual([]);
        await guardIntact();
        return;
      }
      await ctx.engine.begin(async (c) => {
        await c.execute(insert(v).values({ id: 10, t: p.text, s: p.text, j: { [p.text]: [p.text] } }));
        await c.execute(insert(v).values({ id: 11, t: 'before' }));
        await c.execute(update(v).values({ t: p.text }).where(v.c.id.eq(11)));
      });
      expect(await ids(v.c.t.eq(p.text))).toEqual([10, 11]);
      for (const like of [v.c.t.contains(p.text), v.c.t.startsWith(p.text), v.c.t.endsWith(p.text), v.c.t.like(p.text.replace(/[%_/]/g, '/$&'), { escape: '/' }), v.c.t.like(p.text.replace(/[%_\\]/g, '\\$&'), { escape: '\\' })]) {
        if (p.refusedInLike?.(dialect())) expect(await caught(ids(like))).toBeInstanceOf(ArgumentError);
        else expect(await ids(like)).toEqual([10, 11]);
      }
      expect(await ids(v.c.t.in([p.text, 'zz']))).toEqual([10, 11]);
      expect(await ids(sql`${v.c.t} = ${p.text}`.as(BooleanT))).toEqual([10, 11]);
      const row = await ctx.engine.connect(async (c) => (await c.execute(select(v.c.t, v.c.s, v.c.j).where(v.c.id.eq(10)))).one());
      expect(row.t).toBe(p.text);
      expect(row.s).toBe(p.text);
      expect(row.j).toEqual({ [p.text]: [p.text] });
      expect(own(row.j as object, p.text)).toEqual([p.text]);
      expect(Object.getPrototypeOf(row.j)).toBe(Object.prototype);
      const raw = await ctx.engine.connect(async (c) =>
        (await c.execute(text(`SELECT t FROM ${ctx.engine.dialect.createCompiler().quoteSchemaTable(schema(), 'cs_values')} WHERE t = :p ORDER BY id`), { p: p.text })).all(),
      );
      expect(raw).toEqual([{ t: p.text }, { t: p.text }]);
      expect(await ctx.engine.connect((c) => c.scalar(select(literal(p.text, Text).label('x'))))).toBe(p.text);
      expect(await ctx.engine.connect((c) => c.scalar(select(func.count()).selectFrom(v)))).toBe(5);
      await guardIntact();
    });
  }

  ctx.requires(['reflection'], 'reflection of a name holding hostile text that names no table: ArgumentError, not a driver error', async () => {
    for (const p of PAYLOADS) {
      const e = await caught(inspect(ctx.engine).getColumns(`nope${p.text}`, schema()));
      expect(e).toBeInstanceOf(ArgumentError);
      // A NUL can be in no name: refused before the catalog query, the same on every database.
      expect(e.message).toMatch(p.text.includes('\u0000') ? /given to reflection contains a NUL character/ : /^No table/);
      if (p.text.includes('\u0000')) {
        for (const read of [inspect(ctx.engine).getTableNames(p.text), inspect(ctx.engine).getMultiIndexes(schema(), ['ok', p.text]), new MetaData().reflect(ctx.engine, { schema: p.text })]) {
          expect(await caught(read)).toBeInstanceOf(ArgumentError);
        }
      }
    }
    await guardIntact();
  });

  longNameReflectionTest(ctx);

  ctx.test("names longer than the dialect's limit are refused; where there is none, two long names stay two tables", async () => {
    const limit = ctx.engine.dialect.maxIdentifierLength;
    const m = new MetaData({ schema: schema() });
    const base = `cs_${'n'.repeat(80)}`;
    const one = new Table(`${base}_one`, m, { id: Column(Integer, { primaryKey: true }) });
    const two = new Table(`${base}_two`, m, { id: Column(Integer, { primaryKey: true }) });
    if (limit !== undefined) {
      const e = await caught(m.createAll(ctx.engine));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toContain(`keeps at most ${limit} ${ctx.engine.dialect.identifierLengthUnit} of an identifier`);
    } else {
      await m.createAll(ctx.engine);
      try {
        await ctx.engine.begin((c) => c.execute(insert(one).values({ id: 1 })));
        expect(await ctx.engine.connect(async (c) => (await c.execute(select(two.c.id))).all())).toEqual([]);
        expect(await ctx.engine.connect(async (c) => (await c.execute(select(one.c.id))).all())).toEqual([{ id: 1 }]);
      } finally {
        await m.dropAll(ctx.engine);
      }
    }
    await guardIntact();
  });

  ctx.test('values: a megabyte string ending in hostile text binds as one value', async () => {
    const { values: v } = ctx.t;
    expect(await ctx.engine.connect((c) => c.scalar(select(literal(MEGABYTE, Text).label('x'))))).toBe(MEGABYTE);
    const matched = await ctx.engine.connect(async (c) => (await c.execute(select(v.c.id).where(v.c.t.eq(MEGABYTE)))).all());
    expect(matched).toEqual([]);
    await guardIntact();
  }, 60_000);
}
