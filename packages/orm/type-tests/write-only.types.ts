/** Static types of write-only collections: never an array, select() typed by its member class. */
import { Column, ForeignKey, Integer, type ScalarResult } from '@athanor/core';
import { type RelationshipName, type Session, type WriteOnlyCollection, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();
class Account extends Base.mapped('tw_account', { id: Column(Integer, { primaryKey: true }) }) {
  declare entries: WriteOnlyCollection<Entry>;
}
class Entry extends Base.mapped('tw_entry', { id: Column(Integer, { primaryKey: true }), accountId: Column(Integer, ForeignKey('tw_account.id')) }) {}
Base.relationships(Account, { entries: relationship(Entry, { lazy: 'writeOnly' }) });
// @ts-expect-error the collection holds Entry objects, not Account objects
Base.relationships(Account, { entries: relationship(Account, { lazy: 'writeOnly' }) });

declare const acc: Account;
declare const session: Session;
acc.entries.add(new Entry({ id: 1 }));
// @ts-expect-error only Entry objects join it
acc.entries.add(new Account({ id: 2 }));
// @ts-expect-error not an array: it cannot be read as one
acc.entries.map((e) => e.id);
// @ts-expect-error no index access either
acc.entries[0];
// Loader options do not take it (it is never loaded).
expectType<Equal<RelationshipName<typeof Account>, never>>(true);
// @ts-expect-error not a loadable relationship
selectinload(Account, 'entries');
export async function rowsOf(): Promise<void> {
  const rows = await session.scalars(acc.entries.select().where(Entry.c.id.gt(0)));
  expectType<Equal<typeof rows, ScalarResult<Entry>>>(true);
}
