/**
 * Loader paths through a self-referential relationship (a tree, both directions) and a
 * one-to-one (uselist: false), with selectin, joined and subquery: each level an alias of
 * its own in a join, every object checked against Core reads.
 */
import { Column, ForeignKey, Integer, String, insert, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, relationship, selectinload, subqueryload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Node extends Base.mapped('lp_node', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  parentId: Column(Integer, ForeignKey('lp_node.id'), { name: 'parent_id' }),
}) {
  declare children: Node[];
  declare parent: Node | null;
  declare badge: Badge | null;
}
class Badge extends Base.mapped('lp_badge', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  nodeId: Column(Integer, ForeignKey('lp_node.id'), { name: 'node_id', nullable: false }),
  label: Column(String(10), { nullable: false }),
}) {
  declare node: Node;
}
Base.relationships(Node, {
  children: relationship(Node, { backPopulates: 'parent' }),
  badge: relationship(Badge, { uselist: false, backPopulates: 'node' }),
});
Base.relationships(Node, { parent: relationship(Node, { backPopulates: 'children', remoteSide: Node.c.id }) });
Base.relationships(Badge, { node: relationship(Node, { backPopulates: 'badge' }) });

// 1 → 2, 3; 2 → 4, 5; 3 → 6; 4 → 7. Badges on 2, 4 and 7.
const PARENT: Record<number, number | null> = { 1: null, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 4 };

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let childrenOf: (id: number) => number[];
  let badgeOf: (id: number) => string | null;
  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      for (const [id, parentId] of Object.entries(PARENT)) await c.execute(insert(Node.table).values({ id: Number(id), parentId }));
      await c.execute(insert(Badge.table), [2, 4, 7].map((nodeId) => ({ id: nodeId * 10, nodeId, label: `b${nodeId}` })));
    });
    const nodes = await live.rows<{ id: number; parentId: number | null }>(select(Node.c.id, Node.c.parentId));
    const badges = await live.rows<{ nodeId: number; label: string }>(select(Badge.c.nodeId, Badge.c.label));
    childrenOf = (id) => nodes.filter((n) => n.parentId === id).map((n) => n.id).sort((a, b) => a - b);
    badgeOf = (id) => badges.find((b) => b.nodeId === id)?.label ?? null;
  });
  async function selects<T>(fn: (s: Session) => Promise<T>): Promise<[T, number]> {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const value = await fn(s);
    return [value, live.log.slice(mark).filter((l) => /^SELECT/.test(l)).length];
  }
  const ids = (list: readonly { id: number }[]) => list.map((n) => n.id).sort((a, b) => a - b);

  test.each([
    ['selectin', () => selectinload(Node, 'children', 'children', 'badge'), 4],
    ['joined', () => joinedload(Node, 'children', 'children', 'badge'), 1],
    ['subquery', () => subqueryload(Node, 'children', 'children', 'badge'), 4],
  ] as const)('down a tree two levels and to a one-to-one with %s', async (_name, option, count) => {
    const [[root], n] = await selects((s) => s.scalars(select(Node).where(Node.c.id.eq(1)).options(option())).then((r) => r.all()));
    expect(n).toBe(count);
    expect(ids(root.children)).toEqual(childrenOf(1));
    for (const child of root.children) {
      expect(child.parent).toBe(root);
      expect(ids(child.children)).toEqual(childrenOf(child.id));
      for (const g of child.children) expect(g.badge?.label ?? null).toBe(badgeOf(g.id));
    }
  });

  test.each([
    // The fourth level has no key to look up (the root's parent_id is NULL): no statement.
    ['selectin', () => selectinload(Node, 'parent', 'parent', 'parent', 'parent'), 4],
    ['joined', () => joinedload(Node, 'parent', 'parent', 'parent', 'parent'), 1],
  ] as const)('up a tree to the root with %s (the root loads a null parent)', async (_name, option, count) => {
    const [[leaf], n] = await selects((s) => s.scalars(select(Node).where(Node.c.id.eq(7)).options(option())).then((r) => r.all()));
    expect(n).toBe(count);
    const chain: (number | null)[] = [];
    for (let at: Node | null = leaf; at !== null; at = at.parent) chain.push(at.id);
    expect(chain).toEqual([7, 4, 2, 1]);
  });

  test.each([
    // node.badge is a level of its own: a many-to-one does not fill the reverse one-to-one.
    ['selectin', () => selectinload(Badge, 'node', 'badge'), 3],
    ['joined', () => joinedload(Badge, 'node', 'badge'), 1],
  ] as const)('a one-to-one both ways with %s', async (_name, option, count) => {
    const [badges, n] = await selects((s) => s.scalars(select(Badge).orderBy(Badge.c.id).options(option())).then((r) => r.all()));
    expect(n).toBe(count);
    expect(badges.map((b) => [b.node.id, b.node.badge?.label])).toEqual([
      [2, 'b2'],
      [4, 'b4'],
      [7, 'b7'],
    ]);
    for (const b of badges) expect(b.node.badge).toBe(b);
  });
});
