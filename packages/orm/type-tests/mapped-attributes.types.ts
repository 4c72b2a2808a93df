/** Static types of column properties, hybrids and the column loading options: misspellings and wrong types are errors. */
import { Column, type ColumnElement, Integer, String, Text, func, select } from '@athanor/core';
import { columnProperty, declarativeBase, defer, loadOnly, undefer } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();

class Person extends Base.mapped(
  'person',
  {
    id: Column(Integer, { primaryKey: true }),
    first: Column(String(30), { nullable: false }),
    last: Column(String(30), { nullable: false }),
    nickname: Column(String(30)),
    age: Column(Integer, { nullable: false }),
    bio: Column(Text),
  },
  { deferred: ['bio'] },
) {
  declare readonly fullName: string;
  declare readonly upperLast: string | null;
  declare readonly display: string;
  declare olderThan: (years: number) => boolean;
}

// @ts-expect-error deferred names a column key
Base.mapped('person2', { id: Column(Integer, { primaryKey: true }) }, { deferred: ['bioo'] });

// Column properties: each name a declared field, each expression of the field's type.
const props = Base.columnProperties(Person, {
  fullName: columnProperty(Person.c.first.concat(' ').concat(Person.c.last)),
  upperLast: columnProperty(func.upper(Person.c.last)),
});
expectType<Equal<typeof props.fullName, ColumnElement<string>>>(true);
expectType<Equal<typeof props.upperLast, ColumnElement<string | null>>>(true);
// @ts-expect-error no such field on Person
Base.columnProperties(Person, { fulName: columnProperty(Person.c.first) });
// @ts-expect-error an integer expression for a string field
Base.columnProperties(Person, { fullName: columnProperty(Person.c.age) });
// @ts-expect-error a nullable expression for a field declared without null
Base.columnProperties(Person, { fullName: columnProperty(Person.c.nickname) });
// @ts-expect-error not a columnProperty(...) declaration
Base.columnProperties(Person, { fullName: Person.c.first });

// Hybrids: get/expression for a property, method/expression for a function field; the arguments typed from the field.
const hybrids = Base.hybrids(Person, {
  display: {
    get: (p) => {
      expectType<Equal<typeof p, Person>>(true);
      return p.nickname ?? p.first;
    },
    expression: (c) => func.coalesce(c.nickname, c.first),
  },
  olderThan: {
    method: (p, years) => {
      expectType<Equal<typeof years, number>>(true);
      return p.age > years;
    },
    expression: (c, years) => c.age.gt(years),
  },
});
expectType<Equal<typeof hybrids.display, ColumnElement<string>>>(true);
expectType<Equal<ReturnType<typeof hybrids.olderThan>, ColumnElement<boolean>>>(true);
select(Person).where(hybrids.display.eq('x')).orderBy(hybrids.display);
select(Person).where(hybrids.olderThan(30));
// @ts-expect-error the method's argument is a number
hybrids.olderThan('30');
// @ts-expect-error no such hybrid returned
hybrids.nope;
const p = new Person({ first: 'a', last: 'b', age: 3 });
expectType<Equal<typeof p.display, string>>(true);
expectType<Equal<typeof p.fullName, string>>(true);
expectType<Equal<ReturnType<typeof p.olderThan>, boolean>>(true);

// @ts-expect-error no such field on Person
Base.hybrids(Person, { nope: { get: () => 'x', expression: (c) => c.first } });
// @ts-expect-error get returns a number for a string field
Base.hybrids(Person, { display: { get: (x) => x.age, expression: (c) => c.first } });
// @ts-expect-error the expression is an integer for a string field
Base.hybrids(Person, { display: { get: (x) => x.first, expression: (c) => c.age } });
// @ts-expect-error no such column in the expression
Base.hybrids(Person, { display: { get: (x) => x.first, expression: (c) => c.frist } });
// @ts-expect-error a method field takes method(), not get()
Base.hybrids(Person, { olderThan: { get: (x: Person) => x.age > 1, expression: (c) => c.age.gt(1) } });
// @ts-expect-error the method's expression takes the method's arguments
Base.hybrids(Person, { olderThan: { method: (x, n) => x.age > n, expression: (c, n: string) => c.first.eq(n) } });

// Loading options take mapped columns or column property handles.
select(Person).options(defer(Person.c.nickname, props.upperLast), undefer(Person.c.bio), loadOnly(Person.c.first));
// @ts-expect-error no such column
defer(Person.c.bioo);
// @ts-expect-error a column key string is not a column
undefer('bio');
