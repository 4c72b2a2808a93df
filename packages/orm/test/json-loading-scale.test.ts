/**
 * The shape for the JSON strategy: 1,000 parents × 10 children × 5 grandchildren
 * is ONE statement with jsonload, and the graph equals the rows Core reads.
 */
import { Column, ForeignKey, Integer, String, func, insert, select } from '@athanor/core';
import { Session, declarativeBase, jsonload, relationship } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Parent extends Base.mapped('js_parent', { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { nullable: false }) }) {
  declare children: Child[];
}
class Child extends Base.mapped('js_child', {
  id: Column(Integer, { primaryKey: true }),
  parentId: Column(Integer, ForeignKey('js_parent.id'), { name: 'parent_id', nullable: false, index: true }),
}) {
  declare grandchildren: Grandchild[];
}
class Grandchild extends Base.mapped('js_grandchild', {
  id: Column(Integer, { primaryKey: true }),
  childId: Column(Integer, ForeignKey('js_child.id'), { name: 'child_id', nullable: false, index: true }),
  label: Column(String(20), { nullable: false }),
}) {}
Base.relationships(Parent, { children: relationship(Child) });
Base.relationships(Child, { grandchildren: relationship(Grandchild) });

const PARENTS = 1000;
const CHILDREN = 10;
const GRANDCHILDREN = 5;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Parent.table), Array.from({ length: PARENTS }, (_, i) => ({ id: i + 1, name: `p${i + 1}` })));
      await c.execute(insert(Child.table), Array.from({ length: PARENTS * CHILDREN }, (_, i) => ({ id: i + 1, parentId: Math.floor(i / CHILDREN) + 1 })));
      const grand = Array.from({ length: PARENTS * CHILDREN * GRANDCHILDREN }, (_, i) => ({ id: i + 1, childId: Math.floor(i / GRANDCHILDREN) + 1, label: `g${i + 1}` }));
      for (let i = 0; i < grand.length; i += 10000) await c.execute(insert(Grandchild.table), grand.slice(i, i + 10000));
    });
  }, 120000);

  test(`${PARENTS} × ${CHILDREN} × ${GRANDCHILDREN}: one statement, the graph equal to Core's rows`, async () => {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const parents = (await s.scalars(select(Parent).options(jsonload(Parent, 'children').jsonload(Child, 'grandchildren')))).all();
    expect(live.log.slice(mark).filter((l) => !/^(BEGIN|START TRANSACTION)/.test(l))).toHaveLength(1);
    expect(parents).toHaveLength(PARENTS);
    // Every grandchild, by the child holding it, as Core reads them.
    const rows = await live.rows<{ id: number; childId: number; label: string }>(select(Grandchild.c.id, Grandchild.c.childId, Grandchild.c.label));
    const stored = new Map<number, string[]>();
    for (const r of rows) stored.set(r.childId, [...(stored.get(r.childId) ?? []), `${r.id}:${r.label}`]);
    let children = 0;
    for (const p of parents) {
      expect(p.children.map((c) => c.parentId).every((id) => id === p.id)).toBe(true);
      children += p.children.length;
      for (const c of p.children) expect(c.grandchildren.map((g) => `${g.id}:${g.label}`).sort()).toEqual(stored.get(c.id)!.sort());
    }
    const [{ n }] = await live.rows<{ n: number }>(select(func.count().label('n')).selectFrom(Child.table));
    expect(children).toBe(Number(n));
    expect(parents.reduce((k, p) => k + p.children.reduce((m, c) => m + c.grandchildren.length, 0), 0)).toBe(rows.length);
  }, 120000);
});
