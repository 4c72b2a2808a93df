/** Static types of single-table inheritance: subclass columns on instances, in `.c`, in queries. */
import { Column, ForeignKey, Integer, type ScalarResult, String, select } from '@athanor/core';
import { type Session, declarativeBase, relationship, selectinload } from '@athanor/orm';
import { type Equal, expectType } from './assert';

const Base = declarativeBase();

class Employee extends Base.mapped(
  'employee',
  { id: Column(Integer, { primaryKey: true }), name: Column(String(30), { nullable: false }), type: Column(String(20), { nullable: false }) },
  { polymorphicOn: 'type', polymorphicIdentity: 'employee' },
) {
  declare reviewer: Employee | null;
  label(): string {
    return `${this.type}:${this.name}`;
  }
}
class Engineer extends Base.subclass(Employee, { polymorphicIdentity: 'engineer', columns: { skill: Column(String(30)) } }) {
  shout(): string {
    return this.skill ?? '';
  }
}
class Manager extends Base.subclass(Employee, { polymorphicIdentity: 'manager', columns: { budget: Column(Integer) } }) {}

// Instances: the subclass's own columns, the base's columns and methods.
const g = new Engineer({ name: 'ada', skill: 'rust' });
expectType<Equal<typeof g.skill, string | null>>(true);
expectType<Equal<typeof g.name, string>>(true);
expectType<Equal<typeof g.id, number>>(true);
expectType<Equal<ReturnType<typeof g.label>, string>>(true);
expectType<Equal<ReturnType<typeof g.shout>, string>>(true);
const base: Employee = g;
void base;
// @ts-expect-error a Manager column is not an Engineer's
g.budget;
// @ts-expect-error misspelled column
g.skil;
// @ts-expect-error misspelled constructor key
new Engineer({ name: 'x', skil: 'go' });
// @ts-expect-error the subclass's column has its type
new Engineer({ name: 'x', skill: 5 });
// @ts-expect-error the base's own instances do not have the subclass's columns
new Employee({ name: 'x' }).skill;

// `.c`: the base's columns and the subclass's own.
expectType<Equal<ReturnType<typeof Engineer.c.skill.eq>, ReturnType<typeof Employee.c.name.eq>>>(true);
Engineer.c.id.eq(1);
Engineer.c.name.eq('ada');
Engineer.c.skill.eq('rust');
Manager.c.budget.gt(10);
// @ts-expect-error a Manager column is not in Engineer.c
Engineer.c.budget;
// @ts-expect-error misspelled
Engineer.c.skil;
// @ts-expect-error the base's .c has only its own columns
Employee.c.skill;

// Queries: a subclass query's values are subclass instances.
declare const session: Session;
async function queries() {
  const engineers = await session.scalars(select(Engineer).where(Engineer.c.skill.eq('rust')));
  expectType<Equal<typeof engineers, ScalarResult<Engineer>>>(true);
  const one = await session.get(Manager, 1);
  expectType<Equal<typeof one, Manager | null>>(true);
  // Relationships declared on the base are the subclass's too.
  select(Engineer).options(selectinload(Engineer, 'reviewer'));
}
void queries;
Base.relationships(Employee, { reviewer: relationship(Employee) });

// @ts-expect-error polymorphicIdentity is required
Base.subclass(Employee, { columns: {} });

// Joined-table inheritance: the subclass's own table; `.c` has both tables' columns.
class Person extends Base.mapped('person', { id: Column(Integer, { primaryKey: true }), kind: Column(String(10)), name: Column(String(30)) }, { polymorphicOn: 'kind' }) {}
class Student extends Base.subclass(Person, {
  polymorphicIdentity: 'student',
  table: 'student',
  columns: { id: Column(Integer, ForeignKey('person.id'), { primaryKey: true }), school: Column(String(30), { nullable: false }) },
}) {}
class Graduate extends Base.subclass(Student, {
  polymorphicIdentity: 'graduate',
  table: 'graduate',
  columns: { studentId: Column(Integer, ForeignKey('student.id'), { primaryKey: true }), thesis: Column(String(80)) },
}) {}
const st = new Student({ name: 'kim', school: 'mit' });
expectType<Equal<typeof st.school, string>>(true);
expectType<Equal<typeof st.name, string | null>>(true);
const gr = new Graduate({ name: 'lee', school: 'eth', thesis: 'types' });
expectType<Equal<typeof gr.thesis, string | null>>(true);
expectType<Equal<typeof gr.school, string>>(true);
expectType<Equal<typeof gr.studentId, number>>(true);
Student.c.school.eq('mit');
Student.c.name.eq('kim');
Student.c.id.eq(1);
Graduate.c.thesis.eq('x');
Graduate.c.school.eq('x');
Graduate.c.name.eq('x');
expectType<Equal<typeof Student.table.name, 'student'>>(true);
// @ts-expect-error a Graduate column is not in Student.c
Student.c.thesis;
// @ts-expect-error misspelled
Graduate.c.thesiss;
// @ts-expect-error the column's type
new Student({ school: 5 });
// @ts-expect-error not a Student column
new Student({ thesis: 'x' });
