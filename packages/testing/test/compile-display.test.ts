/** `stmt.compile(dialect)` for inspection, and operands refused while building. */
import { ArgumentError, Integer, bindparam, select, update } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users } = schema();

describe('compile() of a statement whose bindparam() gets its value at execution', () => {
  const byId = select(users.c.id).where(users.c.id.eq(bindparam('id', { type: Integer })));

  test('shows the pending parameter as undefined on every dialect', () =>
    expectSQL(byId, {
      generic: { sql: 'SELECT users.id FROM users WHERE users.id = :id', params: { id: undefined } },
      sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [undefined] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1', params: [undefined] },
      mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [undefined] },
    }));

  test('a value given to compile() is bound', () =>
    expectSQL(
      byId,
      {
        generic: { sql: 'SELECT users.id FROM users WHERE users.id = :id', params: { id: 7 } },
        sqlite: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [7] },
        postgresql: { sql: 'SELECT users.id FROM users WHERE users.id = $1', params: [7] },
        mysql: { sql: 'SELECT users.id FROM users WHERE users.id = ?', params: [7] },
      },
      { id: 7 },
    ));
});

describe('undefined is not a SQL value', () => {
  const notSent: { id?: number } = {};

  test('eq / ne / comparisons with undefined raise ArgumentError naming the column and the fix', () => {
    expect(() => users.c.id.eq(notSent.id as any)).toThrow(ArgumentError);
    expect(() => users.c.id.eq(notSent.id as any)).toThrow(
      "Comparing 'id' with undefined (eq): undefined is not a SQL value. Pass null to compare with NULL (IS NULL), or leave the condition out.",
    );
    expect(() => users.c.id.ne(notSent.id as any)).toThrow(/with undefined \(ne\)/);
    expect(() => users.c.id.gt(notSent.id as any)).toThrow(/with undefined \(>\)/);
    expect(() => update(users).values({ name: 'x' }).where(users.c.id.eq(notSent.id as any))).toThrow(ArgumentError);
  });

  test('an in() list with undefined raises; null still means IS NULL', () => {
    expect(() => users.c.id.in([1, undefined as any])).toThrow(/with undefined \(in\)/);
    expect(() => users.c.id.notIn([undefined as any])).toThrow(/with undefined \(not in\)/);
    expect(String(select(users.c.id).where(users.c.name.eq(null)))).toBe('SELECT users.id FROM users WHERE users.name IS NULL');
  });
});
