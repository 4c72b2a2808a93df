/**
 * Two subclasses of one joined-table hierarchy (Engineer and Manager, both joined to
 * Employee) share the employee table, but neither's rows reference the other's: the flush
 * orders them by their own foreign keys only. A mix of both, new, changed and deleted, is
 * flushed on each database and the rows read back.
 */
import { Column, ForeignKey, Integer, String, select } from '@athanor/core';
import { Session, declarativeBase } from '@athanor/orm';
import { mapperOf } from '../src/mapper';
import { mapperOrder, referencedMappers } from '../src/unit-of-work/order';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
// Engineers name their department by its unique code (a foreign key to a column that is not the key).
class Department extends Base.mapped('jsib_department', { id: Column(Integer, { primaryKey: true }), code: Column(String(10), { nullable: false, unique: true }) }) {}
class Employee extends Base.mapped(
  'jsib_employee',
  { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }), type: Column(String(20), { nullable: false }) },
  { polymorphicOn: 'type', polymorphicIdentity: 'employee' },
) {}
class Engineer extends Base.subclass(Employee, {
  polymorphicIdentity: 'engineer',
  table: 'jsib_engineer',
  columns: {
    id: Column(Integer, ForeignKey('jsib_employee.id'), { primaryKey: true }),
    skill: Column(String(30)),
    departmentCode: Column(String(10), ForeignKey('jsib_department.code'), { name: 'department_code' }),
  },
}) {}
class Manager extends Base.subclass(Employee, {
  polymorphicIdentity: 'manager',
  table: 'jsib_manager',
  columns: {
    id: Column(Integer, ForeignKey('jsib_employee.id'), { primaryKey: true }),
    budget: Column(Integer, { nullable: false }),
    // A real reference into the shared base table: an assistant may be any employee, an engineer too.
    assistantId: Column(Integer, ForeignKey('jsib_employee.id'), { name: 'assistant_id' }),
  },
}) {}
Base.register(Engineer, Manager);

test('mapper order: siblings are not ordered by the base table they share, only by their own keys; a table one of them references comes first', () => {
  const [department, engineer, manager, employee] = [Department, Engineer, Manager, Employee].map((c) => mapperOf(c));
  for (const given of [
    [engineer, manager, department],
    [manager, engineer, department],
    [engineer, department, manager, employee],
  ]) {
    const order = mapperOrder(given);
    expect(order).toHaveLength(given.length);
    expect(order.indexOf(department)).toBeLessThan(order.indexOf(engineer));
    // Manager's assistant key references employee rows, an engineer's among them; the reverse is only the inheritance key.
    expect(order.indexOf(engineer)).toBeLessThan(order.indexOf(manager));
    if (given.includes(employee)) expect(order.indexOf(employee)).toBeLessThan(order.indexOf(manager));
  }
});

test('referenced mappers: by any foreign key, to a key or a unique column, never by the inheritance key', () => {
  const [department, engineer, manager] = [Department, Engineer, Manager].map((c) => mapperOf(c));
  expect(referencedMappers(new Set([engineer, department]))).toEqual(new Set([department]));
  // An assistant is any employee: rows of both subclasses may be referenced.
  expect(referencedMappers(new Set([engineer, manager, department]))).toEqual(new Set([engineer, manager, department]));
});

/** Rows come back in key order; which new row gets which key is the flush's choice. */
const byId = <R extends { id: number }>(list: R[]) => list.sort((x, y) => x.id - y.id);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);

  async function rows(ids: number[]) {
    const e = Employee.table.c;
    const g = Engineer.table.c;
    const m = Manager.table.c;
    return {
      employee: await live.rows(select(e.id, e.name, e.type).where(e.id.in(ids)).orderBy(e.id)),
      engineer: await live.rows(select(g.id, g.skill, g.departmentCode).where(g.id.in(ids)).orderBy(g.id)),
      manager: await live.rows(select(m.id, m.budget).where(m.id.in(ids)).orderBy(m.id)),
    };
  }

  test('one flush of new, changed and deleted engineers and managers writes every table', async () => {
    const seeded = [new Engineer({ name: 'a', skill: 'rust' }), new Manager({ name: 'b', budget: 10 }), new Engineer({ name: 'c', skill: 'c' }), new Manager({ name: 'd', budget: 20 })];
    {
      await using s = new Session(live.engine);
      s.addAll(seeded);
      await s.commit();
    }
    const [a, b, c, d] = seeded.map((o) => o.id);
    const added = [new Manager({ name: 'e', budget: 30 }), new Engineer({ name: 'f', skill: 'go' }), new Manager({ name: 'g', budget: 40 })];
    {
      await using s = new Session(live.engine);
      const [ga, gb, gc, gd] = await Promise.all([s.get(Engineer, a), s.get(Manager, b), s.get(Engineer, c), s.get(Manager, d)]);
      s.addAll(added);
      ga!.skill = 'zig';
      gb!.budget = 15;
      gb!.name = 'b2';
      s.delete(gc!);
      s.delete(gd!);
      await s.commit();
    }
    const [e, f, g] = added.map((o) => o.id);
    expect(await rows([a, b, c, d, e, f, g])).toEqual({
      employee: byId([
        { id: a, name: 'a', type: 'engineer' },
        { id: b, name: 'b2', type: 'manager' },
        { id: e, name: 'e', type: 'manager' },
        { id: f, name: 'f', type: 'engineer' },
        { id: g, name: 'g', type: 'manager' },
      ]),
      engineer: byId([
        { id: a, skill: 'zig', departmentCode: null },
        { id: f, skill: 'go', departmentCode: null },
      ]),
      manager: byId([
        { id: b, budget: 15 },
        { id: e, budget: 30 },
        { id: g, budget: 40 },
      ]),
    });
  });

  // The department's code is no key, so no row-level link orders these rows: the mapper order must.
  // Managers' assistant key makes engineers rows the flush may reference, whose deletes wait
  // until its other rows are written: the department, referenced by code, must wait with them.
  test.each([
    ['the engineer added first', true],
    ['the department added first', false],
  ])('a new engineer naming a new department by code, flushed with a manager (%s): the department is written first and deleted last', async (_, engineerFirst) => {
    const code = engineerFirst ? 'lab' : 'ops';
    const engineer = new Engineer({ name: `${code}-eng`, skill: 'sql', departmentCode: code });
    const manager = new Manager({ name: `${code}-mgr`, budget: 1 });
    const department = new Department({ code });
    {
      await using s = new Session(live.engine);
      s.addAll(engineerFirst ? [engineer, manager, department] : [department, manager, engineer]);
      await s.commit();
    }
    expect(await rows([engineer.id, manager.id])).toEqual({
      employee: byId([
        { id: engineer.id, name: `${code}-eng`, type: 'engineer' },
        { id: manager.id, name: `${code}-mgr`, type: 'manager' },
      ]),
      engineer: [{ id: engineer.id, skill: 'sql', departmentCode: code }],
      manager: [{ id: manager.id, budget: 1 }],
    });
    {
      await using s = new Session(live.engine);
      const [g, m, dep] = await Promise.all([s.get(Engineer, engineer.id), s.get(Manager, manager.id), s.get(Department, department.id)]);
      m!.budget = 2;
      for (const o of engineerFirst ? [g!, dep!] : [dep!, g!]) s.delete(o);
      await s.commit();
    }
    expect(await rows([engineer.id, manager.id])).toEqual({
      employee: [{ id: manager.id, name: `${code}-mgr`, type: 'manager' }],
      engineer: [],
      manager: [{ id: manager.id, budget: 2 }],
    });
    expect(await live.rows(select(Department.table.c.id).where(Department.table.c.code.eq(code)))).toEqual([]);
  });
});
