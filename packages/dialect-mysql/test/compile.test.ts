import {
  Boolean,
  Column,
  CreateTable,
  DateTime,
  ForeignKey,
  Integer,
  JSON,
  LargeBinary,
  MetaData,
  Numeric,
  String,
  Table,
  Text,
  Uuid,
  BigInteger,
  Enum,
  Date as DateType,
  UnsupportedCompilationError,
  and,
  cast,
  delete_,
  desc,
  func,
  insert,
  select,
  text,
  update,
  CreateSequence,
  DropSequence,
  Identity,
  Sequence,
  jsonArrayAgg,
  jsonRecord,
} from '@athanor/core';
import { MySQLDialect, inserted, insertedValue, onDuplicateKeyUpdate } from '../src';

function tables() {
  const metadata = new MetaData();
  const users = new Table('users', metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false }),
    age: Column(Integer),
    active: Column(Boolean, { serverDefault: true }),
  });
  const addresses = new Table('addresses', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id', { onDelete: 'CASCADE' }), { name: 'user_id', nullable: false }),
    email: Column(String(100), { nullable: false, unique: true }),
  });
  return { metadata, users, addresses };
}

const mysql = new MySQLDialect({ serverVersion: [8, 0, 36], mariadb: false });
const maria = new MySQLDialect({ serverVersion: [10, 11, 6], mariadb: true });

describe('select', () => {
  test('join, where, group, order, limit, offset', () => {
    const { users, addresses } = tables();
    const stmt = select(users.c.name, func.count(addresses.c.id).label('n'))
      .join(addresses, users.c.id.eq(addresses.c.userId))
      .where(and(users.c.age.gt(20), users.c.name.like('s%')))
      .groupBy(users.c.name)
      .orderBy(desc('n'))
      .limit(10)
      .offset(5);
    expect(stmt.compile(mysql)).toEqual({
      sql: 'SELECT users.name, count(addresses.id) AS n FROM users JOIN addresses ON users.id = addresses.user_id WHERE users.age > ? AND users.name LIKE ? GROUP BY users.name ORDER BY n DESC LIMIT ? OFFSET ?',
      params: [20, 's%', 10, 5],
    });
  });

  test('offset without limit uses the maximum row count', () => {
    const { users } = tables();
    expect(select(users.c.id).offset(3).compile(mysql)).toEqual({ sql: 'SELECT users.id FROM users LIMIT 18446744073709551615 OFFSET ?', params: [3] });
  });

  test('ilike is lower() LIKE lower(); concat() for ||', () => {
    const { users } = tables();
    expect(select(users.c.id).where(users.c.name.ilike('%Bob%')).compile(mysql)).toEqual({
      sql: 'SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?)',
      params: ['%Bob%'],
    });
    expect(select(users.c.name.concat('!').label('x')).compile(mysql)).toEqual({ sql: 'SELECT concat(users.name, ?) AS x FROM users', params: ['!'] });
  });

  test('in and empty in', () => {
    const { users } = tables();
    expect(select(users.c.id).where(users.c.id.in([1, 2, 3])).compile(mysql)).toEqual({ sql: 'SELECT users.id FROM users WHERE users.id IN (?, ?, ?)', params: [1, 2, 3] });
    const empty = select(users.c.id).where(users.c.id.in([])).compile(mysql);
    expect(empty.sql).toBe('SELECT users.id FROM users WHERE 1 <> 1');
    expect(empty.params).toEqual([]);
  });

  test('booleans bind as 1/0; reserved words are backticked', () => {
    const metadata = new MetaData();
    const t = new Table('order', metadata, { id: Column(Integer, { primaryKey: true }), select: Column(Boolean) });
    expect(select(t.c.id).where(t.c.select.eq(true)).compile(mysql)).toEqual({ sql: 'SELECT `order`.id FROM `order` WHERE `order`.`select` = ?', params: [1] });
  });

  test('cast uses MySQL CAST names', () => {
    const { users } = tables();
    expect(select(cast(users.c.name, Integer).label('x'), cast(users.c.age, Numeric(10, 2)).label('y'), cast(users.c.age, String()).label('z')).compile(mysql)).toEqual({
      sql: 'SELECT CAST(users.name AS SIGNED) AS x, CAST(users.age AS DECIMAL(10, 2)) AS y, CAST(users.age AS CHAR) AS z FROM users',
      params: [],
    });
  });

  test('full outer join and nulls ordering are refused clearly', () => {
    const { users, addresses } = tables();
    expect(() => select(users.c.id).fullJoin(addresses, users.c.id.eq(addresses.c.userId)).compile(mysql)).toThrow(/FULL OUTER JOIN is not supported by the 'mysql' dialect/);
    expect(() => select(users.c.id).orderBy(users.c.age.desc().nullsLast()).compile(mysql)).toThrow(UnsupportedCompilationError);
  });
});

describe('insert', () => {
  test('single row', () => {
    const { users } = tables();
    expect(insert(users).values({ name: 'sandy', age: 25 }).compile(mysql)).toEqual({ sql: 'INSERT INTO users (name, age) VALUES (?, ?)', params: ['sandy', 25] });
  });

  test('multi-row', () => {
    const { users } = tables();
    expect(
      insert(users)
        .values([
          { name: 'a', age: 1 },
          { name: 'b', age: 2 },
        ])
        .compile(mysql),
    ).toEqual({ sql: 'INSERT INTO users (name, age) VALUES (?, ?), (?, ?)', params: ['a', 1, 'b', 2] });
  });

  test('no values', () => {
    const { users } = tables();
    expect(insert(users).compile(mysql).sql).toBe('INSERT INTO users () VALUES ()');
  });

  test('RETURNING: refused on MySQL, rendered on MariaDB >= 10.5', () => {
    const { users } = tables();
    const stmt = insert(users).values({ name: 'a' }).returning(users.c.id);
    expect(() => stmt.compile(mysql)).toThrow(UnsupportedCompilationError);
    expect(() => stmt.compile(mysql)).toThrow('INSERT ... RETURNING is not supported by MySQL 8.0.36 (MariaDB 10.5 and later has it).');
    expect(stmt.compile(maria)).toEqual({ sql: 'INSERT INTO users (name) VALUES (?) RETURNING users.id', params: ['a'] });
    expect(() => stmt.compile(new MySQLDialect({ serverVersion: [10, 4, 32], mariadb: true }))).toThrow(
      'INSERT ... RETURNING needs MariaDB 10.5 or later; this server is MariaDB 10.4.32. Run a SELECT after the insert instead (result.insertedPrimaryKey gives the new id).',
    );
    // Before the first connect the version is unknown: the message still names the product.
    expect(() => stmt.compile(new MySQLDialect())).toThrow('INSERT ... RETURNING is not supported by MySQL (MariaDB 10.5 and later has it).');
    const upd = update(users).values({ name: 'b' }).returning(users.c.id);
    expect(() => upd.compile(maria)).toThrow('UPDATE ... RETURNING is not supported by MariaDB 10.11.6 (neither MySQL nor MariaDB has it). Run a SELECT after the update instead.');
  });

  test('onDuplicateKeyUpdate: VALUES(col), expressions and plain values', () => {
    const { users } = tables();
    const stmt = onDuplicateKeyUpdate(insert(users).values({ id: 1, name: 'a', age: 3 }), { name: inserted, age: users.c.age.add(1), active: false });
    expect(stmt.compile(mysql)).toEqual({
      sql: 'INSERT INTO users (id, name, age) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), age = age + ?, active = ?',
      params: [1, 'a', 3, 1, 0],
    });
    expect(() => onDuplicateKeyUpdate(insert(users), { nope: 1 })).toThrow(/'nope' is not a column key of table 'users'/);
  });

  test('onDuplicateKeyUpdate: insertedValue(col) inside an expression', () => {
    const { users } = tables();
    const stmt = onDuplicateKeyUpdate(insert(users).values({ id: 1, name: 'a', age: 3 }), { age: users.c.age.add(insertedValue(users.c.age)) });
    expect(stmt.compile(mysql)).toEqual({
      sql: 'INSERT INTO users (id, name, age) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE age = age + VALUES(age)',
      params: [1, 'a', 3],
    });
    expect(() => onDuplicateKeyUpdate(insert(users), { age: Symbol('x') })).toThrow(/'age' has a symbol value; use inserted/);
  });
});

describe('update and delete', () => {
  test('update', () => {
    const { users } = tables();
    expect(update(users).values({ name: 'x' }).where(users.c.id.eq(1)).compile(mysql)).toEqual({ sql: 'UPDATE users SET name = ? WHERE users.id = ?', params: ['x', 1] });
  });

  test('multi-table update', () => {
    const { users, addresses } = tables();
    expect(update(users).values({ name: 'x' }).where(and(users.c.id.eq(addresses.c.userId), addresses.c.email.eq('e'))).compile(mysql)).toEqual({
      sql: 'UPDATE users, addresses SET users.name = ? WHERE users.id = addresses.user_id AND addresses.email = ?',
      params: ['x', 'e'],
    });
  });

  test('delete and multi-table delete', () => {
    const { users, addresses } = tables();
    expect(delete_(users).where(users.c.id.eq(1)).compile(mysql)).toEqual({ sql: 'DELETE FROM users WHERE users.id = ?', params: [1] });
    expect(delete_(addresses).where(and(users.c.id.eq(addresses.c.userId), users.c.name.eq('a'))).compile(mysql)).toEqual({
      sql: 'DELETE addresses FROM addresses, users WHERE users.id = addresses.user_id AND users.name = ?',
      params: ['a'],
    });
  });
});

describe('DDL', () => {
  test('CREATE TABLE with pk, fk, unique, defaults, autoincrement', () => {
    const { users, addresses } = tables();
    expect(new CreateTable(users).compile(mysql).sql).toBe(
      'CREATE TABLE users (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tname VARCHAR(50) NOT NULL,\n\tage INTEGER,\n\tactive BOOL DEFAULT 1,\n\tPRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
    expect(new CreateTable(addresses).compile(mysql).sql).toBe(
      'CREATE TABLE addresses (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tuser_id INTEGER NOT NULL,\n\temail VARCHAR(100) NOT NULL,\n\tPRIMARY KEY (id),\n\tUNIQUE (email),\n\tFOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
  });

  test('type names', () => {
    const metadata = new MetaData();
    const t = new Table('types', metadata, {
      id: Column(BigInteger, { primaryKey: true }),
      n: Column(Numeric(18, 4)),
      s: Column(String()),
      tx: Column(Text),
      d: Column(DateType),
      dt: Column(DateTime),
      j: Column(JSON),
      u: Column(Uuid),
      b: Column(LargeBinary()),
      e: Column(Enum(['a', "it's"])),
      c: Column(Integer, { serverDefault: text('0') }),
    });
    expect(new CreateTable(t).compile(mysql).sql).toContain(
      "id BIGINT NOT NULL AUTO_INCREMENT,\n\tn DECIMAL(18, 4),\n\ts VARCHAR(255),\n\ttx LONGTEXT,\n\td DATE,\n\tdt DATETIME(6),\n\tj JSON,\n\tu CHAR(36),\n\tb LONGBLOB,\n\te ENUM('a', 'it''s'),\n\tc INTEGER DEFAULT 0",
    );
  });
});

describe('Identity and Sequence', () => {
  const orderSeq = () => Sequence('order_seq', { start: 100, increment: 10, cache: 5, cycle: false });

  test('MariaDB 10.3+: CREATE/DROP SEQUENCE (NOCYCLE spelling), NEXT VALUE FOR as default and expression', () => {
    const seq = orderSeq();
    const t = new Table('orders', new MetaData(), { id: Column(Integer, seq, { primaryKey: true }), n: Column(String(10)) });
    expect(new CreateSequence(seq, true).compile(maria).sql).toBe('CREATE SEQUENCE IF NOT EXISTS order_seq START WITH 100 INCREMENT BY 10 CACHE 5 NOCYCLE');
    expect(new CreateTable(t).compile(maria).sql).toBe(
      'CREATE TABLE orders (\n\tid INTEGER DEFAULT NEXT VALUE FOR order_seq NOT NULL,\n\tn VARCHAR(10),\n\tPRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
    expect(select(seq.nextValue().label('v')).compile(maria).sql).toBe('SELECT NEXT VALUE FOR order_seq AS v');
    expect(new DropSequence(seq, true).compile(maria).sql).toBe('DROP SEQUENCE IF EXISTS order_seq');
  });

  test('MySQL and MariaDB before 10.3 have no sequences: the error names the server and the fix', () => {
    const seq = orderSeq();
    expect(() => new CreateSequence(seq).compile(mysql)).toThrow(
      "Sequence 'order_seq' is not supported by the 'mysql' dialect: MySQL has no sequences (MariaDB 10.3 and later has them). Use Identity() or an autoincrement integer primary key instead.",
    );
    expect(() => new CreateSequence(seq).compile(new MySQLDialect({ serverVersion: [10, 2, 40], mariadb: true }))).toThrow(
      "Sequence 'order_seq' is not supported by the 'mysql' dialect: MariaDB 10.2.40 has none (they arrived in MariaDB 10.3). Use Identity() or an autoincrement integer primary key instead.",
    );
  });

  test('Identity(): AUTO_INCREMENT; start is the table option, the other options are ignored', () => {
    const t = new Table('t', new MetaData(), { id: Column(Integer, Identity({ start: 42, increment: 5, always: true }), { primaryKey: true }) });
    expect(new CreateTable(t).compile(maria).sql).toBe('CREATE TABLE t (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tPRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 AUTO_INCREMENT=42');
  });
});

describe('jsonRecord / jsonArrayAgg', () => {
  const md = new MetaData();
  const items = new Table('items', md, {
    id: Column(Integer, { primaryKey: true }),
    big: Column(BigInteger),
    at: Column(DateTime),
    blob: Column(LargeBinary),
    flag: Column(Boolean),
  });
  const record = jsonRecord({ id: items.c.id, big: items.c.big, at: items.c.at, blob: items.c.blob, flag: items.c.flag });
  test('JSON_OBJECT with values the driver would read as text cast to CHAR, binary as HEX; [] over no rows', () => {
    expect(select(jsonArrayAgg(record).label('a')).compile(maria).sql).toBe(
      "SELECT COALESCE(JSON_ARRAYAGG(JSON_OBJECT('id', items.id, 'big', CAST(items.big AS CHAR), 'at', CAST(items.at AS CHAR), 'blob', HEX(items.`blob`), 'flag', items.flag)), JSON_ARRAY()) AS a FROM items",
    );
  });
  test('ORDER BY inside the aggregate on MariaDB; refused on MySQL, naming the fix', () => {
    const ordered = select(jsonArrayAgg(record, { orderBy: [items.c.at.desc()] }).label('a'));
    expect(ordered.compile(maria).sql).toContain('JSON_ARRAYAGG(JSON_OBJECT(');
    expect(ordered.compile(maria).sql).toContain(" ORDER BY items.at DESC), JSON_ARRAY())");
    expect(() => ordered.compile(mysql)).toThrow('jsonArrayAgg() with orderBy is not supported on MySQL: it has no ORDER BY inside JSON_ARRAYAGG');
    expect(select(jsonArrayAgg(record).label('a')).compile(mysql).sql).toContain('JSON_ARRAYAGG(');
  });
});
