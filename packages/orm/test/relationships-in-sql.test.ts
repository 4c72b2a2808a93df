/**
 * Relationships in statements: joins along a relationship (one-to-many, many-to-one,
 * many-to-many through the association table, to aliases), any()/has(), eq()/ne() with an
 * object, withParent(), aliased() entities, and ORM-enabled UPDATE/DELETE whose WHERE uses
 * them. Exact SQL for each database's dialect, and the rows each database returns.
 */
import { ArgumentError, InvalidRequestError, delete_, not, select, update } from '@athanor/core';
import { Session, aliased, rel, withParent } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';
import { Address, Base, Engineer, Member, Node, Post, Tag, Team, Truck, User } from './query-models';

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  /** `?` on SQLite and MariaDB, `$n` on PostgreSQL. */
  const sql = (stmt: { compile(d: any): { sql: string } }) => stmt.compile(live.engine.dialect).sql.replace(/\$\d+/g, '?');
  let ann: User;
  let bob: User;
  let cyd: User;
  let root: Node;
  let leaf: Node;

  beforeAll(async () => {
    await using s = new Session(live.engine);
    ann = new User({ id: 1, name: 'ann' });
    bob = new User({ id: 2, name: 'bob' });
    cyd = new User({ id: 3, name: 'cyd' });
    ann.addresses.push(new Address({ id: 10, email: 'ann@a.example' }), new Address({ id: 11, email: 'ann@b.example' }));
    bob.addresses.push(new Address({ id: 12, email: 'bob@a.example' }));
    s.add(new Address({ id: 13, email: 'nobody@a.example' }));
    const red = new Tag({ id: 20, label: 'red' });
    const blue = new Tag({ id: 21, label: 'blue' });
    const p1 = new Post({ id: 30, title: 'first' });
    p1.author = ann;
    p1.tags.push(red, blue);
    const p2 = new Post({ id: 31, title: 'second' });
    p2.author = bob;
    p2.tags.push(blue);
    const p3 = new Post({ id: 32, title: 'third' });
    p3.author = bob;
    root = new Node({ id: 40, name: 'root' });
    const mid = new Node({ id: 41, name: 'mid' });
    leaf = new Node({ id: 42, name: 'leaf' });
    mid.parent = root;
    leaf.parent = mid;
    const t1 = new Team({ id: 50, name: 't1' });
    t1.members.push(new Member({ id: 60, name: 'mo' }), new Engineer({ id: 61, name: 'eve' }));
    const t2 = new Team({ id: 51, name: 't2' });
    t2.members.push(new Member({ id: 62, name: 'max' }));
    s.addAll([ann, bob, cyd, p1, p2, p3, root, mid, leaf, t1, t2]);
    await s.commit();
  });

  test('join along a one-to-many relationship, and outerJoin', async () => {
    const stmt = select(User.c.name, Address.c.email).join(rel(User, 'addresses')).orderBy(Address.c.email);
    expect(sql(stmt)).toBe('SELECT qs_user.name, qs_address.email FROM qs_user JOIN qs_address ON qs_user.id = qs_address.user_id ORDER BY qs_address.email');
    expect(await live.rows(stmt)).toEqual([
      { name: 'ann', email: 'ann@a.example' },
      { name: 'ann', email: 'ann@b.example' },
      { name: 'bob', email: 'bob@a.example' },
    ]);
    const outer = select(User.c.name, Address.c.email).outerJoin(rel(User, 'addresses')).where(Address.c.id.isNull());
    expect(sql(outer)).toBe('SELECT qs_user.name, qs_address.email FROM qs_user LEFT OUTER JOIN qs_address ON qs_user.id = qs_address.user_id WHERE qs_address.id IS NULL');
    expect(await live.rows(outer)).toEqual([{ name: 'cyd', email: null }]);
  });

  test('outerJoin with entities: the missing side is null, not an empty object', async () => {
    await using s = new Session(live.engine);
    const stmt = select(User, Address).outerJoin(rel(User, 'addresses')).orderBy(User.c.id, Address.c.id);
    const rows = (await s.execute(stmt)).tuples();
    expect(rows.map(([u, a]) => [u.name, a?.email ?? null])).toEqual([
      ['ann', 'ann@a.example'],
      ['ann', 'ann@b.example'],
      ['bob', 'bob@a.example'],
      ['cyd', null],
    ]);
    expect(rows[0][0]).toBe(rows[1][0]);
    // A named alias on the outer side: its key holds null too.
    const a1 = aliased(Address, 'a1');
    const keyed = (await s.execute(select(User.c.name, a1).outerJoin(rel(User, 'addresses').ofType(a1)).orderBy(User.c.id, a1.c.id))).all();
    expect(keyed.map((r) => [r.name, r.a1?.email ?? null])).toEqual([
      ['ann', 'ann@a.example'],
      ['ann', 'ann@b.example'],
      ['bob', 'bob@a.example'],
      ['cyd', null],
    ]);
    // Outside a session too (detached instances).
    const plain = await live.engine.connect(async (c) => (await c.execute(stmt)).tuples());
    expect(plain.map(([u, a]) => [u.name, a === null ? null : a.id])).toEqual([
      ['ann', 10],
      ['ann', 11],
      ['bob', 12],
      ['cyd', null],
    ]);
  });

  test('join along a many-to-one relationship loads entities in the session', async () => {
    await using s = new Session(live.engine);
    const stmt = select(Address).join(rel(Address, 'user')).where(User.c.name.eq('bob'));
    expect(sql(stmt)).toBe(
      'SELECT qs_address.id, qs_address.email, qs_address.user_id FROM qs_address JOIN qs_user ON qs_address.user_id = qs_user.id WHERE qs_user.name = ?',
    );
    const found = (await s.scalars(stmt)).all();
    expect(found.map((a) => a.email)).toEqual(['bob@a.example']);
    expect(found[0]).toBeInstanceOf(Address);
    // Joined from the other side: the join starts at the relationship's parent.
    const fromParent = select(Address.c.email).join(rel(User, 'addresses')).where(User.c.name.eq('bob'));
    expect(sql(fromParent)).toBe('SELECT qs_address.email FROM qs_user JOIN qs_address ON qs_user.id = qs_address.user_id WHERE qs_user.name = ?');
    expect(await live.rows(fromParent)).toEqual([{ email: 'bob@a.example' }]);
    const tagsOfFirst = select(Tag.c.label).join(rel(Post, 'tags')).where(Post.c.title.eq('first')).orderBy(Tag.c.label);
    expect(sql(tagsOfFirst)).toBe(
      'SELECT qs_tag.label FROM qs_post JOIN qs_post_tag ON qs_post.id = qs_post_tag.post_id JOIN qs_tag ON qs_tag.id = qs_post_tag.tag_id WHERE qs_post.title = ? ORDER BY qs_tag.label',
    );
    expect(await live.rows(tagsOfFirst)).toEqual([{ label: 'blue' }, { label: 'red' }]);
  });

  test('join along a many-to-many relationship goes through the association table', async () => {
    const stmt = select(Post.c.title, Tag.c.label).join(rel(Post, 'tags')).orderBy(Post.c.title, Tag.c.label);
    expect(sql(stmt)).toBe(
      'SELECT qs_post.title, qs_tag.label FROM qs_post JOIN qs_post_tag ON qs_post.id = qs_post_tag.post_id JOIN qs_tag ON qs_tag.id = qs_post_tag.tag_id ORDER BY qs_post.title, qs_tag.label',
    );
    expect(await live.rows(stmt)).toEqual([
      { title: 'first', label: 'blue' },
      { title: 'first', label: 'red' },
      { title: 'second', label: 'blue' },
    ]);
    // A chain: users, their posts, those posts' tags.
    const chain = select(User.c.name, Tag.c.label).join(rel(User, 'posts')).join(rel(Post, 'tags')).where(Tag.c.label.eq('red'));
    expect(await live.rows(chain)).toEqual([{ name: 'ann', label: 'red' }]);
  });

  test('two joins to aliases of one class', async () => {
    const a1 = aliased(Address, 'a1');
    const a2 = aliased(Address, 'a2');
    const stmt = select(User.c.name)
      .join(rel(User, 'addresses').ofType(a1))
      .join(rel(User, 'addresses').ofType(a2))
      .where(a1.c.email.eq('ann@a.example'), a2.c.email.eq('ann@b.example'));
    expect(sql(stmt)).toBe(
      'SELECT qs_user.name FROM qs_user JOIN qs_address AS a1 ON qs_user.id = a1.user_id JOIN qs_address AS a2 ON qs_user.id = a2.user_id WHERE a1.email = ? AND a2.email = ?',
    );
    expect(await live.rows(stmt)).toEqual([{ name: 'ann' }]);
  });

  test('a self-join through aliased(): each node with its parent, both as identity-mapped instances', async () => {
    await using s = new Session(live.engine);
    const parent = aliased(Node, 'parent');
    const stmt = select(Node, parent).join(rel(Node, 'parent').ofType(parent)).orderBy(Node.c.id);
    expect(sql(stmt)).toBe(
      'SELECT qs_node.id, qs_node.name, qs_node.parent_id, parent.id, parent.name, parent.parent_id FROM qs_node JOIN qs_node AS parent ON qs_node.parent_id = parent.id ORDER BY qs_node.id',
    );
    const result = await s.execute(stmt);
    expect(result.keys()).toEqual(['Node', 'parent']);
    const pairs = result.tuples();
    expect(pairs.map(([node, up]) => [node.name, up.name])).toEqual([
      ['mid', 'root'],
      ['leaf', 'mid'],
    ]);
    expect(pairs[1][1]).toBe(pairs[0][0]);
    expect(pairs[0][1]).toBeInstanceOf(Node);
    // Keyed by the class name and the alias name (the alias's key is typed: it is a literal).
    expect(result.all().map((r) => r.parent)).toEqual([pairs[0][1], pairs[1][1]]);
    // The alias's columns in WHERE, and a join from an aliased parent.
    const grand = aliased(Node, 'grand');
    const deep = select(Node.c.name).join(rel(Node, 'parent').ofType(parent)).join(rel(parent, 'parent').ofType(grand)).where(grand.c.name.eq('root'));
    expect(sql(deep)).toBe('SELECT qs_node.name FROM qs_node JOIN qs_node AS parent ON qs_node.parent_id = parent.id JOIN qs_node AS grand ON parent.parent_id = grand.id WHERE grand.name = ?');
    expect(await live.rows(deep)).toEqual([{ name: 'leaf' }]);
  });

  test('any(): EXISTS a related row, correlated to the parent', async () => {
    const stmt = select(User.c.name).where(rel(User, 'addresses').any(Address.c.email.like('%@b.example'))).orderBy(User.c.name);
    expect(sql(stmt)).toBe(
      'SELECT qs_user.name FROM qs_user WHERE EXISTS (SELECT 1 AS anon_1 FROM qs_address WHERE qs_user.id = qs_address.user_id AND qs_address.email LIKE ?) ORDER BY qs_user.name',
    );
    expect(await live.rows(stmt)).toEqual([{ name: 'ann' }]);
    expect(await live.rows(select(User.c.name).where(rel(User, 'addresses').any()).orderBy(User.c.name))).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    const m2m = select(Post.c.title).where(rel(Post, 'tags').any(Tag.c.label.eq('blue'))).orderBy(Post.c.title);
    expect(sql(m2m)).toBe(
      'SELECT qs_post.title FROM qs_post WHERE EXISTS (SELECT 1 AS anon_1 FROM qs_post_tag, qs_tag WHERE qs_post.id = qs_post_tag.post_id AND qs_tag.id = qs_post_tag.tag_id AND qs_tag.label = ?) ORDER BY qs_post.title',
    );
    expect(await live.rows(m2m)).toEqual([{ title: 'first' }, { title: 'second' }]);
    expect(await live.rows(select(Post.c.title).where(not(rel(Post, 'tags').any())))).toEqual([{ title: 'third' }]);
  });

  test('any()/has() on a self-referential relationship alias the related rows', async () => {
    const withChildren = select(Node.c.name).where(rel(Node, 'children').any()).orderBy(Node.c.id);
    expect(sql(withChildren)).toBe('SELECT qs_node.name FROM qs_node WHERE EXISTS (SELECT 1 AS anon_1 FROM qs_node AS qs_node_1 WHERE qs_node.id = qs_node_1.parent_id) ORDER BY qs_node.id');
    expect(await live.rows(withChildren)).toEqual([{ name: 'root' }, { name: 'mid' }]);
    const child = aliased(Node, 'child');
    const named = select(Node.c.name).where(rel(Node, 'children').ofType(child).any(child.c.name.eq('leaf')));
    expect(sql(named)).toBe('SELECT qs_node.name FROM qs_node WHERE EXISTS (SELECT 1 AS anon_1 FROM qs_node AS child WHERE qs_node.id = child.parent_id AND child.name = ?)');
    expect(await live.rows(named)).toEqual([{ name: 'mid' }]);
    expect(await live.rows(select(Node.c.name).where(not(rel(Node, 'parent').has())))).toEqual([{ name: 'root' }]);
    // A criterion on Node.c would name the outer row: refused, naming the alias to use.
    expect(() => rel(Node, 'children').any(Node.c.name.eq('leaf'))).toThrow(ArgumentError);
    expect(() => rel(Node, 'children').any(Node.c.name.eq('leaf'))).toThrow("const child = aliased(Node, 'child'); rel(Node, 'children').ofType(child).any(child.c....)");
    expect(() => select(Node).join(rel(Node, 'children'))).toThrow("join to an alias: rel(Node, 'children').ofType(aliased(Node, 'name'))");
  });

  test('has(): EXISTS the related object', async () => {
    const stmt = select(Address.c.email).where(rel(Address, 'user').has(User.c.name.eq('ann'))).orderBy(Address.c.email);
    expect(sql(stmt)).toBe(
      'SELECT qs_address.email FROM qs_address WHERE EXISTS (SELECT 1 AS anon_1 FROM qs_user WHERE qs_address.user_id = qs_user.id AND qs_user.name = ?) ORDER BY qs_address.email',
    );
    expect(await live.rows(stmt)).toEqual([{ email: 'ann@a.example' }, { email: 'ann@b.example' }]);
    expect(await live.rows(select(Address.c.email).where(not(rel(Address, 'user').has())))).toEqual([{ email: 'nobody@a.example' }]);
  });

  test('eq(obj) and ne(obj) compare keys; ne() includes rows with no related object', async () => {
    const eq = select(Address.c.email).where(rel(Address, 'user').eq(bob));
    expect(sql(eq)).toBe('SELECT qs_address.email FROM qs_address WHERE qs_address.user_id = ?');
    expect(eq.compile(live.engine.dialect).params).toEqual([2]);
    expect(await live.rows(eq)).toEqual([{ email: 'bob@a.example' }]);
    const ne = select(Address.c.email).where(rel(Address, 'user').ne(ann)).orderBy(Address.c.email);
    expect(sql(ne)).toBe('SELECT qs_address.email FROM qs_address WHERE qs_address.user_id <> ? OR qs_address.user_id IS NULL ORDER BY qs_address.email');
    expect(await live.rows(ne)).toEqual([{ email: 'bob@a.example' }, { email: 'nobody@a.example' }]);
    expect(await live.rows(select(Address.c.email).where(rel(Address, 'user').eq(null)))).toEqual([{ email: 'nobody@a.example' }]);
    expect(await live.rows(select(Node.c.name).where(rel(Node, 'parent').ne(root)).orderBy(Node.c.id))).toEqual([{ name: 'root' }, { name: 'leaf' }]);
    expect(await live.rows(select(Node.c.name).where(rel(Node, 'parent').ne(null)).orderBy(Node.c.id))).toEqual([{ name: 'mid' }, { name: 'leaf' }]);
    expect(() => rel(Address, 'user').eq(new User({ name: 'new' }))).toThrow(InvalidRequestError);
    expect(() => rel(Address, 'user').eq(new User({ name: 'new' }))).toThrow("has no value for 'id' yet (it was never flushed: call session.flush() first)");
    expect(() => rel(Address, 'user').eq(leaf as never)).toThrow('expected a User object; got a Node object');
  });

  test('contains(obj): the parents whose collection holds the object, by key', async () => {
    await using s = new Session(live.engine);
    const address = (await s.get(Address, 11))!;
    const owner = select(User.c.name).where(rel(User, 'addresses').contains(address));
    expect(sql(owner)).toBe('SELECT qs_user.name FROM qs_user WHERE qs_user.id = ?');
    expect(await live.rows(owner)).toEqual([{ name: 'ann' }]);
    const blue = (await s.get(Tag, 21))!;
    const tagged = select(Post.c.title).where(rel(Post, 'tags').contains(blue)).orderBy(Post.c.title);
    expect(sql(tagged)).toBe('SELECT qs_post.title FROM qs_post, qs_post_tag WHERE qs_post.id = qs_post_tag.post_id AND qs_post_tag.tag_id = ? ORDER BY qs_post.title');
    expect(await live.rows(tagged)).toEqual([{ title: 'first' }, { title: 'second' }]);
    expect(() => rel(User, 'addresses').contains(new Address({ email: 'new@x' }))).toThrow("has no value for 'userId' yet (it was never flushed: call session.flush() first)");
  });

  test('withParent(): the objects related to a given one, along each kind of relationship', async () => {
    await using s = new Session(live.engine);
    const own = select(Address).where(withParent(ann, rel(User, 'addresses'))).orderBy(Address.c.id);
    expect(sql(own)).toBe('SELECT qs_address.id, qs_address.email, qs_address.user_id FROM qs_address WHERE qs_address.user_id = ? ORDER BY qs_address.id');
    expect((await s.scalars(own)).all().map((a) => a.email)).toEqual(['ann@a.example', 'ann@b.example']);
    const address = (await s.get(Address, 12))!;
    expect((await s.scalars(select(User).where(withParent(address, rel(Address, 'user'))))).all().map((u) => u.name)).toEqual(['bob']);
    const post = (await s.get(Post, 30))!;
    const tags = select(Tag.c.label).where(withParent(post, rel(Post, 'tags'))).orderBy(Tag.c.label);
    expect(sql(tags)).toBe('SELECT qs_tag.label FROM qs_tag, qs_post_tag WHERE qs_post_tag.post_id = ? AND qs_tag.id = qs_post_tag.tag_id ORDER BY qs_tag.label');
    expect(await live.rows(tags)).toEqual([{ label: 'blue' }, { label: 'red' }]);
  });

  test("a custom primaryjoin's extra terms apply to joins, any() and withParent(); key comparisons refuse them", async () => {
    const joined = select(User.c.name, Address.c.email).join(rel(User, 'bAddresses')).orderBy(Address.c.email);
    expect(sql(joined)).toBe(
      'SELECT qs_user.name, qs_address.email FROM qs_user JOIN qs_address ON qs_user.id = qs_address.user_id AND qs_address.email LIKE ? ORDER BY qs_address.email',
    );
    expect(await live.rows(joined)).toEqual([{ name: 'ann', email: 'ann@b.example' }]);
    expect(await live.rows(select(User.c.name).where(rel(User, 'bAddresses').any()))).toEqual([{ name: 'ann' }]);
    const own = select(Address.c.email).where(withParent(ann, rel(User, 'bAddresses')));
    expect(sql(own)).toBe('SELECT qs_address.email FROM qs_address WHERE qs_address.user_id = ? AND qs_address.email LIKE ?');
    expect(await live.rows(own)).toEqual([{ email: 'ann@b.example' }]);
    expect(() => select(User).join(rel(User, 'bAddresses').ofType(aliased(Address, 'b')))).toThrow(InvalidRequestError);
    expect(await live.rows(select(User.c.name).where(rel(User, 'bAddress').has()))).toEqual([{ name: 'ann' }]);
    const someAddress = new Address({ id: 99, email: 'x@b.example' });
    expect(() => rel(User, 'bAddress').eq(someAddress)).toThrow(
      "rel(User, 'bAddress').eq(): User.bAddress has a custom join with terms beyond its key columns, which a key comparison cannot apply; use has(Address.c.… .eq(…)).",
    );
    expect(() => rel(User, 'bAddresses').contains(someAddress)).toThrow('use any(Address.c.… .eq(…))');
  });

  test('a relationship to a single-table subclass keeps to its rows (the discriminator) in joins, any() and withParent()', async () => {
    await using s = new Session(live.engine);
    const joined = select(Team.c.name, Member.c.name.label('member')).join(rel(Team, 'engineers'));
    expect(sql(joined)).toBe('SELECT qs_team.name, qs_member.name AS member FROM qs_team JOIN qs_member ON qs_team.id = qs_member.team_id AND qs_member.kind = ?');
    expect(await live.rows(joined)).toEqual([{ name: 't1', member: 'eve' }]);
    expect(await live.rows(select(Team.c.name).where(rel(Team, 'engineers').any()))).toEqual([{ name: 't1' }]);
    expect(await live.rows(select(Team.c.name).where(rel(Team, 'members').any()).orderBy(Team.c.name))).toEqual([{ name: 't1' }, { name: 't2' }]);
    const t1 = (await s.get(Team, 50))!;
    const engineers = (await s.scalars(select(Member).where(withParent(t1, rel(Team, 'engineers'))))).all();
    expect(engineers.map((e) => [e.constructor.name, e.name])).toEqual([['Engineer', 'eve']]);
    // A class mapped to several tables has no one FROM item for a handle yet: refused, naming the way round.
    expect(() => rel(Truck, 'team')).toThrow(
      "rel(Truck, 'team'): Truck is mapped to several tables (joined-table inheritance), which relationship handles cannot join yet; join its tables with an explicit ON clause.",
    );
  });

  test('select() refuses two entities under one name', () => {
    expect(() => select(Node, aliased(Node))).toThrow("select(): two entities named 'Node'; give one another name (with the ORM: aliased(Node, 'otherName')).");
    expect(() => rel(User, 'nope' as never)).toThrow("rel(User, 'nope'): User has no relationship 'nope' (relationships: addresses, posts, bAddresses, bAddress).");
  });

  test('ORM-enabled update(User)/delete_(User) with relationship criteria keep the loaded objects right', async () => {
    await using s = new Session(live.engine);
    const loaded = (await s.scalars(select(User).orderBy(User.c.id))).all();
    // EXISTS cannot be evaluated in memory: 'auto' fetches the matched keys first.
    await s.execute(update(User).where(rel(User, 'addresses').any(Address.c.email.like('bob@%'))).values({ name: 'bobby' }));
    expect(loaded.map((u) => u.name)).toEqual(['ann', 'bobby', 'cyd']);
    const temp = new Address({ id: 14, email: 'temp@a.example' });
    temp.user = cyd;
    s.add(temp);
    await s.flush();
    await s.execute(delete_(Address).where(rel(Address, 'user').has(User.c.name.eq('cyd'))));
    await s.commit();
    expect(await live.rows(select(User.c.name).orderBy(User.c.id))).toEqual([{ name: 'ann' }, { name: 'bobby' }, { name: 'cyd' }]);
    expect(await live.rows(select(Address.c.id).where(Address.c.id.eq(14)))).toEqual([]);
    await live.engine.connect((c) => c.execute(update(User).where(User.c.id.eq(2)).values({ name: 'bob' })));
  });
});
