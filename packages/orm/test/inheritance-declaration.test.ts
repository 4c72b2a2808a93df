/** Declaring an inheritance hierarchy: what is refused, and the message that names the fix. */
import { ArgumentError, Column, ForeignKey, Integer, String, delete_, insert, update } from '@athanor/core';
import { declarativeBase } from '@athanor/orm';

function hierarchy(name: string) {
  const Base = declarativeBase();
  class Employee extends Base.mapped(
    name,
    { id: Column(Integer, { primaryKey: true }), type: Column(String(20), { nullable: false }) },
    { polymorphicOn: 'type', polymorphicIdentity: 'employee' },
  ) {}
  return { Base, Employee };
}

describe('Base.subclass()', () => {
  test('a parent without polymorphicOn is refused', () => {
    const Base = declarativeBase();
    class Plain extends Base.mapped('plain', { id: Column(Integer, { primaryKey: true }) }) {}
    expect(() => Base.subclass(Plain, { polymorphicIdentity: 'x' })).toThrow(/Plain has no discriminator column; give Base\.mapped\('plain', \{\.\.\.\}, \{ polymorphicOn: '<column key>' \}\)/);
  });

  test('an identity used twice is refused, the base\'s own included', () => {
    const { Base, Employee } = hierarchy('dup');
    Base.subclass(Employee, { polymorphicIdentity: 'engineer' });
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'engineer' })).toThrow(/polymorphicIdentity "engineer" is already declared under Employee/);
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'employee' })).toThrow(/polymorphicIdentity "employee" is already/);
  });

  test('a missing or non-scalar identity is refused', () => {
    const { Base, Employee } = hierarchy('ident');
    expect(() => Base.subclass(Employee, {} as any)).toThrow(/polymorphicIdentity .* must be a string or a number; got none/);
    expect(() => Base.subclass(Employee, { polymorphicIdentity: {} as any })).toThrow(/got object/);
  });

  test('concrete-table inheritance is refused, naming the supported forms', () => {
    const { Base, Employee } = hierarchy('concrete');
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'e', concrete: true } as any)).toThrow(
      /option 'concrete': concrete-table inheritance \(a complete table per class\) is not supported\. Use single-table inheritance .* or joined-table inheritance/,
    );
    // A table of its own whose key does not reference the parent's looks like it too.
    expect(() =>
      Base.subclass(Employee, { polymorphicIdentity: 'e', table: 'concrete_eng', columns: { id: Column(Integer, { primaryKey: true }), skill: Column(String(9)) } }),
    ).toThrow(/the primary key column 'concrete_eng\.id' must be a foreign key to the primary key of 'concrete' .*concrete-table inheritance, which is not supported/);
    // The refused declaration left no table behind.
    expect(Base.metadata.tables.has('concrete_eng')).toBe(false);
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'e', colums: {} } as any)).toThrow(/unknown option 'colums'; the options are polymorphicIdentity, columns, table/);
  });

  test('one hierarchy uses one form: single-table and joined-table subclasses do not mix', () => {
    const { Base, Employee } = hierarchy('mix');
    Base.subclass(Employee, { polymorphicIdentity: 'a', columns: { x: Column(Integer) } });
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'b', table: 'mix_b', columns: { id: Column(Integer, ForeignKey('mix.id'), { primaryKey: true }) } })).toThrow(
      /Employee's hierarchy uses single-table inheritance; a subclass with a table of its own cannot join it/,
    );
    const other = hierarchy('mix2');
    other.Base.subclass(other.Employee, { polymorphicIdentity: 'b', table: 'mix2_b', columns: { id: Column(Integer, ForeignKey('mix2.id'), { primaryKey: true }) } });
    expect(() => other.Base.subclass(other.Employee, { polymorphicIdentity: 'a', columns: { x: Column(Integer) } })).toThrow(/uses joined-table inheritance; .*Give it table: '\.\.\.'/);
  });

  test('Base.mapped() options resembling inheritance are refused', () => {
    const Base = declarativeBase();
    class Employee extends Base.mapped('emp_x', { id: Column(Integer, { primaryKey: true }) }) {}
    expect(() => Base.mapped('eng_x', { id: Column(Integer, { primaryKey: true }) }, { inherits: Employee, concrete: true } as any)).toThrow(
      /option 'inherits': a class mapped to a table of its own cannot inherit another mapped class \(concrete-table inheritance is not supported\)/,
    );
  });

  test('subclass columns: an existing key, a primary key and NOT NULL without a default are refused', () => {
    const { Base, Employee } = hierarchy('cols');
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'a', columns: { type: Column(String(5)) } })).toThrow(/'type' is already a column of table 'cols'/);
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'b', columns: { k: Column(Integer, { primaryKey: true }) } })).toThrow(/'k' is marked primaryKey/);
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'c', columns: { n: Column(Integer, { nullable: false }) } })).toThrow(
      /'n' is NOT NULL without a default; the other classes' rows in table 'cols' leave it NULL/,
    );
    expect(() => Base.subclass(Employee, { polymorphicIdentity: 'd', columns: { x: 'text' as any } })).toThrow(/'x' is not a column definition/);
    // A NOT NULL column with a default is fine.
    Base.subclass(Employee, { polymorphicIdentity: 'e', columns: { n: Column(Integer, { nullable: false, default: 0 }) } });
    expect(Employee.table.columns.map((c) => c.key)).toEqual(['id', 'type', 'n']);
  });

  test('polymorphicOn must be a column; polymorphicIdentity needs it', () => {
    const Base = declarativeBase();
    expect(() => Base.mapped('p1', { id: Column(Integer, { primaryKey: true }) }, { polymorphicOn: 'kind' as any })).toThrow(/polymorphicOn 'kind' is not a column key \(columns: id\)/);
    expect(() => Base.mapped('p2', { id: Column(Integer, { primaryKey: true }) }, { polymorphicIdentity: 'x' })).toThrow(/polymorphicIdentity needs polymorphicOn/);
  });

  test('the same subclass extended twice is refused when the second is mapped', () => {
    const { Base, Employee } = hierarchy('twice');
    const Sub = Base.subclass(Employee, { polymorphicIdentity: 'engineer' });
    class A extends Sub {}
    class B extends Sub {}
    Base.register(A);
    expect(() => Base.register(B)).toThrow(/B and A both extend the class Base\.subclass\(\) made for polymorphicIdentity "engineer"/);
  });

  test('a subclass declared after its parent was used still gets its columns everywhere', () => {
    const { Base, Employee } = hierarchy('late');
    const e = new Employee({});
    expect(e.type).toBe('employee');
    class Late extends Base.subclass(Employee, { polymorphicIdentity: 'late', columns: { note: Column(String(10)) } }) {}
    const l = new Late({ note: 'n' });
    expect([l.type, l.note]).toEqual(['late', 'n']);
    expect(l.toJSON()).toEqual({ type: 'late', note: 'n' });
  });
});

test('Core DML naming a single-table subclass is refused (it would act on the whole shared table); the base is not', () => {
  const Base = declarativeBase();
  class Staff extends Base.mapped('dml_staff', { id: Column(Integer, { primaryKey: true }), kind: Column(String(20), { nullable: false }) }, { polymorphicOn: 'kind', polymorphicIdentity: 'staff' }) {}
  class Cook extends Base.subclass(Staff, { polymorphicIdentity: 'cook', columns: { dish: Column(String(20)) } }) {}
  class Chef extends Base.subclass(Cook, { polymorphicIdentity: 'chef' }) {}
  expect(() => update(Cook)).toThrow(ArgumentError);
  expect(() => update(Cook)).toThrow(
    `update(Cook): Cook shares table 'dml_staff' with the other classes of its single-table hierarchy, and an UPDATE names the table alone: it would not be limited to Cook's rows. Use update(Staff).where(Staff.c.kind.eq("cook"), ...) (Staff.c.kind.in([...]) to include its subclasses), or change the objects in a Session.`,
  );
  expect(() => delete_(Chef)).toThrow(/^delete_\(Chef\): Chef shares table 'dml_staff'.*Use delete_\(Staff\)\.where\(Staff\.c\.kind\.eq\("chef"\)/);
  expect(() => insert(Cook)).toThrow(/insert\(Cook\).*Use insert\(Staff\) with kind: "cook" in every row, or session\.add\(new Cook\(\{\.\.\.\}\)\)/);
  expect(update(Staff).table).toBe(Staff.table);
  expect(insert(Staff).table).toBe(Staff.table);
});
