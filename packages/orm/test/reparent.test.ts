/**
 * Moving a child to another parent under cascade 'all, delete-orphan': the child has a
 * parent at flush time, so it is not an orphan; its row stays and takes the new parent's key.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload, statusOf } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Folder extends Base.mapped('rp_folder', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
}) {
  declare files: File[];
}
class File extends Base.mapped('rp_file', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  folderId: Column(Integer, ForeignKey('rp_folder.id'), { name: 'folder_id', nullable: false }),
}) {
  declare folder: Folder;
}
Base.relationships(Folder, { files: relationship(File, { backPopulates: 'folder', cascade: 'all, delete-orphan' }) });
Base.relationships(File, { folder: relationship(Folder, { backPopulates: 'files' }) });

// The same shape with no backPopulates: only the collections say where a child is.
class Box extends Base.mapped('rp_box', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {
  declare items: Item[];
}
class Item extends Base.mapped('rp_item', {
  id: Column(Integer, { primaryKey: true }),
  name: Column(String(30), { nullable: false }),
  boxId: Column(Integer, ForeignKey('rp_box.id'), { name: 'box_id', nullable: false }),
}) {}
Base.relationships(Box, { items: relationship(Item, { cascade: 'all, delete-orphan' }) });

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  /** Two folders, the first holding one file per name; returns their ids. */
  async function seed(tag: string, names: string[]): Promise<[number, number]> {
    await using s = new Session(live.engine);
    const a = new Folder({ name: `${tag}-a` });
    const b = new Folder({ name: `${tag}-b` });
    for (const n of names) a.files.push(new File({ name: `${tag}-${n}` }));
    s.addAll([a, b]);
    await s.commit();
    return [a.id, b.id];
  }

  async function load(s: Session, ids: number[]): Promise<Folder[]> {
    return (await s.scalars(select(Folder).where(Folder.c.id.in(ids)).orderBy(Folder.c.id).options(selectinload(Folder, 'files')))).all();
  }

  async function storedFiles(tag: string): Promise<{ name: string; folderId: number }[]> {
    return live.rows(select(File.c.name, File.c.folderId).where(File.c.name.like(`${tag}-%`)).orderBy(File.c.name));
  }

  test('file.folder = other: one UPDATE of the foreign key, no DELETE', async () => {
    const [aId, bId] = await seed('assign', ['f1', 'f2']);
    await using s = new Session(live.engine);
    const [a, b] = await load(s, [aId, bId]);
    const f1 = a.files.find((f) => f.name === 'assign-f1')!;
    f1.folder = b;
    const mark = live.log.length;
    await s.commit();
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^UPDATE .*rp_file.* SET .*folder_id/);
    expect(statusOf(f1)).toBe('persistent');
    expect(f1.folderId).toBe(bId);
    expect(await storedFiles('assign')).toEqual([
      { name: 'assign-f1', folderId: bId },
      { name: 'assign-f2', folderId: aId },
    ]);
  });

  test('splice from one collection and push onto another: UPDATE, and the many-to-one side follows', async () => {
    const [aId, bId] = await seed('move', ['f1']);
    await using s = new Session(live.engine);
    const [a, b] = await load(s, [aId, bId]);
    const [f1] = a.files.splice(0, 1);
    b.files.push(f1);
    const mark = live.log.length;
    await s.commit();
    expect(live.writes(mark).map((l) => l.split(' ')[0])).toEqual(['UPDATE']);
    expect(f1.folder).toBe(b);
    expect(a.files).toEqual([]);
    expect(await storedFiles('move')).toEqual([{ name: 'move-f1', folderId: bId }]);
  });

  test('moved to a new folder that only the child refers to: the folder is inserted first, then the child updated', async () => {
    const [aId] = await seed('newparent', ['f1']);
    await using s = new Session(live.engine);
    const [a] = await load(s, [aId]);
    const f1 = a.files[0];
    const c = new Folder({ name: 'newparent-c' });
    f1.folder = c; // c joins the session by save-update cascade from f1
    await s.commit();
    expect(statusOf(c)).toBe('persistent');
    expect(c.files).toEqual([f1]);
    expect(await storedFiles('newparent')).toEqual([{ name: 'newparent-f1', folderId: c.id }]);
  });

  test('a child removed and given no parent is still an orphan: DELETE', async () => {
    const [aId] = await seed('orphan', ['f1', 'f2']);
    await using s = new Session(live.engine);
    const [a] = await load(s, [aId]);
    const f1 = a.files.find((f) => f.name === 'orphan-f1')!;
    a.files.splice(a.files.indexOf(f1), 1);
    const mark = live.log.length;
    await s.commit();
    expect(live.writes(mark).map((l) => l.split(' ')[0])).toEqual(['DELETE']);
    expect(statusOf(f1)).toBe('detached');
    expect(await storedFiles('orphan')).toEqual([{ name: 'orphan-f2', folderId: aId }]);
  });

  test('moved, then the old parent deleted: the child survives the delete cascade', async () => {
    const [aId, bId] = await seed('cascade', ['f1', 'f2']);
    await using s = new Session(live.engine);
    const [a, b] = await load(s, [aId, bId]);
    const f1 = a.files.find((f) => f.name === 'cascade-f1')!;
    f1.folder = b;
    s.delete(a);
    await s.commit();
    expect(await storedFiles('cascade')).toEqual([{ name: 'cascade-f1', folderId: bId }]);
    expect(await live.rows(select(Folder.c.id).where(Folder.c.id.eq(aId)))).toEqual([]);
  });

  test('without backPopulates: moving between collections updates, removing deletes', async () => {
    await using s = new Session(live.engine);
    const x = new Box({ name: 'x' });
    const y = new Box({ name: 'y' });
    x.items.push(new Item({ name: 'i1' }), new Item({ name: 'i2' }));
    s.addAll([x, y]);
    await s.commit();
    const [i1, i2] = x.items;
    x.items.splice(0, 2);
    y.items.push(i1);
    await s.commit();
    expect(statusOf(i1)).toBe('persistent');
    expect(statusOf(i2)).toBe('detached');
    expect(await live.rows(select(Item.c.name, Item.c.boxId).orderBy(Item.c.name))).toEqual([{ name: 'i1', boxId: y.id }]);
  });
});
