import { Column, Date as DateT, DateTime, Integer, MetaData, Table, createEngine, insert, select } from '@athanor/core';

// Runs only under TZ=America/New_York (the package's test script starts a second jest for
// *.ny.test.ts files): values must come back unshifted whatever the process time zone.
const d = describe;

d('SQLite under process TZ=America/New_York', () => {
  test('the process really is in New York', () => {
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(300);
  });

  test('DateTime and Date round-trip without a shift', async () => {
    const engine = createEngine('sqlite://');
    const m = new MetaData();
    const t = new Table('moments', m, { id: Column(Integer, { primaryKey: true }), at: Column(DateTime), atz: Column(DateTime({ timezone: true })), day: Column(DateT) });
    try {
      await m.createAll(engine);
      // 07:30Z on the day New York's clocks jump, and a date near midnight UTC.
      const at = new Date('2024-03-10T07:30:00.123Z');
      const late = new Date('2024-12-31T23:59:59.999Z');
      await engine.connect((conn) => conn.execute(insert(t), [{ at, atz: at, day: '2024-02-29' }, { at: late, atz: late, day: '1999-12-31' }]));
      const rows = await engine.connect(async (conn) => (await conn.execute(select(t.c.at, t.c.atz, t.c.day).orderBy(t.c.id))).all());
      expect(rows.map((r) => [r.at?.toISOString(), r.atz?.toISOString(), r.day])).toEqual([
        [at.toISOString(), at.toISOString(), '2024-02-29'],
        [late.toISOString(), late.toISOString(), '1999-12-31'],
      ]);
    } finally {
      await engine.dispose();
    }
  });
});
