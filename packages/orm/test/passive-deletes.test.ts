/**
 * `passiveDeletes`: the foreign keys carry a real ON DELETE CASCADE / SET NULL (SQLite runs
 * with foreign_keys=ON), so deleting a parent need not read its children. With `true`,
 * children not loaded are left to the database (no SELECT) and loaded ones are still
 * deleted or nulled by the flush; with `'all'` loaded ones are left alone too.
 */
import { ArgumentError, Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Folder extends Base.mapped('pd_folder', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare files: File[];
  declare links: Link[];
}
class File extends Base.mapped('pd_file', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  folderId: Column(Integer, ForeignKey('pd_folder.id', { onDelete: 'CASCADE' }), { name: 'folder_id', nullable: false }),
}) {}
class Link extends Base.mapped('pd_link', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  folderId: Column(Integer, ForeignKey('pd_folder.id', { onDelete: 'SET NULL' }), { name: 'folder_id' }),
}) {}
Base.relationships(Folder, {
  files: relationship(File, { cascade: 'all, delete-orphan', passiveDeletes: true }),
  links: relationship(Link, { passiveDeletes: 'all' }),
});

// The same without passiveDeletes, for comparison: the flush reads the children first.
class Box extends Base.mapped('pd_box', { id: Column(Integer, { primaryKey: true, autoincrement: false }) }) {
  declare items: Item[];
}
class Item extends Base.mapped('pd_item', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  boxId: Column(Integer, ForeignKey('pd_box.id', { onDelete: 'CASCADE' }), { name: 'box_id', nullable: false }),
}) {}
Base.relationships(Box, { items: relationship(Item, { cascade: 'all' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  const since = (mark: number) => live.log.slice(mark).filter((l) => /^(SELECT|INSERT|UPDATE|DELETE)/.test(l));

  async function seed(folderId: number): Promise<void> {
    await using s = new Session(live.engine);
    const f = new Folder({ id: folderId, name: `f${folderId}` });
    f.files.push(new File({ id: folderId * 10 }), new File({ id: folderId * 10 + 1 }));
    f.links.push(new Link({ id: folderId * 10 }), new Link({ id: folderId * 10 + 1 }));
    s.add(f);
    await s.commit();
  }
  const files = async (folderId: number) => (await live.rows<{ id: number }>(select(File.c.id).where(File.c.folderId.eq(folderId)))).length;
  const links = async (ids: number[]) =>
    (await live.rows<{ id: number; folderId: number | null }>(select(Link.c.id, Link.c.folderId).where(Link.c.id.in(ids)).orderBy(Link.c.id))).map((r) => [r.id, r.folderId]);

  test('children not loaded: one DELETE of the parent, no SELECT of the children; the database removes or nulls them', async () => {
    await seed(1);
    await using s = new Session(live.engine);
    const folder = (await s.get(Folder, 1))!;
    const mark = live.log.length;
    s.delete(folder);
    await s.commit();
    const statements = since(mark);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^DELETE FROM \W?pd_folder\W?/);
    expect(await files(1)).toBe(0);
    expect(await links([10, 11])).toEqual([
      [10, null],
      [11, null],
    ]);
  });

  test("children loaded: true still deletes them with the flush; 'all' leaves the loaded ones to the database too", async () => {
    await seed(2);
    await using s = new Session(live.engine);
    const [folder] = (await s.scalars(select(Folder).where(Folder.c.id.eq(2)).options(selectinload(Folder, 'files'), selectinload(Folder, 'links')))).all();
    expect(folder.files).toHaveLength(2);
    expect(folder.links).toHaveLength(2);
    const mark = live.log.length;
    s.delete(folder);
    await s.commit();
    const writes = live.writes(mark);
    expect(writes.filter((w) => /^DELETE FROM \W?pd_file\W?/.test(w))).toHaveLength(1);
    expect(writes.filter((w) => /pd_link/.test(w))).toEqual([]);
    expect(await files(2)).toBe(0);
    expect(await links([20, 21])).toEqual([
      [20, null],
      [21, null],
    ]);
  });

  test('without passiveDeletes the children are read before the parent is deleted', async () => {
    {
      await using s = new Session(live.engine);
      const b = new Box({ id: 1 });
      b.items.push(new Item({ id: 1 }), new Item({ id: 2 }));
      s.add(b);
      await s.commit();
    }
    await using s = new Session(live.engine);
    const box = (await s.get(Box, 1))!;
    const mark = live.log.length;
    s.delete(box);
    await s.commit();
    expect(since(mark).some((l) => /^SELECT .* FROM \W?pd_item\W?/.test(l))).toBe(true);
    expect(await live.rows(select(Item.c.id))).toEqual([]);
  });

  test("passiveDeletes: 'all' with a delete cascade is refused", () => {
    expect(() => Base.relationships(Box, { items: relationship(Item, { cascade: 'all', passiveDeletes: 'all' }) })).toThrow(ArgumentError);
  });
});
