/** Relationships that cannot work are refused where they are declared, with a typed error naming the fix. */
import { Column, ForeignKey, Integer, String } from '@athanor/core';
import { AmbiguousForeignKeysError, BackPopulatesError, NoForeignKeysError, RelationshipError, declarativeBase, relationship } from '@athanor/orm';

test('no foreign key between the tables', () => {
  const Base = declarativeBase();
  class A extends Base.mapped('d_a', { id: Column(Integer, { primaryKey: true }) }) {
    declare bs: B[];
  }
  class B extends Base.mapped('d_b', { id: Column(Integer, { primaryKey: true }) }) {}
  const declare = () => Base.relationships(A, { bs: relationship(B) });
  expect(declare).toThrow(NoForeignKeysError);
  expect(declare).toThrow(RelationshipError);
  expect(declare).toThrow(
    "Relationship A.bs: no foreign key links tables 'd_a' and 'd_b'; add a ForeignKey to a column of one of them (for example Column(Integer, ForeignKey('d_a.id')) in 'd_b').",
  );
});

test('a relationship of a table to itself: one-to-many by default, many-to-one with remoteSide', () => {
  const Base = declarativeBase();
  class Node extends Base.mapped('d_node', {
    id: Column(Integer, { primaryKey: true }),
    parentId: Column(Integer, ForeignKey('d_node.id'), { name: 'parent_id' }),
    name: Column(String(10)),
  }) {
    declare children: Node[];
    declare parent: Node | null;
  }
  Base.relationships(Node, { children: relationship(Node, { backPopulates: 'parent' }) });
  Base.relationships(Node, { parent: relationship(Node, { backPopulates: 'children', remoteSide: Node.c.id }) });
  const root = new Node({ name: 'root' });
  const leaf = new Node({ name: 'leaf' });
  root.children.push(leaf);
  expect(leaf.parent).toBe(root);
  expect(() => Base.relationships(Node, { parent: relationship(Node, { remoteSide: 'id' } as any) })).toThrow(/remoteSide|foreignKeys takes columns/);
});

test('foreign keys both ways between two tables: ambiguous until foreignKeys names the one to use', () => {
  const Base = declarativeBase();
  class X extends Base.mapped('d_x', { id: Column(Integer, { primaryKey: true }), yId: Column(Integer, ForeignKey('d_y.id')) }) {
    declare y: Y | null;
  }
  class Y extends Base.mapped('d_y', { id: Column(Integer, { primaryKey: true }), xId: Column(Integer, ForeignKey('d_x.id')) }) {}
  expect(() => Base.relationships(X, { y: relationship(Y) })).toThrow(AmbiguousForeignKeysError);
  expect(() => Base.relationships(X, { y: relationship(Y) })).toThrow(/is ambiguous: 2 foreign keys/);
  Base.relationships(X, { y: relationship(Y, { foreignKeys: X.c.yId }) });
  expect(new X({}).y).toBeNull();
});

describe('backPopulates is checked when the classes are configured (first use, or Base.configure())', () => {
  function model() {
    const Base = declarativeBase();
    class P extends Base.mapped('d_p', { id: Column(Integer, { primaryKey: true }) }) {
      declare kids: K[];
    }
    class K extends Base.mapped('d_k', { id: Column(Integer, { primaryKey: true }), pId: Column(Integer, ForeignKey('d_p.id')) }) {
      declare p: P | null;
    }
    class Q extends Base.mapped('d_q', { id: Column(Integer, { primaryKey: true }), pId: Column(Integer, ForeignKey('d_p.id')) }) {
      declare p: P | null;
    }
    return { Base, P, K, Q };
  }

  test('a misspelled name: the error names the class, the missing attribute and the fix, at every use until fixed', () => {
    const { Base, P, K } = model();
    Base.relationships(P, { kids: relationship(K, { backPopulates: 'parnt' }) }); // the other side may come next: no error yet
    Base.relationships(K, { p: relationship(P, { backPopulates: 'kids' }) });
    const message =
      "Relationship P.kids: backPopulates 'parnt' names no relationship of K (its relationships: p). " +
      "Fix the name, or declare that side: Base.relationships(K, { parnt: relationship(P, { backPopulates: 'kids' }) }).";
    expect(() => Base.configure()).toThrow(BackPopulatesError);
    expect(() => Base.configure()).toThrow(message);
    expect(() => new P()).toThrow(message);
    expect(() => new K()).toThrow(BackPopulatesError);
    // Declared again with the right name: configured, usable, the sides in sync.
    Base.relationships(P, { kids: relationship(K, { backPopulates: 'p' }) });
    const p = new P();
    const k = new K();
    k.p = p;
    expect(p.kids).toEqual([k]);
  });

  test('a name that points at a relationship to another class, or one that names a third attribute', () => {
    const { Base, P, K, Q } = model();
    Base.relationships(P, { kids: relationship(K, { backPopulates: 'p' }) });
    Base.relationships(K, { p: relationship(P, { backPopulates: 'other' as any }) });
    expect(() => Base.configure()).toThrow("Relationship P.kids: K.p has backPopulates 'other', not 'kids'; the two sides must name each other.");
    Base.relationships(K, { p: relationship(P, { backPopulates: 'kids' }) });
    Base.relationships(Q, { p: relationship(P, { backPopulates: 'kids' }) });
    expect(() => Base.configure()).toThrow(/^Relationship Q.p: backPopulates 'kids' names P.kids, a relationship to K, not to Q\.$/);
  });

  test('secondary must be a Table; an unknown option is refused, listing the options', () => {
    const { Base, P, K } = model();
    expect(() => Base.relationships(P, { kids: relationship(K, { secondary: {} } as any) })).toThrow('Relationship P.kids: secondary takes the association Table object.');
    expect(() => Base.relationships(P, { kids: relationship(K, { backpopulates: 'p' } as any) })).toThrow(
      "Relationship P.kids: unknown option 'backpopulates'; the options are backPopulates, cascade, uselist, foreignKeys, secondary, remoteSide, postUpdate, primaryjoin, secondaryjoin, orderBy, viewonly, passiveDeletes, lazy, joinDepth.",
    );
  });
});
