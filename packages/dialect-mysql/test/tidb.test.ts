/**
 * TiDB, the MySQL-protocol flavor. TiDB does not run here, so: what Athanor renders or refuses
 * differently, the classification of TiDB's own error numbers from error objects shaped as
 * mysql2 gives them, and the retry helper fed those errors by a real server (MariaDB raising
 * TiDB's error numbers and messages with SIGNAL) through a `tidb://` engine.
 */
import {
  ArgumentError,
  Column,
  CreateTable,
  DeadlockError,
  Integer,
  MetaData,
  SerializationError,
  String as StringT,
  Table,
  UnsupportedCompilationError,
  createEngine,
  parseURL,
  select,
  text,
} from '@athanor/core';
import { MySQLDialect, TIDB_RETRYABLE_ERRNOS, TiDBDialect, athanorDialect } from '../src';
import { transactionFailingFirst } from '@athanor/testing';
import { URL, server } from './server';

const tidb = new TiDBDialect({ serverVersion: [8, 0, 11] });
const mysql = new MySQLDialect({ serverVersion: [8, 0, 11] });
const metadata = new MetaData();
const orders = new Table('orders', metadata, {
  id: Column(Integer, { primaryKey: true }),
  status: Column(StringT(20)),
});

/** A server error as mysql2 hands it over: errno, the SQLSTATE, and the message. */
function mysqlError(errno: number, message: string): Error {
  return Object.assign(new Error(message), { errno, sqlState: 'HY000', code: `ER_${errno}` });
}

test('tidb:// and mysql://...?flavor=tidb build the TiDB dialect', async () => {
  expect(parseURL('tidb://root@db:4000/app')).toMatchObject({ dialect: 'mysql', flavor: 'tidb', port: 4000 });
  const engines = [createEngine('tidb://root@127.0.0.1:4000/app'), createEngine('mysql://root@127.0.0.1:4000/app?flavor=tidb'), createEngine('mysql://root@127.0.0.1/app')];
  expect(engines.map((e) => [e.dialect.constructor.name, e.dialect.name, e.dialect.flavor])).toEqual([
    ['TiDBDialect', 'mysql', 'tidb'],
    ['TiDBDialect', 'mysql', 'tidb'],
    ['MySQLDialect', 'mysql', undefined],
  ]);
  await Promise.all(engines.map((e) => e.dispose()));
  expect(() => createEngine('mysql://root@h/d?flavor=cockroachdb')).toThrow(/mysql dialect has no flavor 'cockroachdb' \(it knows tidb\)/);
});

test('isolation levels: REPEATABLE READ (snapshot) and READ COMMITTED; the others refused before BEGIN', () => {
  expect(tidb.capabilities.connection.isolationLevels).toEqual(['READ COMMITTED', 'REPEATABLE READ']);
  expect(mysql.capabilities.connection.isolationLevels).toEqual(['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE']);
  expect(athanorDialect.beginStatements!({ isolationLevel: 'READ COMMITTED' }, tidb)).toEqual(['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'START TRANSACTION']);
  expect(() => athanorDialect.beginStatements!({ isolationLevel: 'SERIALIZABLE' }, tidb)).toThrow(ArgumentError);
  expect(() => athanorDialect.beginStatements!({ isolationLevel: 'serializable' }, tidb)).toThrow(/TiDB has no SERIALIZABLE isolation level \(it answers error 8048\); use READ COMMITTED or REPEATABLE READ/);
  expect(() => athanorDialect.beginStatements!({ isolationLevel: 'READ UNCOMMITTED' }, tidb)).toThrow(/no READ UNCOMMITTED/);
  expect(athanorDialect.beginStatements!({ isolationLevel: 'SERIALIZABLE' }, mysql)).toEqual(['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'START TRANSACTION']);
  expect(() => athanorDialect.beginStatements!({ priority: 'high' }, tidb)).toThrow(/priorities are CockroachDB's; TiDB has none/);
});

test('SQL: MySQL 8.0 as rendered for MySQL (AUTO_INCREMENT keys); asOfSystemTime() refused naming TiDB\'s stale reads', () => {
  expect(new CreateTable(orders).compile(tidb).sql).toBe(new CreateTable(orders).compile(mysql).sql);
  expect(new CreateTable(orders).compile(tidb).sql).toContain('id INTEGER NOT NULL AUTO_INCREMENT');
  expect(select(orders.c.id).where(orders.c.status.eq('new')).compile(tidb)).toEqual({ sql: 'SELECT orders.id FROM orders WHERE orders.status = ?', params: ['new'] });
  const stale = select(orders.c.id).asOfSystemTime('-5s');
  expect(() => stale.compile(tidb)).toThrow(UnsupportedCompilationError);
  expect(() => stale.compile(tidb)).toThrow(/TiDB reads the past its own way: .*AS OF TIMESTAMP/);
  expect(() => stale.compile(mysql)).toThrow(/the 'mysql' dialect has no way to read as of a past time/);
});

test('TiDB\'s error numbers: 9007, 8005, 8002, 8022, 8028 retryable SerializationError; 1213 DeadlockError; MySQL keeps its reading', () => {
  expect([...TIDB_RETRYABLE_ERRNOS].sort()).toEqual([8002, 8005, 8022, 8028, 9007]);
  for (const errno of TIDB_RETRYABLE_ERRNOS) {
    const e = tidb.translateError(mysqlError(errno, `TiDB error ${errno}`), { sql: 'COMMIT' });
    expect([errno, e.constructor.name, (e as SerializationError).retryable, (e as SerializationError).code]).toEqual([errno, 'SerializationError', true, `ER_${errno}`]);
  }
  const deadlock = tidb.translateError(mysqlError(1213, 'Deadlock found when trying to get lock; try restarting transaction'), {});
  expect(deadlock).toBeInstanceOf(DeadlockError);
  // On MySQL/MariaDB these numbers mean nothing special: not retryable.
  const plain = mysql.translateError(mysqlError(9007, 'Write conflict'), {});
  expect(plain).not.toBeInstanceOf(SerializationError);
  expect((plain as SerializationError).retryable).toBe(false);
});

if (server.gate('TiDB retry classification fed by a live MariaDB')) {
  describe('the retry helper, fed TiDB\'s errors by a live server', () => {
    const table = `tidb_retry_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
    const tidbUrl = URL.replace(/^[a-z]+:/, 'tidb:');
    const setup = createEngine(URL);
    /** The server raises TiDB's error number with its message, as TiDB would. */
    const signal = (errno: number, message: string) => text(`SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = ${errno}, MESSAGE_TEXT = '${message}'`);
    beforeAll(() => setup.connect((c) => c.execute(text(`CREATE TABLE ${table} (attempt integer, errno integer)`))));
    afterAll(async () => {
      await setup.connect((c) => c.execute(text(`DROP TABLE IF EXISTS ${table}`)));
      await setup.dispose();
    });

    test.each([
      [9007, 'Write conflict, txnStartTS=445, conflictStartTS=446, conflictCommitTS=447 [try again later]'],
      [8002, 'can not retry select for update statement'],
      [8022, 'Error: KV error safe to retry'],
      [8028, 'Information schema is changed during the execution of the statement'],
    ])('%i is retried by engine.transaction() on a tidb:// engine, and the last attempt commits', async (errno, message) => {
      const engine = createEngine(tidbUrl);
      const probe = await transactionFailingFirst(engine, {
        failures: 2,
        retries: 3,
        work: (conn, attempt) => conn.execute(text(`INSERT INTO ${table} (attempt, errno) VALUES (${attempt}, ${errno})`)),
        fail: (conn) => conn.execute(signal(errno, message)),
      }).finally(() => engine.dispose());
      expect(probe.error).toBeUndefined();
      expect(probe.attempts).toBe(3);
      expect(probe.retriedOn.map((f) => [f instanceof SerializationError, (f as Error).message])).toEqual([
        [true, message],
        [true, message],
      ]);
      const rows = await setup.connect((c) => c.execute(text(`SELECT attempt FROM ${table} WHERE errno = ${errno}`)));
      expect(rows.all().map((r: any) => r.attempt)).toEqual([3]);
    });

    test('on a mysql:// engine the same error is not retried', async () => {
      const engine = createEngine(URL);
      const probe = await transactionFailingFirst(engine, { failures: 3, retries: 3, fail: (conn) => conn.execute(signal(9007, 'Write conflict')) }).finally(() => engine.dispose());
      expect(probe.attempts).toBe(1);
      expect(probe.error).not.toBeInstanceOf(SerializationError);
      expect((probe.error as Error).message).toBe('Write conflict');
    });
  });
}
