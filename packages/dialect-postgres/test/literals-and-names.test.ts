/**
 * PostgreSQL-only cases of the security work: inline literals keep their value with
 * standard_conforming_strings off (the E'' form), and names over 63 bytes are refused
 * rather than truncated by the server into one table.
 */
import { ArgumentError, CheckConstraint, CheckViolation, Column, Index, Integer, MetaData, String, Table, insert, select, text } from '@athanor/core';
import { engineInOwnSchema, liveDescribe } from './server';

const d = liveDescribe('literal and name tests');
const schema = `athanor_lit_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

d('inline literals and identifier limits (live PostgreSQL)', () => {
  const engine = engineInOwnSchema(schema, new MetaData({ schema }));

  test('with standard_conforming_strings off, backslash defaults, CHECK constants and LIKE escapes keep their value', async () => {
    const metadata = new MetaData({ schema });
    const t = new Table('scs_off', metadata, {
      id: Column(Integer, { primaryKey: true }),
      a: Column(String(20), { serverDefault: 'x\\' }),
      b: Column(String(60), { serverDefault: "', evil INTEGER DEFAULT 7, -- " }),
      c: Column(String(20)),
    });
    t.addConstraint(new CheckConstraint(t.c.c.ne("q\\'"), { name: 'scs_off_c' }));
    await engine().connect(async (conn) => {
      await conn.execute(text('SET standard_conforming_strings = off'));
      expect(await conn.scalar(text('SHOW standard_conforming_strings'))).toBe('off');
      await metadata.createAll(conn);
      await conn.execute(insert(t).values({ id: 1, c: 'ok' }));
      expect(await conn.first(select(t.c.a, t.c.b))).toEqual({ a: 'x\\', b: "', evil INTEGER DEFAULT 7, -- " });
      // No column 'evil' was made: only the four declared.
      const cols = await conn.scalars(text(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = 'scs_off' ORDER BY ordinal_position`));
      expect(cols.all()).toEqual(['id', 'a', 'b', 'c']);
      await expect(conn.execute(insert(t).values({ id: 2, c: "q\\'" }))).rejects.toBeInstanceOf(CheckViolation);
      expect(await conn.scalars(select(t.c.id).where(t.c.a.like('x\\\\', { escape: '\\' }))).then((r) => r.all())).toEqual([1]);
      await conn.execute(text('SET standard_conforming_strings = on'));
    });
  });

  test('two table names that differ after byte 63 are refused instead of becoming one table', async () => {
    const metadata = new MetaData({ schema });
    const base = 'a'.repeat(63);
    const one = new Table(`${base}_one`, metadata, { id: Column(Integer, { primaryKey: true }) });
    new Table(`${base}_two`, metadata, { id: Column(Integer, { primaryKey: true }) });
    const e = await metadata.createAll(engine()).catch((x) => x);
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/is 67 bytes long; postgresql keeps at most 63 bytes of an identifier\. Give a shorter name\./);
    // 32 two-byte characters are 64 bytes: the limit counts bytes, not characters.
    expect(() => select(new Table('é'.repeat(32), new MetaData(), { id: Column(Integer) }).c.id).compile(engine().dialect)).toThrow(/64 bytes long/);
    await expect(engine().connect((c) => c.execute(select(one.c.id)))).rejects.toBeInstanceOf(ArgumentError);
  });

  test('a generated index name over 63 bytes is shortened with a hash suffix, and two such names stay apart', async () => {
    const metadata = new MetaData({ schema });
    const long = 'b'.repeat(40);
    const t = new Table(`${long}_t`, metadata, { id: Column(Integer, { primaryKey: true }), [`${long}_x`]: Column(Integer), [`${long}_y`]: Column(Integer) });
    t.addIndex(new Index(undefined, [`${long}_x`]));
    t.addIndex(new Index(undefined, [`${long}_y`]));
    await metadata.createAll(engine());
    const names = await engine().connect(async (c) => (await c.scalars(text(`SELECT indexname FROM pg_indexes WHERE schemaname = '${schema}' AND indexname LIKE 'ix%' ORDER BY indexname`))).all());
    expect(names).toHaveLength(2);
    for (const n of names) {
      expect(Buffer.byteLength(n as string)).toBe(63);
      expect(n).toMatch(/^ix_b+_t_b+_[0-9a-f]{8}$/);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  test('a schema whose name is hostile text holds a table like any other', async () => {
    const name = `s"; DROP TABLE x; --${process.pid}`;
    const quoted = engine().dialect.createCompiler().quoteAlways(name);
    const metadata = new MetaData({ schema: name });
    const t = new Table('in_odd_schema', metadata, { id: Column(Integer, { primaryKey: true }), v: Column(String(20)) });
    await engine().connect((c) => c.execute(text(`CREATE SCHEMA ${quoted}`)));
    try {
      await metadata.createAll(engine());
      await engine().begin((c) => c.execute(insert(t).values({ id: 1, v: 'ok' })));
      expect(await engine().connect(async (c) => (await c.execute(select(t.c.id, t.c.v))).all())).toEqual([{ id: 1, v: 'ok' }]);
      const schemas = await engine().connect(async (c) => (await c.execute(text('SELECT nspname FROM pg_namespace WHERE nspname = :n'), { n: name })).scalars().all());
      expect(schemas).toEqual([name]);
    } finally {
      await engine().connect((c) => c.execute(text(`DROP SCHEMA ${quoted} CASCADE`)));
    }
  });
});
