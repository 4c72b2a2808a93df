/** Relationships that cannot work are refused where they are declared, with a typed error naming the fix. */
import { Column, ForeignKey, Integer, String } from '@athanor/core';
import { NoForeignKeysError, RelationshipError, UnsupportedRelationshipError, declarativeBase, relationship } from '@athanor/orm';

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

test('a self-referential relationship is refused as not supported yet, naming it', () => {
  const Base = declarativeBase();
  class Node extends Base.mapped('d_node', {
    id: Column(Integer, { primaryKey: true }),
    parentId: Column(Integer, ForeignKey('d_node.id'), { name: 'parent_id' }),
    name: Column(String(10)),
  }) {
    declare children: Node[];
    declare parent: Node | null;
  }
  const declare = () => Base.relationships(Node, { children: relationship(Node, { backPopulates: 'parent' }) });
  expect(declare).toThrow(UnsupportedRelationshipError);
  expect(declare).toThrow(/^Relationship Node.children: self-referential relationships \(table 'd_node' to itself\) are not supported yet/);
  // Nothing half-declared is left behind: a new Node has no relationship attribute.
  expect(new Node({ name: 'root' }).children).toBeUndefined();
});

test('foreign keys both ways between two tables are refused as not supported yet', () => {
  const Base = declarativeBase();
  class X extends Base.mapped('d_x', { id: Column(Integer, { primaryKey: true }), yId: Column(Integer, ForeignKey('d_y.id')) }) {
    declare y: Y | null;
  }
  class Y extends Base.mapped('d_y', { id: Column(Integer, { primaryKey: true }), xId: Column(Integer, ForeignKey('d_x.id')) }) {}
  expect(() => Base.relationships(X, { y: relationship(Y, { foreignKeys: X.c.yId }) })).toThrow(UnsupportedRelationshipError);
  expect(() => Base.relationships(X, { y: relationship(Y) })).toThrow(/foreign keys run both ways between tables 'd_x' and 'd_y'/);
});
