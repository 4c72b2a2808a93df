/**
 * Many-to-many through a `secondary` table: the flush inserts an association row when an
 * object joins a collection (after both rows exist) and deletes it when it leaves (before
 * either row is deleted). The association table has no key of its own, so a row written
 * twice would show up twice when read back.
 */
import { Column, ForeignKey, Integer, String, Table, and, select } from '@athanor/core';
import { Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
const postTags = new Table('mm_post_tag', Base.metadata, {
  postId: Column(Integer, ForeignKey('mm_post.id'), { name: 'post_id', nullable: false }),
  tagId: Column(Integer, ForeignKey('mm_tag.id'), { name: 'tag_id', nullable: false }),
});
class Post extends Base.mapped('mm_post', { id: Column(Integer, { primaryKey: true }), title: Column(String(30), { nullable: false }) }) {
  declare tags: Tag[];
}
class Tag extends Base.mapped('mm_tag', { id: Column(Integer, { primaryKey: true }), label: Column(String(30), { nullable: false }) }) {
  declare posts: Post[];
}
Base.relationships(Post, { tags: relationship(Tag, { secondary: postTags, backPopulates: 'posts' }) });
Base.relationships(Tag, { posts: relationship(Post, { secondary: postTags, backPopulates: 'tags' }) });

// The same shape declared from one side only: no collection on the other class.
const articleLabels = new Table('mm_article_label', Base.metadata, {
  articleId: Column(Integer, ForeignKey('mm_article.id'), { name: 'article_id', nullable: false }),
  labelId: Column(Integer, ForeignKey('mm_label.id'), { name: 'label_id', nullable: false }),
});
class Article extends Base.mapped('mm_article', { id: Column(Integer, { primaryKey: true }), title: Column(String(30), { nullable: false }) }) {
  declare labels: Label[];
}
class Label extends Base.mapped('mm_label', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {}
Base.relationships(Article, { labels: relationship(Label, { secondary: articleLabels }) });

// Delete cascade across a many-to-many: deleting a playlist deletes its songs.
const playlistSongs = new Table('mm_playlist_song', Base.metadata, {
  playlistId: Column(Integer, ForeignKey('mm_playlist.id'), { name: 'playlist_id', nullable: false }),
  songId: Column(Integer, ForeignKey('mm_song.id'), { name: 'song_id', nullable: false }),
});
class Playlist extends Base.mapped('mm_playlist', { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }) }) {
  declare songs: Song[];
}
class Song extends Base.mapped('mm_song', { id: Column(Integer, { primaryKey: true }), title: Column(String(30), { nullable: false }) }) {}
Base.relationships(Playlist, { songs: relationship(Song, { secondary: playlistSongs, cascade: 'all' }) });

type Pair = [number, number];
const sortPairs = (pairs: Pair[]) => [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  /** The association rows whose post is one of `postIds`, as [postId, tagId], duplicates kept. */
  async function links(postIds: number[]): Promise<Pair[]> {
    const rows = await live.rows<{ postId: number; tagId: number }>(select(postTags.c.postId, postTags.c.tagId).where(postTags.c.postId.in(postIds)));
    return sortPairs(rows.map((r) => [r.postId, r.tagId]));
  }

  async function labelLinks(articleIds: number[]): Promise<Pair[]> {
    const rows = await live.rows<{ articleId: number; labelId: number }>(
      select(articleLabels.c.articleId, articleLabels.c.labelId).where(articleLabels.c.articleId.in(articleIds)),
    );
    return sortPairs(rows.map((r) => [r.articleId, r.labelId]));
  }

  test('linking new objects from either side (backPopulates): one association row per link, written once', async () => {
    const p1 = new Post({ title: 'p1' });
    const p2 = new Post({ title: 'p2' });
    const t1 = new Tag({ label: 't1' });
    const t2 = new Tag({ label: 't2' });
    p1.tags.push(t1, t2);
    // From the other side: both collections record the link, the row is written once.
    t1.posts.push(p2);
    expect(p2.tags.length === 1 && p2.tags[0] === t1).toBe(true);
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.addAll([p1, p2]);
      await s.commit();
    }
    const writes = live.writes(mark);
    const linkInserts = writes.filter((w) => /^INSERT INTO \W?mm_post_tag/.test(w));
    expect(linkInserts).toHaveLength(1);
    // The association rows go after both sides' rows.
    expect(writes.indexOf(linkInserts[0])).toBe(writes.length - 1);
    expect(await links([p1.id, p2.id])).toEqual(sortPairs([[p1.id, t1.id], [p1.id, t2.id], [p2.id, t1.id]]));
  });

  test('unlinking deletes exactly that association row; relinking adds it back once', async () => {
    const p = new Post({ title: 'u' });
    const [a, b, c] = ['ua', 'ub', 'uc'].map((label) => new Tag({ label }));
    p.tags.push(a, b, c);
    {
      await using s = new Session(live.engine);
      s.add(p);
      await s.commit();
    }
    await using s = new Session(live.engine);
    const loaded = (await s.scalars(select(Post).where(Post.c.id.eq(p.id)).options(selectinload(Post, 'tags')))).one();
    const tagB = loaded.tags.find((t) => t.label === 'ub')!;
    loaded.tags.splice(loaded.tags.indexOf(tagB), 1);
    let mark = live.log.length;
    await s.flush();
    const writes = live.writes(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^DELETE FROM \W?mm_post_tag/);
    await s.commit();
    expect(await links([p.id])).toEqual(sortPairs([[p.id, a.id], [p.id, c.id]]));

    // From the other side this time, in a new transaction.
    const again = (await s.scalars(select(Tag).where(Tag.c.id.eq(b.id)).options(selectinload(Tag, 'posts')))).one();
    expect(again.posts).toHaveLength(0);
    again.posts.push(loaded);
    mark = live.log.length;
    await s.commit();
    expect(live.writes(mark)).toHaveLength(1);
    expect(await links([p.id])).toEqual(sortPairs([[p.id, a.id], [p.id, b.id], [p.id, c.id]]));
  });

  test('removing and adding the same object in one flush leaves one row', async () => {
    const p = new Post({ title: 'r' });
    const t = new Tag({ label: 'rt' });
    p.tags.push(t);
    {
      await using s = new Session(live.engine);
      s.add(p);
      await s.commit();
    }
    await using s = new Session(live.engine);
    const loaded = (await s.scalars(select(Post).where(Post.c.id.eq(p.id)).options(selectinload(Post, 'tags')))).one();
    const tag = loaded.tags[0];
    loaded.tags.splice(0, 1);
    loaded.tags.push(tag);
    await s.commit();
    expect(await links([p.id])).toEqual([[p.id, t.id]]);
  });

  test('linking a persistent object whose own collection is not loaded: one row', async () => {
    const t = new Tag({ label: 'persist' });
    {
      await using s = new Session(live.engine);
      s.add(t);
      await s.commit();
    }
    const p = new Post({ title: 'np' });
    {
      await using s = new Session(live.engine);
      const tag = (await s.get(Tag, t.id))!;
      p.tags.push(tag);
      s.add(p);
      await s.commit();
    }
    expect(await links([p.id])).toEqual([[p.id, t.id]]);
  });

  test('assigning a whole collection that was not loaded: rows for exactly the new members', async () => {
    const p = new Post({ title: 'assign' });
    const [t1, t2, t3] = ['as1', 'as2', 'as3'].map((label) => new Tag({ label }));
    p.tags.push(t1, t2);
    {
      await using s = new Session(live.engine);
      s.addAll([p, t3]);
      await s.commit();
    }
    {
      await using s = new Session(live.engine);
      const post = (await s.get(Post, p.id))!;
      post.tags = [(await s.get(Tag, t1.id))!, (await s.get(Tag, t3.id))!];
      await s.commit();
    }
    expect(await links([p.id])).toEqual(sortPairs([[p.id, t1.id], [p.id, t3.id]]));
  });

  test('deleting an object deletes its association rows (its collection not loaded), then its row', async () => {
    const p1 = new Post({ title: 'd1' });
    const p2 = new Post({ title: 'd2' });
    const doomed = new Tag({ label: 'doomed' });
    const kept = new Tag({ label: 'kept' });
    p1.tags.push(doomed, kept);
    p2.tags.push(doomed);
    {
      await using s = new Session(live.engine);
      s.addAll([p1, p2]);
      await s.commit();
    }
    const mark = live.log.length;
    {
      await using s = new Session(live.engine);
      s.delete((await s.get(Tag, doomed.id))!);
      await s.commit();
    }
    const writes = live.writes(mark);
    expect(writes.at(-1)).toMatch(/^DELETE FROM \W?mm_tag\W/);
    expect(writes.slice(0, -1).every((w) => /^DELETE FROM \W?mm_post_tag/.test(w))).toBe(true);
    expect(await links([p1.id, p2.id])).toEqual([[p1.id, kept.id]]);
    expect(await live.rows(select(Tag.c.id).where(Tag.c.id.in([doomed.id, kept.id])))).toEqual([{ id: kept.id }]);
    expect(await live.rows(select(Post.c.id).where(Post.c.id.in([p1.id, p2.id])).orderBy(Post.c.id))).toEqual([{ id: p1.id }, { id: p2.id }]);
  });

  test('cascade delete across a many-to-many: the linked objects and the association rows go, loaded or not', async () => {
    const lists = ['pl-loaded', 'pl-unloaded', 'pl-kept'].map((name) => new Playlist({ name }));
    for (const pl of lists) pl.songs.push(new Song({ title: `${pl.name}-1` }), new Song({ title: `${pl.name}-2` }));
    {
      await using s = new Session(live.engine);
      s.addAll(lists);
      await s.commit();
    }
    {
      await using s = new Session(live.engine);
      s.delete((await s.scalars(select(Playlist).where(Playlist.c.id.eq(lists[0].id)).options(selectinload(Playlist, 'songs')))).one());
      s.delete((await s.get(Playlist, lists[1].id))!);
      await s.commit();
    }
    const songs = await live.rows<{ title: string }>(select(Song.c.title).where(Song.c.title.like('pl-%')).orderBy(Song.c.title));
    expect(songs.map((r) => r.title)).toEqual(['pl-kept-1', 'pl-kept-2']);
    const rows = await live.rows<{ playlistId: number }>(select(playlistSongs.c.playlistId).where(playlistSongs.c.playlistId.in(lists.map((l) => l.id))));
    expect(rows.map((r) => r.playlistId)).toEqual([lists[2].id, lists[2].id]);
    expect(await live.rows(select(Playlist.c.name).where(Playlist.c.name.like('pl-%')))).toEqual([{ name: 'pl-kept' }]);
  });

  test('declared from one side only: link, unlink, and delete of the owner', async () => {
    const art = new Article({ title: 'a' });
    const other = new Article({ title: 'o' });
    const [x, y] = [new Label({ name: 'x' }), new Label({ name: 'y' })];
    art.labels.push(x, y);
    other.labels.push(y);
    {
      await using s = new Session(live.engine);
      s.addAll([art, other]);
      await s.commit();
    }
    expect(await labelLinks([art.id, other.id])).toEqual(sortPairs([[art.id, x.id], [art.id, y.id], [other.id, y.id]]));
    {
      await using s = new Session(live.engine);
      const loaded = (await s.scalars(select(Article).where(Article.c.id.eq(art.id)).options(selectinload(Article, 'labels')))).one();
      loaded.labels.splice(
        loaded.labels.findIndex((l) => l.name === 'x'),
        1,
      );
      await s.commit();
    }
    expect(await labelLinks([art.id, other.id])).toEqual(sortPairs([[art.id, y.id], [other.id, y.id]]));
    // The label that lost its last link is still there: unlinking deletes the link, not the target.
    expect(await live.rows(select(Label.c.name).where(Label.c.id.eq(x.id)))).toEqual([{ name: 'x' }]);
    {
      await using s = new Session(live.engine);
      s.delete((await s.get(Article, art.id))!);
      await s.commit();
    }
    expect(await labelLinks([art.id, other.id])).toEqual([[other.id, y.id]]);
    expect(await live.rows(select(Article.c.id).where(and(Article.c.id.in([art.id, other.id]))))).toEqual([{ id: other.id }]);
  });
});
