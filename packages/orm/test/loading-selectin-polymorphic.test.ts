/**
 * selectinPolymorphic: a query of a joined-table hierarchy's base selects the base's tables
 * only; each named subclass present then loads its tables' columns with one SELECT (per 500
 * keys). Objects are checked against every table read with Core, statements counted, the SQL
 * of the base query compared, and misuse refused with ArgumentError.
 */
import { ArgumentError, Column, ForeignKey, Integer, String, insert, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, relationship, selectinPolymorphic, selectinload, subqueryload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Company extends Base.mapped('lsp_company', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(30), { nullable: false }) }) {
  declare employees: Employee[];
}
class Employee extends Base.mapped(
  'lsp_employee',
  {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    name: Column(String(30), { nullable: false }),
    type: Column(String(20), { nullable: false }),
    companyId: Column(Integer, ForeignKey('lsp_company.id'), { name: 'company_id' }),
  },
  { polymorphicOn: 'type', polymorphicIdentity: 'employee' },
) {
  declare company: Company | null;
}
class Engineer extends Base.subclass(Employee, {
  polymorphicIdentity: 'engineer',
  table: 'lsp_engineer',
  columns: { id: Column(Integer, ForeignKey('lsp_employee.id'), { primaryKey: true }), skill: Column(String(30)) },
}) {
  declare projects: Project[];
}
class Manager extends Base.subclass(Employee, {
  polymorphicIdentity: 'manager',
  table: 'lsp_manager',
  columns: { id: Column(Integer, ForeignKey('lsp_employee.id'), { primaryKey: true }), budget: Column(Integer, { nullable: false }) },
}) {}
class Principal extends Base.subclass(Engineer, {
  polymorphicIdentity: 'principal',
  table: 'lsp_principal',
  columns: { engineerId: Column(Integer, ForeignKey('lsp_engineer.id'), { name: 'engineer_id', primaryKey: true }), area: Column(String(30)) },
}) {}
class Project extends Base.mapped('lsp_project', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  leadId: Column(Integer, ForeignKey('lsp_engineer.id'), { name: 'lead_id' }),
}) {}
Base.relationships(Company, { employees: relationship(Employee, { backPopulates: 'company' }) });
Base.relationships(Employee, { company: relationship(Company, { backPopulates: 'employees' }) });
Base.relationships(Engineer, { projects: relationship(Project) });
Base.register(Engineer, Manager, Principal);

// A single-table hierarchy, for the refusal of a subclass without a table of its own.
class Vehicle extends Base.mapped('lsp_vehicle', { id: Column(Integer, { primaryKey: true }), kind: Column(String(10), { nullable: false }) }, { polymorphicOn: 'kind', polymorphicIdentity: 'vehicle' }) {}
class Car extends Base.subclass(Vehicle, { polymorphicIdentity: 'car', columns: {} }) {}
Base.register(Car);

/** What Core reads of every table, per employee id: the columns each object must hold. */
type Expected = Map<number, Record<string, unknown>>;

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let expected: Expected;
  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Company.table), [{ id: 1, name: 'c1' }, { id: 2, name: 'c2' }]);
      const types = ['employee', 'engineer', 'manager', 'principal'];
      await c.execute(insert(Employee.table), [1, 2].flatMap((co) => types.map((type, i) => ({ id: co * 10 + i + 1, name: `${type}${co}`, type, companyId: co }))));
      await c.execute(insert(Engineer.table), [12, 14, 22, 24].map((id) => ({ id, skill: `skill${id}` })));
      await c.execute(insert(Manager.table), [13, 23].map((id) => ({ id, budget: id * 10 })));
      await c.execute(insert(Principal.table), [14, 24].map((engineerId) => ({ engineerId, area: `area${engineerId}` })));
      await c.execute(insert(Project.table), [{ id: 1, leadId: 12 }, { id: 2, leadId: 14 }]);
    });
    const e = Employee.table.c;
    const g = Engineer.table.c;
    const m = Manager.table.c;
    const p = Principal.table.c;
    expected = new Map();
    for (const r of await live.rows<Record<string, unknown>>(select(e.id, e.name, e.type, e.companyId))) expected.set(r.id as number, { ...r });
    for (const r of await live.rows<Record<string, unknown>>(select(g.id, g.skill))) Object.assign(expected.get(r.id as number)!, { skill: r.skill });
    for (const r of await live.rows<Record<string, unknown>>(select(m.id, m.budget))) Object.assign(expected.get(r.id as number)!, { budget: r.budget });
    for (const r of await live.rows<Record<string, unknown>>(select(p.engineerId, p.area))) Object.assign(expected.get(r.engineerId as number)!, { area: r.area });
  });

  const CLASS = { employee: 'Employee', engineer: 'Engineer', manager: 'Manager', principal: 'Principal' } as Record<string, string>;
  function check(objects: readonly Employee[]) {
    for (const o of objects) {
      const want = expected.get(o.id)!;
      expect(o.constructor.name).toBe(CLASS[want.type as string]);
      const got: Record<string, unknown> = { id: o.id, name: o.name, type: o.type, companyId: o.companyId };
      if (o instanceof Engineer) got.skill = o.skill;
      if (o instanceof Manager) got.budget = o.budget;
      if (o instanceof Principal) got.area = o.area;
      expect(got).toEqual(want);
    }
  }

  async function run<T>(fn: (s: Session) => Promise<T>): Promise<[T, string[]]> {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const value = await fn(s);
    return [value, live.log.slice(mark).filter((l) => /^SELECT/.test(l))];
  }
  const t = (sql: string) => sql.replace(/`|"/g, '');

  test('the base query joins no named subclass table; one SELECT per subclass present loads their columns', async () => {
    const [all, selects] = await run((s) => s.scalars(select(Employee).orderBy(Employee.c.id).options(selectinPolymorphic(Employee, [Engineer, Manager]))).then((r) => r.all()));
    expect(all.map((o) => o.id)).toEqual([...expected.keys()].sort((a, b) => a - b));
    check(all);
    // The base query, then Engineer, Manager and Principal (a subclass of a named class): four statements.
    expect(selects).toHaveLength(4);
    expect(t(selects[0])).toMatch(/^SELECT lsp_employee\.id, lsp_employee\.name, lsp_employee\.type, lsp_employee\.company_id FROM lsp_employee ORDER BY lsp_employee\.id/);
    expect(selects.slice(1).map((l) => t(l).split(' WHERE ')[0])).toEqual([
      'SELECT lsp_employee.id AS athanor_k0, lsp_engineer.id AS athanor_s4, lsp_engineer.skill AS athanor_s5 FROM lsp_employee JOIN lsp_engineer ON lsp_engineer.id = lsp_employee.id',
      'SELECT lsp_employee.id AS athanor_k0, lsp_manager.id AS athanor_s4, lsp_manager.budget AS athanor_s5 FROM lsp_employee JOIN lsp_manager ON lsp_manager.id = lsp_employee.id',
      'SELECT lsp_employee.id AS athanor_k0, lsp_engineer.id AS athanor_s4, lsp_engineer.skill AS athanor_s5, lsp_principal.engineer_id AS athanor_s6, lsp_principal.area AS athanor_s7 ' +
        'FROM lsp_employee JOIN lsp_engineer ON lsp_engineer.id = lsp_employee.id JOIN lsp_principal ON lsp_principal.engineer_id = lsp_engineer.id',
    ]);
  });

  test('a subclass not named stays LEFT OUTER JOINed; only the named ones present cost a SELECT', async () => {
    const [all, selects] = await run((s) => s.scalars(select(Employee).orderBy(Employee.c.id).options(selectinPolymorphic(Employee, [Manager]))).then((r) => r.all()));
    check(all);
    expect(selects).toHaveLength(2);
    expect(t(selects[0])).toContain('FROM lsp_employee LEFT OUTER JOIN lsp_engineer ON lsp_engineer.id = lsp_employee.id LEFT OUTER JOIN lsp_principal');
    expect(t(selects[0])).not.toContain('lsp_manager');
    // Only managers in the rows: one extra statement; no subclass in the rows: none.
    const [managers, two] = await run((s) => s.scalars(select(Employee).where(Employee.c.type.eq('manager')).options(selectinPolymorphic(Employee, [Engineer, Manager]))).then((r) => r.all()));
    check(managers);
    expect(managers.map((m) => (m as Manager).budget).sort()).toEqual([130, 230]);
    expect(two).toHaveLength(2);
    const [plain, one] = await run((s) => s.scalars(select(Employee).where(Employee.c.type.eq('employee')).options(selectinPolymorphic(Employee, [Engineer, Manager]))).then((r) => r.all()));
    check(plain);
    expect(one).toHaveLength(1);
  });

  test('on a path: selectinload(Company, employees).selectinPolymorphic([...]), and with subqueryload', async () => {
    for (const option of [selectinload(Company, 'employees').selectinPolymorphic([Engineer, Manager]), subqueryload(Company, 'employees').selectinPolymorphic([Engineer, Manager])]) {
      const [companies, selects] = await run((s) => s.scalars(select(Company).orderBy(Company.c.id).options(option)).then((r) => r.all()));
      expect(selects).toHaveLength(5);
      expect(t(selects[1])).not.toContain('lsp_engineer');
      for (const c of companies) {
        const ids = [...expected.values()].filter((e) => e.companyId === c.id).map((e) => e.id);
        expect(c.employees.map((e) => e.id).sort()).toEqual(ids.sort());
        check(c.employees);
      }
    }
  });

  test('a subclass relationship keyed by the loaded columns loads after them', async () => {
    const [all, selects] = await run((s) =>
      s.scalars(select(Employee).orderBy(Employee.c.id).options(selectinPolymorphic(Employee, [Engineer]), selectinload(Engineer, 'projects'))).then((r) => r.all()),
    );
    check(all);
    expect(selects).toHaveLength(4);
    const leads = Object.fromEntries(all.filter((e): e is Engineer => e instanceof Engineer).map((e) => [e.id, e.projects.map((p) => p.id)]));
    expect(leads).toEqual({ 12: [1], 14: [2], 22: [], 24: [] });
  });

  test('objects already in the session keep their loaded columns: no extra SELECT', async () => {
    const [, selects] = await run(async (s) => {
      check((await s.scalars(select(Employee))).all());
      const again = (await s.scalars(select(Employee).options(selectinPolymorphic(Employee, [Engineer, Manager])))).all();
      check(again);
    });
    expect(selects).toHaveLength(2);
  });

  test('with a joined level on the base and populateExisting: the subclass columns are loaded again', async () => {
    await using s = new Session(live.engine);
    const stmt = select(Employee).orderBy(Employee.c.id).options(selectinPolymorphic(Employee, [Engineer, Manager]), joinedload(Employee, 'company'));
    const first = (await s.scalars(stmt)).all();
    check(first);
    for (const e of first) expect(e.company?.id).toBe(expected.get(e.id)!.companyId);
    const mark = live.log.length;
    const again = (await s.execute(stmt, undefined, { populateExisting: true })).scalars().all();
    expect(again).toEqual(first);
    check(again);
    // The joined statement, then one per subclass present (the objects' columns were replaced by the partial rows).
    expect(live.log.slice(mark).filter((l) => /^SELECT/.test(l))).toHaveLength(4);
  });

  test('misuse is an ArgumentError naming the class', async () => {
    // @ts-expect-error Company is not an Employee
    expect(() => selectinPolymorphic(Employee, [Company])).toThrow(ArgumentError);
    expect(() => selectinPolymorphic(Engineer, [Manager as any])).toThrow(/Manager is not a subclass of Engineer/);
    expect(() => selectinPolymorphic(Employee, [Employee])).toThrow(/Employee is not a subclass of Employee/);
    expect(() => selectinPolymorphic(Employee, [])).toThrow(/name the subclasses/);
    expect(() => selectinPolymorphic(Vehicle, [Car])).toThrow(/Car has no table of its own \(single-table inheritance\)/);
    // @ts-expect-error Company is not an Employee
    expect(() => selectinload(Company, 'employees').selectinPolymorphic([Company])).toThrow(/Company is not a subclass of Employee/);
    await using s = new Session(live.engine);
    await expect(s.execute(select(Company).options(selectinPolymorphic(Employee, [Engineer])))).rejects.toThrow(/selectinPolymorphic\(Employee, \[\.\.\.\]\): Employee is not an entity of this statement/);
  });
});
