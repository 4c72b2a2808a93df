/** Static types of a session's replica routing: `reads` and per-statement `use` take their values only. */
import { Column, type Engine, Integer, select } from '@athanor/core';
import { Session, type SessionOptions, declarativeBase, sessionmaker } from '@athanor/orm';
import { type Equal, expectType } from './assert';

declare const engine: Engine;
const Base = declarativeBase();
class Note extends Base.mapped('rt_note', { id: Column(Integer, { primaryKey: true }) }) {}

new Session(engine, { reads: 'auto' });
sessionmaker(engine, { reads: 'replica' });
// @ts-expect-error reads is 'primary', 'auto' or 'replica'
new Session(engine, { reads: 'sometimes' });
expectType<Equal<NonNullable<SessionOptions['reads']>, 'primary' | 'auto' | 'replica'>>(true);
expectType<Equal<Session['readsFrom'], 'primary' | 'replica'>>(true);

async function reads(session: Session) {
  await session.execute(select(Note), undefined, { use: 'replica' });
  await session.get(Note, 1, { use: 'primary' });
  // @ts-expect-error use is 'primary' or 'replica' ('auto' is the session's option)
  await session.scalars(select(Note), undefined, { use: 'auto' });
}
void reads;
