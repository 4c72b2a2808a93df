/** selectinload over more parents than one IN list should carry: batches of 500 keys, every list right. */
import { Column, ForeignKey, Integer, String, insert, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Parent extends Base.mapped('sb_parent', { id: Column(Integer, { primaryKey: true }), name: Column(String(10), { nullable: false }) }) {
  declare children: Child[];
}
class Child extends Base.mapped('sb_child', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(16), { nullable: false }),
  parentId: Column(Integer, ForeignKey('sb_parent.id'), { name: 'parent_id', nullable: false }),
}) {
  declare parent: Parent;
}
Base.relationships(Parent, { children: relationship(Child, { backPopulates: 'parent' }) });
Base.relationships(Child, { parent: relationship(Parent, { backPopulates: 'children' }) });

const PARENTS = 1200;
/** Parent i has i % 3 children, named `c<i>-<n>`. */
const childrenOf = (i: number) => Array.from({ length: i % 3 }, (_, n) => `c${i}-${n}`);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const selectsSince = (mark: number) => live.log.slice(mark).filter((l) => /^SELECT/.test(l));

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Parent.table), Array.from({ length: PARENTS }, (_, i) => ({ id: i + 1, name: `p${i + 1}` })));
      const kids = Array.from({ length: PARENTS }, (_, i) => childrenOf(i + 1).map((name) => ({ name, parentId: i + 1 }))).flat();
      await c.execute(insert(Child.table), kids);
    });
  });

  test(`${PARENTS} parents: one query for them, one per 500 keys for their children, every list complete`, async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const parents = (await s.scalars(select(Parent).orderBy(Parent.c.id).options(selectinload(Parent, 'children')))).all();
    const selects = selectsSince(mark);
    expect(selects).toHaveLength(1 + Math.ceil(PARENTS / 500));
    expect(parents).toHaveLength(PARENTS);
    for (const p of parents) {
      expect(p.children.map((c) => c.name).sort()).toEqual(childrenOf(p.id));
      for (const c of p.children) expect(c.parent).toBe(p);
    }
    // The same as the database says, counted by Core.
    const stored = await live.rows<{ id: number }>(select(Child.c.id));
    expect(parents.reduce((n, p) => n + p.children.length, 0)).toBe(stored.length);
  });

  test('many-to-one side: the distinct parent keys of the children, in batches too', async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const children = (await s.scalars(select(Child).options(selectinload(Child, 'parent')))).all();
    const parentIds = new Set(children.map((c) => c.parentId));
    expect(selectsSince(mark)).toHaveLength(1 + Math.ceil(parentIds.size / 500));
    for (const c of children) expect(c.parent.id).toBe(c.parentId);
  });
});
