/**
 * The shared test databases: the login probe tells a server that accepts the login from one
 * that refuses it (a port probe cannot), and each fresh database is the test's own: a table
 * made in it is not seen by another fresh database, and drop() removes it from the server.
 */
import { join } from 'node:path';
import { ArgumentError, createEngine, text } from '@athanor/core';
import { canLogIn, describeEach, testDatabases, testServerUrl, uniqueName, withDatabase } from '../src/test-databases';

const packages = join(__dirname, '..', '..');
const driverPaths = [join(packages, 'dialect-postgres'), join(packages, 'dialect-mysql')];
const perSchema = testDatabases({ what: 'testing package live tests', prefix: 'athanor_tdb', driverPaths });
const perDatabase = testDatabases({ what: 'testing package live tests', prefix: 'athanor_tdb', driverPaths, postgresIsolation: 'database' });

test('uniqueName and withDatabase', () => {
  expect(uniqueName('athanor_x')).toMatch(new RegExp(`^athanor_x_${process.pid}_[a-z0-9]{1,6}$`));
  expect(uniqueName('p')).not.toBe(uniqueName('p'));
  expect(withDatabase('postgresql://u@h:5432/test?sslmode=disable', 'other')).toBe('postgresql://u@h:5432/other?sslmode=disable');
  expect(withDatabase('mysql://root@127.0.0.1:3306/test', 'other')).toBe('mysql://root@127.0.0.1:3306/other');
});

test('canLogIn: a URL that is not a server database is an ArgumentError naming it', () => {
  expect(() => canLogIn('sqlite:///tmp/x.db', driverPaths)).toThrow(ArgumentError);
  expect(() => canLogIn('sqlite:///tmp/x.db', driverPaths)).toThrow(/'sqlite:\/\/\/tmp\/x\.db' is not a postgresql:\/\/ or mysql:\/\/ URL/);
});

describeEach(perSchema, (db) => {
  if (db.name === 'sqlite') return test('SQLite needs no server', () => expect(db.available).toBe(true));
  const url = testServerUrl(db.name);

  test('canLogIn: the server takes the test login and refuses a user that does not exist, on the same open port', () => {
    expect(canLogIn(url, driverPaths)).toBe(true);
    const stranger = new URL(url);
    stranger.username = 'athanor_no_such_user';
    expect(canLogIn(stranger.toString(), driverPaths)).toBe(false);
  });
});

for (const [how, dbs] of [
  ['schema per test', perSchema],
  ['database per test', perDatabase],
] as const) {
  describeEach(dbs, (db) => {
    test(`fresh() (${how}): a table made in one is not in the other; drop() removes it`, async () => {
      const [a, b] = [await db.fresh(), await db.fresh()];
      const ea = createEngine(a.url, a.options);
      const eb = createEngine(b.url, b.options);
      try {
        await ea.begin(async (c) => {
          await c.execute(text('CREATE TABLE tdb_probe (n INTEGER)'));
          await c.execute(text('INSERT INTO tdb_probe (n) VALUES (41), (42)'));
        });
        expect(await ea.connect((c) => c.scalars(text('SELECT n FROM tdb_probe ORDER BY n')).then((r) => r.all()))).toEqual([41, 42]);
        await expect(eb.connect((c) => c.execute(text('SELECT n FROM tdb_probe')))).rejects.toThrow(/tdb_probe/);
      } finally {
        await ea.dispose();
        await eb.dispose();
      }
      await a.drop();
      await b.drop();
      const again = createEngine(a.url, a.options);
      try {
        // Dropped: the schema/database (SQLite: the file, recreated empty) no longer has the table.
        await expect(again.connect((c) => c.execute(text('SELECT n FROM tdb_probe')))).rejects.toThrow();
      } finally {
        await again.dispose();
        if (db.name === 'sqlite') await a.drop(); // the file the check above created again
      }
    });
  });
}
