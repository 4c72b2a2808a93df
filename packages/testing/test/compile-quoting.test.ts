/** Identifier quoting per dialect: reserved words, mixed case, embedded quotes, schemas. */
import { insert, select, update } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { order, audit, users } = schema();

test('plain lower-case names are not quoted', () =>
  expectSQL(select(users.c.id, users.c.name), {
    generic: { sql: 'SELECT users.id, users.name FROM users', params: {} },
    sqlite: { sql: 'SELECT users.id, users.name FROM users', params: [] },
    postgresql: { sql: 'SELECT users.id, users.name FROM users', params: [] },
    mysql: { sql: 'SELECT users.id, users.name FROM users', params: [] },
  }));
test('reserved table and column names', () =>
  expectSQL(select(order.c.select), {
    generic: { sql: 'SELECT "order"."select" FROM "order"', params: {} },
    sqlite: { sql: 'SELECT "order"."select" FROM "order"', params: [] },
    postgresql: { sql: 'SELECT "order"."select" FROM "order"', params: [] },
    mysql: { sql: 'SELECT `order`.`select` FROM `order`', params: [] },
  }));
test('mixed-case column', () =>
  expectSQL(select(order.c.Mixed), {
    generic: { sql: 'SELECT "order"."Mixed" FROM "order"', params: {} },
    sqlite: { sql: 'SELECT "order"."Mixed" FROM "order"', params: [] },
    postgresql: { sql: 'SELECT "order"."Mixed" FROM "order"', params: [] },
    mysql: { sql: 'SELECT `order`.`Mixed` FROM `order`', params: [] },
  }));
test('embedded double quote', () =>
  expectSQL(select(order.c.dq), {
    generic: { sql: 'SELECT "order"."a""b" AS dq FROM "order"', params: {} },
    sqlite: { sql: 'SELECT "order"."a""b" AS dq FROM "order"', params: [] },
    postgresql: { sql: 'SELECT "order"."a""b" AS dq FROM "order"', params: [] },
    mysql: { sql: 'SELECT `order`.`a"b` AS dq FROM `order`', params: [] },
  }));
test('embedded backtick', () =>
  expectSQL(select(order.c.bq), {
    generic: { sql: 'SELECT "order"."c`d" AS bq FROM "order"', params: {} },
    sqlite: { sql: 'SELECT "order"."c`d" AS bq FROM "order"', params: [] },
    postgresql: { sql: 'SELECT "order"."c`d" AS bq FROM "order"', params: [] },
    mysql: { sql: 'SELECT `order`.`c``d` AS bq FROM `order`', params: [] },
  }));
test('quoted names in WHERE', () =>
  expectSQL(select(order.c.select).where(order.c.Mixed.eq('x')), {
    generic: {
      sql: 'SELECT "order"."select" FROM "order" WHERE "order"."Mixed" = :Mixed_1',
      params: { Mixed_1: 'x' },
    },
    sqlite: { sql: 'SELECT "order"."select" FROM "order" WHERE "order"."Mixed" = ?', params: ['x'] },
    postgresql: { sql: 'SELECT "order"."select" FROM "order" WHERE "order"."Mixed" = $1', params: ['x'] },
    mysql: { sql: 'SELECT `order`.`select` FROM `order` WHERE `order`.`Mixed` = ?', params: ['x'] },
  }));
test('quoted table alias', () => {
  const o = order.alias('Group');
  return expectSQL(select(o.c.select), {
    generic: { sql: 'SELECT "Group"."select" FROM "order" AS "Group"', params: {} },
    sqlite: { sql: 'SELECT "Group"."select" FROM "order" AS "Group"', params: [] },
    postgresql: { sql: 'SELECT "Group"."select" FROM "order" AS "Group"', params: [] },
    mysql: { sql: 'SELECT `Group`.`select` FROM `order` AS `Group`', params: [] },
  });
});
test('reserved label', () =>
  expectSQL(select(users.c.id.label('from')), {
    generic: { sql: 'SELECT users.id AS "from" FROM users', params: {} },
    sqlite: { sql: 'SELECT users.id AS "from" FROM users', params: [] },
    postgresql: { sql: 'SELECT users.id AS "from" FROM users', params: [] },
    mysql: { sql: 'SELECT users.id AS `from` FROM users', params: [] },
  }));
test('mixed-case label', () =>
  expectSQL(select(users.c.id.label('UserId')), {
    generic: { sql: 'SELECT users.id AS "UserId" FROM users', params: {} },
    sqlite: { sql: 'SELECT users.id AS "UserId" FROM users', params: [] },
    postgresql: { sql: 'SELECT users.id AS "UserId" FROM users', params: [] },
    mysql: { sql: 'SELECT users.id AS `UserId` FROM users', params: [] },
  }));
test('schema-qualified table', () =>
  expectSQL(select(audit.c.id, audit.c.msg), {
    generic: { sql: 'SELECT audit.log.id, audit.log.msg FROM audit.log', params: {} },
    sqlite: { sql: 'SELECT audit.log.id, audit.log.msg FROM audit.log', params: [] },
    postgresql: { sql: 'SELECT audit.log.id, audit.log.msg FROM audit.log', params: [] },
    mysql: { sql: 'SELECT audit.log.id, audit.log.msg FROM audit.log', params: [] },
  }));
test('schema-qualified table in WHERE', () =>
  expectSQL(select(audit.c.msg).where(audit.c.id.eq(1)), {
    generic: { sql: 'SELECT audit.log.msg FROM audit.log WHERE audit.log.id = :id_1', params: { id_1: 1 } },
    sqlite: { sql: 'SELECT audit.log.msg FROM audit.log WHERE audit.log.id = ?', params: [1] },
    postgresql: { sql: 'SELECT audit.log.msg FROM audit.log WHERE audit.log.id = $1', params: [1] },
    mysql: { sql: 'SELECT audit.log.msg FROM audit.log WHERE audit.log.id = ?', params: [1] },
  }));
test('insert into reserved table', () =>
  expectSQL(insert(order).values({ select: 1, Mixed: 'm', dq: 'q' }), {
    generic: {
      sql: 'INSERT INTO "order" ("select", "Mixed", "a""b") VALUES (:select_1, :Mixed_1, :dq_1)',
      params: { select_1: 1, Mixed_1: 'm', dq_1: 'q' },
    },
    sqlite: {
      sql: 'INSERT INTO "order" ("select", "Mixed", "a""b") VALUES (?, ?, ?)',
      params: [1, 'm', 'q'],
    },
    postgresql: {
      sql: 'INSERT INTO "order" ("select", "Mixed", "a""b") VALUES ($1, $2, $3) RETURNING "order"."select"',
      params: [1, 'm', 'q'],
    },
    mysql: { sql: 'INSERT INTO `order` (`select`, `Mixed`, `a"b`) VALUES (?, ?, ?)', params: [1, 'm', 'q'] },
  }));
test('update reserved table', () =>
  expectSQL(update(order).values({ Mixed: 'n' }).where(order.c.select.eq(2)), {
    generic: {
      sql: 'UPDATE "order" SET "Mixed" = :Mixed_1 WHERE "order"."select" = :select_1',
      params: { Mixed_1: 'n', select_1: 2 },
    },
    sqlite: { sql: 'UPDATE "order" SET "Mixed" = ? WHERE "order"."select" = ?', params: ['n', 2] },
    postgresql: { sql: 'UPDATE "order" SET "Mixed" = $1 WHERE "order"."select" = $2', params: ['n', 2] },
    mysql: { sql: 'UPDATE `order` SET `Mixed` = ? WHERE `order`.`select` = ?', params: ['n', 2] },
  }));
test('insert into schema-qualified table', () =>
  expectSQL(insert(audit).values({ id: 1, msg: 'hi' }), {
    generic: {
      sql: 'INSERT INTO audit.log (id, msg) VALUES (:id_1, :msg_1)',
      params: { id_1: 1, msg_1: 'hi' },
    },
    sqlite: { sql: 'INSERT INTO audit.log (id, msg) VALUES (?, ?)', params: [1, 'hi'] },
    postgresql: { sql: 'INSERT INTO audit.log (id, msg) VALUES ($1, $2) RETURNING audit.log.id', params: [1, 'hi'] },
    mysql: { sql: 'INSERT INTO audit.log (id, msg) VALUES (?, ?)', params: [1, 'hi'] },
  }));
