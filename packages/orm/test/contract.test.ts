import { createEngine } from '@athanor/core';
import { contractProgram } from './contract-program';
import { describeEach } from './databases';

/** echo lines end with the elapsed time (`[0.12 ms]`); the assertions compare the SQL. */
const withoutTiming = (line: string) => line.replace(/ \[(failed after )?[\d.]+ ms\]$/, '');

test('the contract program runs on in-memory SQLite exactly as written', async () => {
  const printed: unknown[] = [];
  await contractProgram('sqlite://', {}, { log: (v) => printed.push(v) });
  expect(printed).toEqual([['sandy@example.com', 'sandy@example.org'], true]);
});

describeEach((db) => {
  test('the PRODUCT.md ORM contract program runs as written', async () => {
    const fresh = await db.fresh();
    try {
      // One log for statements and prints, in order: shows which statements ran between prints.
      const log: string[] = [];
      const printed: unknown[] = [];
      await contractProgram(
        fresh.url,
        { ...fresh.options, echo: (line) => log.push(withoutTiming(line)) },
        {
          log: (v) => {
            printed.push(v);
            log.push('<print>');
          },
        },
      );
      expect(printed).toEqual([['sandy@example.com', 'sandy@example.org'], true]);

      const firstPrint = log.indexOf('<print>');
      const secondSession = log.slice(0, firstPrint);
      const selects = secondSession.filter((l) => /^SELECT/.test(l));
      // The user query and one selectin query for the addresses, then nothing before the print.
      expect(selects.slice(-2)[0]).toMatch(/FROM "?`?user_account/);
      expect(selects.slice(-1)[0]).toMatch(/FROM "?`?address.* IN /);
      expect(log[firstPrint - 1]).toMatch(/^SELECT .* IN /);

      const afterPrint = log.slice(firstPrint + 1, log.lastIndexOf('<print>'));
      expect(afterPrint.filter((l) => /^UPDATE/.test(l))).toHaveLength(1);
      expect(afterPrint.filter((l) => /^UPDATE/.test(l))[0]).toMatch(/fullname/);
      expect(afterPrint.filter((l) => /^DELETE/.test(l))).toHaveLength(1);
      // session.get() after commit came from the identity map: no statement after COMMIT.
      expect(afterPrint[afterPrint.length - 1]).toBe('COMMIT');

      // The first session inserted users before addresses, one batched INSERT per table.
      const inserts = log.filter((l) => /^INSERT/.test(l));
      expect(inserts.map((l) => /INTO\s+["`]?(\w+)/.exec(l)![1])).toEqual(['user_account', 'address']);

      // What is in the database now: the orphan is gone, the UPDATE landed.
      const check = createEngine(fresh.url, fresh.options);
      try {
        const { rows } = await check.connect((conn) => conn.execDriverSQL('SELECT u.name, u.fullname, a.email FROM user_account u JOIN address a ON a.user_id = u.id ORDER BY a.email'));
        expect(rows).toEqual([
          ['sandy', 'Sandy C.', 'sandy@example.com'],
          ['spongebob', 'Spongebob Squarepants', 'spongebob@example.com'],
        ]);
      } finally {
        await check.dispose();
      }
    } finally {
      await fresh.drop();
    }
  });
});
