/**
 * Loader options and inheritance (single-table): an option naming a subclass of the selected
 * class loads only that subclass's rows; one naming the class a selected subclass inherits
 * from applies to every row. Checked against Core reads on the three databases.
 */
import { ArgumentError, Column, ForeignKey, Integer, String, insert, select } from '@athanor/core';
import { Session, declarativeBase, joinedload, jsonload, relationship, selectinload } from '@athanor/orm';
import { describeEach } from './databases';
import { useLiveDatabase } from './live';

const Base = declarativeBase();
class Company extends Base.mapped('lpm_company', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(String(20), { nullable: false }) }) {}
class Employee extends Base.mapped(
  'lpm_employee',
  {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    type: Column(String(20), { nullable: false }),
    companyId: Column(Integer, ForeignKey('lpm_company.id'), { name: 'company_id', nullable: false }),
  },
  { polymorphicOn: 'type', polymorphicIdentity: 'employee' },
) {
  declare company: Company;
}
class Engineer extends Base.subclass(Employee, { polymorphicIdentity: 'engineer', columns: {} }) {
  declare projects: Project[];
}
class Manager extends Base.subclass(Employee, { polymorphicIdentity: 'manager', columns: {} }) {}
class Project extends Base.mapped('lpm_project', {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  leadId: Column(Integer, ForeignKey('lpm_employee.id'), { name: 'lead_id', nullable: false }),
}) {
  declare lead: Engineer;
}
Base.relationships(Employee, { company: relationship(Company) });
Base.relationships(Engineer, { projects: relationship(Project, { backPopulates: 'lead' }) });
Base.relationships(Project, { lead: relationship(Engineer, { backPopulates: 'projects' }) });
Base.register(Engineer, Manager);

describeEach((db) => {
  const live = useLiveDatabase(db, Base.metadata);
  let projectsOf: (id: number) => number[];
  beforeAll(async () => {
    await live.engine.begin(async (c) => {
      await c.execute(insert(Company.table), [{ id: 1, name: 'acme' }, { id: 2, name: 'init' }]);
      await c.execute(insert(Employee.table), [
        { id: 1, type: 'engineer', companyId: 1 },
        { id: 2, type: 'manager', companyId: 1 },
        { id: 3, type: 'engineer', companyId: 2 },
      ]);
      await c.execute(insert(Project.table), [{ id: 10, leadId: 1 }, { id: 11, leadId: 1 }, { id: 12, leadId: 3 }]);
    });
    const projects = await live.rows<{ id: number; leadId: number }>(select(Project.c.id, Project.c.leadId));
    projectsOf = (id) => projects.filter((p) => p.leadId === id).map((p) => p.id).sort((a, b) => a - b);
  });
  async function run<T>(fn: (s: Session) => Promise<T>): Promise<[T, number]> {
    await using s = new Session(live.engine);
    const mark = live.log.length;
    const value = await fn(s);
    return [value, live.log.slice(mark).filter((l) => /^SELECT/.test(l)).length];
  }

  test('a subclass option on a polymorphic query loads that subclass only', async () => {
    const [employees, n] = await run((s) => s.scalars(select(Employee).orderBy(Employee.c.id).options(selectinload(Engineer, 'projects'))).then((r) => r.all()));
    expect(n).toBe(2);
    expect(employees.map((e) => e.constructor.name)).toEqual(['Engineer', 'Manager', 'Engineer']);
    for (const e of employees) {
      if (e instanceof Engineer) expect(e.projects.map((p) => p.id).sort((a, b) => a - b)).toEqual(projectsOf(e.id));
      // A manager has no such relationship: nothing was loaded onto it.
      else expect((e as unknown as Record<string, unknown>).projects).toBeUndefined();
    }
  });

  test('joinedload / jsonload of a subclass relationship on a query of the base is refused (it would apply to every row), naming selectinload', async () => {
    await using s = new Session(live.engine);
    for (const option of [joinedload(Engineer, 'projects'), jsonload(Engineer, 'projects')]) {
      const error = await s.execute(select(Employee).options(option)).catch((e) => e);
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error.message).toMatch(/load\(Engineer, 'projects'\): .* would apply to every row; use selectinload\(Engineer, 'projects'\)/);
    }
  });

  test('an option on the parent class applies to a selected subclass', async () => {
    const [engineers, n] = await run((s) => s.scalars(select(Engineer).orderBy(Engineer.c.id).options(joinedload(Employee, 'company'), selectinload(Engineer, 'projects'))).then((r) => r.all()));
    expect(n).toBe(2);
    expect(engineers.map((e) => [e.id, e.company.name])).toEqual([
      [1, 'acme'],
      [3, 'init'],
    ]);
  });

  test('an unrelated class is still an ArgumentError', async () => {
    await using s = new Session(live.engine);
    await expect(s.execute(select(Employee).options(selectinload(Project, 'lead')))).rejects.toThrow(ArgumentError);
    await expect(s.execute(select(Employee).options(selectinload(Project, 'lead')))).rejects.toThrow(/Project is not an entity of this statement/);
  });
});
