import {
  CheckConstraint,
  Column,
  CreateIndex,
  CreateTable,
  DropTable,
  ForeignKey,
  ForeignKeyConstraint,
  Index,
  Integer,
  MetaData,
  PrimaryKeyConstraint,
  SchemaError,
  String,
  Table,
  UniqueConstraint,
  text,
} from '@athanor/core';

describe('DDL', () => {
  test('CREATE TABLE with keys, defaults and constraints', () => {
    const m = new MetaData();
    new Table('parent', m, { id: Column(Integer, { primaryKey: true }) });
    const child = new Table(
      'child',
      m,
      {
        id: Column(Integer, { primaryKey: true }),
        parentId: Column(Integer, ForeignKey('parent.id', { onDelete: 'CASCADE' }), { name: 'parent_id', nullable: false }),
        code: Column(String(10), { serverDefault: 'x', unique: true }),
        qty: Column(Integer, { serverDefault: text('0') }),
      },
      new CheckConstraint('qty >= 0', { name: 'qty_positive' }),
    );
    expect(new CreateTable(child).compile().sql).toBe(
      'CREATE TABLE child (\n\tid INTEGER NOT NULL,\n\tparent_id INTEGER NOT NULL,\n\tcode VARCHAR(10) DEFAULT \'x\',\n\tqty INTEGER DEFAULT 0,\n\tPRIMARY KEY (id),\n\tCONSTRAINT qty_positive CHECK (qty >= 0),\n\tUNIQUE (code),\n\tFOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE\n)',
    );
    expect(new DropTable(child, true).compile().sql).toBe('DROP TABLE IF EXISTS child');
  });
  test('composite keys and naming conventions', () => {
    const m = new MetaData({ namingConvention: { pk: 'pk_%(table_name)s', uq: 'uq_%(table_name)s_%(column_0_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' } });
    new Table('a', m, { x: Column(Integer), y: Column(Integer) }, new PrimaryKeyConstraint(['x', 'y']));
    const b = new Table(
      'b',
      m,
      { id: Column(Integer, { primaryKey: true }), ax: Column(Integer), ay: Column(Integer) },
      new ForeignKeyConstraint(['ax', 'ay'], ['a.x', 'a.y']),
      new UniqueConstraint(['ax']),
    );
    expect(new CreateTable(b).compile().sql).toBe(
      'CREATE TABLE b (\n\tid INTEGER NOT NULL,\n\tax INTEGER,\n\tay INTEGER,\n\tCONSTRAINT pk_b PRIMARY KEY (id),\n\tCONSTRAINT fk_b_ax_a FOREIGN KEY (ax, ay) REFERENCES a (x, y),\n\tCONSTRAINT uq_b_ax UNIQUE (ax)\n)',
    );
    expect(new CreateTable(m.tables.get('a')!).compile().sql).toBe('CREATE TABLE a (\n\tx INTEGER,\n\ty INTEGER,\n\tCONSTRAINT pk_a PRIMARY KEY (x, y)\n)');
  });
  test('indexes: unique, multi-column, expression', () => {
    const m = new MetaData();
    const t = new Table('t', m, { id: Column(Integer, { primaryKey: true }), name: Column(String(20), { index: true }), email: Column(String(50)) });
    const expr = new Index('ix_lower_email', [t.c.email.cast(String(50))], { unique: true });
    t.addIndex(expr);
    expect(t.indexes.map((i) => new CreateIndex(i).compile().sql)).toEqual([
      'CREATE INDEX ix_t_name ON t (name)',
      'CREATE UNIQUE INDEX ix_lower_email ON t ((CAST(email AS VARCHAR(50))))',
    ]);
  });
  test('sortedTables orders by foreign key and reports cycles', () => {
    const m = new MetaData();
    new Table('c', m, { id: Column(Integer, { primaryKey: true }), bId: Column(Integer, ForeignKey('b.id')) });
    new Table('b', m, { id: Column(Integer, { primaryKey: true }), aId: Column(Integer, ForeignKey('a.id')) });
    new Table('a', m, { id: Column(Integer, { primaryKey: true }) });
    expect(m.sortedTables.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    const m2 = new MetaData();
    new Table('x', m2, { id: Column(Integer, { primaryKey: true }), yId: Column(Integer, ForeignKey('y.id')) });
    new Table('y', m2, { id: Column(Integer, { primaryKey: true }), xId: Column(Integer, ForeignKey('x.id')) });
    expect(() => m2.sortedTables).toThrow(SchemaError);
    expect(() => m2.sortedTables).toThrow(/cycle between tables: x -> y -> x.*useAlter/);
  });
  test('a ForeignKey to a missing table is a SchemaError naming it', () => {
    const m = new MetaData();
    new Table('t', m, { id: Column(Integer, { primaryKey: true }), otherId: Column(Integer, ForeignKey('other.id')) });
    expect(() => m.validateForeignKeys()).toThrow(/ForeignKey on t.otherId refers to 'other.id'.*Define table 'other'/);
  });
});
