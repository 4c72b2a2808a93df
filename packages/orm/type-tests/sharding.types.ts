/** Static types of ShardedSession: shard engines, chooser signatures, `shardId` on execute/get, loaded rows typed as on a Session. */
import { Column, type Engine, Integer, String, select } from '@athanor/core';
import { Session, ShardedSession, comparedValues, declarativeBase, type shardOf } from '@athanor/orm';
import { type Equal, expectType } from './assert';

declare const east: Engine;
declare const west: Engine;
const Base = declarativeBase();
class Customer extends Base.mapped('st_customer', {
  id: Column(Integer, { primaryKey: true }),
  region: Column(String(10), { nullable: false }),
}) {}

const s = new ShardedSession({
  shards: { east, west },
  shardChooser: (_cls, obj) => (obj as Customer).region,
  identityChooser: (_cls, pk) => (pk[0] === 1 ? ['east'] : ['east', 'west']),
  queryChooser: (stmt) =>
    (comparedValues(stmt, Customer.c.region) as string[] | undefined) ?? ['east', 'west'],
});
new ShardedSession({ shards: new Map([['east', east]]), shardChooser: () => 'east', autoflush: false });
// A ShardedSession is a Session: code written for one takes the other.
const asSession: Session = s;
void asSession;

async function typed() {
  const c = await s.get(Customer, 1, { shardId: 'east' });
  expectType<Equal<typeof c, Customer | null>>(true);
  const all = (await s.scalars(select(Customer), undefined, { shardId: 'west' })).all();
  expectType<Equal<typeof all, Customer[]>>(true);
  const res = await s.execute(select(Customer.c.region), undefined, {
    shardId: 'east',
    populateExisting: true,
  });
  expectType<Equal<ReturnType<typeof res.all>, { region: string }[]>>(true);
  expectType<Equal<ReturnType<typeof shardOf>, string | undefined>>(true);
  // @ts-expect-error a plain Session has no shardId option
  await new Session(east).get(Customer, 1, { shardId: 'east' });
}
void typed;

// @ts-expect-error shardChooser is required
new ShardedSession({ shards: { east } });
// @ts-expect-error a shard is an Engine
new ShardedSession({ shards: { east: 'sqlite://' }, shardChooser: () => 'east' });
// @ts-expect-error shardChooser returns one shard id
new ShardedSession({ shards: { east }, shardChooser: () => ['east'] });
// @ts-expect-error binds are not an option of a sharded session
new ShardedSession({ shards: { east }, shardChooser: () => 'east', binds: new Map() });
