/** Identity() and Sequence() beside the type: the column becomes optional at INSERT, its value type is unchanged. */
import { Column, ForeignKey, Identity, Integer, MetaData, Sequence, String, Table, insert, select } from '@athanor/core';
import { type Equal, expectType } from './assert';

const metadata = new MetaData();
new Table('parents', metadata, { id: Column(Integer, { primaryKey: true }) });
const things = new Table('things', metadata, {
  id: Column(Integer, Identity({ always: true }), { primaryKey: true }),
  serial: Column(Integer, Sequence('serial_seq'), { nullable: false }),
  counter: Column(Integer, { identity: { start: 10 }, nullable: false }),
  parentId: Column(Integer, [ForeignKey('parents.id'), Identity()], { nullable: false }),
  label: Column(String(20), { nullable: false }),
  owner: Column(Integer, ForeignKey('parents.id'), { nullable: false }),
});

// Generated columns may be left out; the others keep their rules.
insert(things).values({ label: 'a', owner: 1 });
insert(things).values({ label: 'a', owner: 1, serial: 5, counter: 6 });
// @ts-expect-error owner is required: a foreign key alone generates nothing
insert(things).values({ label: 'a' });
// @ts-expect-error a generated column still takes only its own value type
insert(things).values({ label: 'a', owner: 1, serial: 'five' });

const row = select(things.c.id, things.c.serial, things.c.counter, things.c.parentId);
expectType<Equal<typeof row.__row, { id: number; serial: number; counter: number; parentId: number }>>(true);

const seq = Sequence('s');
const next = select(seq.nextValue().label('n'));
expectType<Equal<typeof next.__row, { n: number }>>(true);

// @ts-expect-error Column's middle argument takes foreign keys and generators, not strings
Column(Integer, 'users.id', { nullable: false });
