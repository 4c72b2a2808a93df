/**
 * Statement counts at scale: 1,000 parents × 10 children × 5 grandchildren. selectin runs
 * one statement per level and 500 keys (1 + 2 + 20), joined and jsonload run one; every
 * object matches what Core reads from the tables. The foreign keys are indexed (jsonload's
 * correlated subqueries look children up by them).
 */
import { Column, ForeignKey, Integer, String, insert, select } from '@athanor/core';
import { type JsonLoadOption, type LoaderOption, Session, declarativeBase, joinedload, jsonload, relationship, selectinload, subqueryload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Parent extends Base.mapped('sc_parent', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(10), { nullable: false }) }) {
  declare children: Child[];
}
class Child extends Base.mapped('sc_child', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  parentId: Column(Integer, ForeignKey('sc_parent.id'), { name: 'parent_id', nullable: false, index: true }),
}) {
  declare grandchildren: Grandchild[];
}
class Grandchild extends Base.mapped('sc_grandchild', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  childId: Column(Integer, ForeignKey('sc_child.id'), { name: 'child_id', nullable: false, index: true }),
}) {}
Base.relationships(Parent, { children: relationship(Child) });
Base.relationships(Child, { grandchildren: relationship(Grandchild) });

const PARENTS = 1000;
const CHILDREN = 10;
const GRANDCHILDREN = 5;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let childrenOf: Map<number, number[]>;
  let grandchildrenOf: Map<number, number[]>;
  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Parent.table), Array.from({ length: PARENTS }, (_, i) => ({ id: i + 1, name: `p${i + 1}` })));
      await c.execute(insert(Child.table), Array.from({ length: PARENTS * CHILDREN }, (_, i) => ({ id: i + 1, parentId: Math.floor(i / CHILDREN) + 1 })));
      const g = Array.from({ length: PARENTS * CHILDREN * GRANDCHILDREN }, (_, i) => ({ id: i + 1, childId: Math.floor(i / GRANDCHILDREN) + 1 }));
      for (let i = 0; i < g.length; i += 10000) await c.execute(insert(Grandchild.table), g.slice(i, i + 10000));
    });
    const group = (rows: { id: number; owner: number }[]) => {
      const out = new Map<number, number[]>();
      for (const r of rows) out.set(r.owner, [...(out.get(r.owner) ?? []), r.id]);
      for (const list of out.values()) list.sort((a, b) => a - b);
      return out;
    };
    childrenOf = group(await live.rows(select(Child.c.id, Child.c.parentId.label('owner'))));
    grandchildrenOf = group(await live.rows(select(Grandchild.c.id, Grandchild.c.childId.label('owner'))));
  });

  async function loadAll(option: LoaderOption<Parent, ['children', 'grandchildren']> | JsonLoadOption<Parent, ['children', 'grandchildren'], Grandchild>) {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const parents = (await s.scalars(select(Parent).orderBy(Parent.c.id).options(option))).all();
    const selects = live.log.slice(mark).filter((l) => /^SELECT/.test(l)).length;
    expect(parents).toHaveLength(PARENTS);
    let grandchildren = 0;
    for (const p of parents) {
      expect(p.children.map((c) => c.id).sort((a, b) => a - b)).toEqual(childrenOf.get(p.id));
      for (const c of p.children) {
        expect(c.grandchildren.map((g) => g.id).sort((a, b) => a - b)).toEqual(grandchildrenOf.get(c.id));
        grandchildren += c.grandchildren.length;
      }
    }
    expect(grandchildren).toBe(PARENTS * CHILDREN * GRANDCHILDREN);
    return selects;
  }

  test('selectin: 1 + 1,000/500 + 10,000/500 statements', async () => {
    expect(await loadAll(selectinload(Parent, 'children', 'grandchildren'))).toBe(1 + PARENTS / 500 + (PARENTS * CHILDREN) / 500);
  });

  test('joined: one statement', async () => {
    expect(await loadAll(joinedload(Parent, 'children', 'grandchildren'))).toBe(1);
  });

  test('jsonload: one statement, in both spellings', async () => {
    expect(await loadAll(jsonload(Parent, 'children', 'grandchildren'))).toBe(1);
    expect(await loadAll(jsonload(Parent, 'children').jsonload(Child, 'grandchildren'))).toBe(1);
  });

  test('jsonload below other strategies: in their statements', async () => {
    // The grandchildren come as JSON inside each selectin statement of the children (1,000 keys: 2).
    expect(await loadAll(selectinload(Parent, 'children').jsonload('grandchildren'))).toBe(1 + PARENTS / 500);
    expect(await loadAll(subqueryload(Parent, 'children').jsonload('grandchildren'))).toBe(2);
    expect(await loadAll(joinedload(Parent, 'children').jsonload('grandchildren'))).toBe(1);
  });

  test('subquery: one statement per level', async () => {
    expect(await loadAll(subqueryload(Parent, 'children', 'grandchildren'))).toBe(3);
  });
});
