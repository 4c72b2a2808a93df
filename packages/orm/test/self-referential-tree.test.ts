/**
 * A self-referential table (a tree of categories): `children` one-to-many, `parent` many-to-one
 * with remoteSide. A whole tree goes in one flush, each level of new rows one batched INSERT
 * after the level it references; deleting the root deletes the tree in one flush, children first.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Category extends Base.mapped('tr_category', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  parentId: Column(Integer, ForeignKey('tr_category.id'), { name: 'parent_id' }),
}) {
  declare children: Category[];
  declare parent: Category | null;
}
Base.relationships(Category, { children: relationship(Category, { backPopulates: 'parent', cascade: 'all, delete-orphan' }) });
Base.relationships(Category, { parent: relationship(Category, { backPopulates: 'children', remoteSide: Category.c.id }) });

const NODES = 1000;
const FANOUT = 3;

/** Node i (i > 0) hangs under node ⌊(i - 1) / 3⌋: a ternary tree of 1,000 nodes, 7 levels deep. */
const parentIndex = (i: number) => Math.floor((i - 1) / FANOUT);
function depthOf(i: number): number {
  let d = 0;
  for (let n = i; n > 0; n = parentIndex(n)) d++;
  return d;
}
const LEVELS = Math.max(...Array.from({ length: NODES }, (_, i) => depthOf(i))) + 1;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  /** Builds the tree through the relationships, half of it from the child side. */
  function buildTree(tag: string): Category[] {
    const nodes = Array.from({ length: NODES }, (_, i) => new Category({ name: `${tag}-${i}` }));
    for (let i = 1; i < NODES; i++) {
      const parent = nodes[parentIndex(i)];
      if (i % 2) parent.children.push(nodes[i]);
      else nodes[i].parent = parent;
    }
    return nodes;
  }

  const storedRows = (tag: string) =>
    live.rows<{ id: number; name: string; parentId: number | null }>(
      select(Category.c.id, Category.c.name, Category.c.parentId).where(Category.c.name.like(`${tag}-%`)).orderBy(Category.c.id),
    );

  test('a 1,000-node tree is inserted in one flush: one INSERT per level, every parent_id right', async () => {
    const nodes = buildTree('ins');
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.add(nodes[0]);
      await s.commit();
    }
    const writes = live.writes(mark);
    expect(writes.every((w) => /^INSERT INTO \W?tr_category/.test(w))).toBe(true);
    expect(writes).toHaveLength(LEVELS);

    const rows = await storedRows('ins');
    expect(rows).toHaveLength(NODES);
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (let i = 0; i < NODES; i++) {
      const row = byName.get(`ins-${i}`)!;
      expect(row.id).toBe(nodes[i].id);
      // The parent's id as the database stores it, not as the objects say.
      expect(row.parentId).toBe(i === 0 ? null : byName.get(`ins-${parentIndex(i)}`)!.id);
    }
  });

  test('in one flush: a subtree moves under another node, a leaf is deleted, new nodes hang under new nodes', async () => {
    // root ─ a ─ a1 ─ a11
    //      └ b ─ b1
    const names = ['mix-root', 'mix-a', 'mix-a1', 'mix-a11', 'mix-b', 'mix-b1'];
    const [root, a, a1, a11, b, b1] = names.map((name) => new Category({ name }));
    root.children.push(a, b);
    a.children.push(a1);
    a1.children.push(a11);
    b.children.push(b1);
    {
      await using s = new Session(live.engine);
      s.add(root);
      await s.commit();
    }
    {
      await using s = new Session(live.engine);
      const all = (await s.scalars(select(Category).where(Category.c.name.like('mix-%')))).all();
      const byName = new Map(all.map((c) => [c.name, c]));
      await s.refresh(byName.get('mix-b')!, ['children']);
      byName.get('mix-a1')!.parent = byName.get('mix-b')!; // a1 (with a11) moves under b
      s.delete(byName.get('mix-b1')!);
      const c = new Category({ name: 'mix-c' });
      const c1 = new Category({ name: 'mix-c1' });
      c.children.push(c1);
      c.parent = byName.get('mix-a11')!;
      await s.commit();
    }
    const rows = await storedRows('mix');
    const idOf = new Map(rows.map((r) => [r.name, r.id]));
    const parentOf = Object.fromEntries(rows.map((r) => [r.name, r.parentId === null ? null : rows.find((p) => p.id === r.parentId)!.name]));
    expect(parentOf).toEqual({
      'mix-root': null,
      'mix-a': 'mix-root',
      'mix-b': 'mix-root',
      'mix-a1': 'mix-b',
      'mix-a11': 'mix-a1',
      'mix-c': 'mix-a11',
      'mix-c1': 'mix-c',
    });
    expect(idOf.get('mix-a1')).toBe(a1.id);
  });

  test('a child removed from its parent is an orphan: it and its subtree are deleted, its siblings stay', async () => {
    const nodes = buildTree('orph');
    {
      await using s = new Session(live.engine);
      s.add(nodes[0]);
      await s.commit();
    }
    // Node 1's subtree: every node whose chain of parents reaches 1.
    const inSubtree = (i: number): boolean => i === 1 || (i > 1 && inSubtree(parentIndex(i)));
    const doomed = nodes.filter((_, i) => inSubtree(i)).map((n) => n.name);
    expect(doomed.length).toBeGreaterThan(100);
    {
      await using s = new Session(live.engine);
      const root = (await s.scalars(select(Category).where(Category.c.id.eq(nodes[0].id)).options(selectinload(Category, 'children')))).one();
      const first = root.children.find((c) => c.name === 'orph-1')!;
      root.children.splice(root.children.indexOf(first), 1);
      await s.commit();
    }
    const left = (await storedRows('orph')).map((r) => r.name);
    expect(left).toHaveLength(NODES - doomed.length);
    expect(left.filter((n) => doomed.includes(n))).toEqual([]);
  });

  test('deleting the root deletes the whole tree in one flush, children before their parents', async () => {
    const nodes = buildTree('del');
    {
      await using s = new Session(live.engine);
      s.add(nodes[0]);
      await s.commit();
    }
    const rootId = nodes[0].id;
    // Another tree stays.
    const other = buildTree('keep');
    {
      await using s = new Session(live.engine);
      s.add(other[0]);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      const root = (await s.get(Category, rootId))!;
      s.delete(root);
      await s.commit();
    }
    const writes = live.writes(mark);
    expect(writes.every((w) => /^DELETE FROM \W?tr_category/.test(w))).toBe(true);
    // One DELETE ... IN per level (deepest first), none per row.
    expect(writes).toHaveLength(LEVELS);
    expect(await storedRows('del')).toEqual([]);
    expect(await storedRows('keep')).toHaveLength(NODES);
  });
});
