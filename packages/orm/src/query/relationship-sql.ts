/**
 * The SQL of a relationship between two FROM items (each a mapped class's table or an
 * alias of it): the ON clause(s) of a join along it, and the criteria `any()`, `has()`,
 * `eq(obj)` and `withParent()` build from its column pairs (relationship-join.ts).
 */
import { type ColumnElement, type FromClause, InvalidRequestError, type JoinStep, and, literalColumn, select } from '@athanor/core';
import type { Mapper } from '../mapper';
import type { Relationship } from '../relationship';
import { maybeState } from '../state/instance-state';

type AnyColumn = ColumnElement<any, any>;
type Predicate = ColumnElement<boolean | null, any>;

/** One end of a relationship in a statement: the mapper and the FROM item standing for its table. */
export interface Side {
  readonly mapper: Mapper;
  readonly from: FromClause;
}

const col = (side: FromClause, key: string): AnyColumn => (side.c as Record<string, AnyColumn>)[key];

/** `parent.key = target.fk` (one-to-many) or `parent.fk = target.key` (many-to-one), ANDed over the pairs. */
function directCondition(rel: Relationship, parent: FromClause, target: FromClause): Predicate {
  const oneToMany = rel.direction === 'oneToMany';
  return and(
    ...rel.pairs.map((p) => (oneToMany ? col(parent, p.one).eq(col(target, p.many)) : col(parent, p.many).eq(col(target, p.one)))),
    criteriaOn(rel, rel.criteria, target),
    subclassCriteria(rel, target),
  );
}

/**
 * A single-table subclass target's discriminator criteria (`employee.type = 'engineer'`),
 * as every SELECT of it applies them. A joined-table subclass target would need its
 * parent tables joined too: refused, not joined to one table of it.
 */
export function subclassCriteria(rel: Relationship, target: FromClause): Predicate | undefined {
  const where = rel.target.descriptor.where;
  if (where === undefined) return undefined;
  if (rel.target.parts.length > 1 || target !== rel.target.table) {
    throw new InvalidRequestError(
      `${rel.parent.name}.${rel.name}: its target ${rel.target.name} is a subclass with a table of its own (joined-table inheritance); joins and any()/has() along this relationship are not supported yet. Join ${rel.target.name} itself with an explicit ON clause.`,
    );
  }
  return where;
}

/** A parent class whose rows span several tables (a joined-table subclass) has no one FROM item for its columns yet. */
export function checkOneTable(mapper: Mapper, where: string): void {
  if (mapper.parts.length === 1) return;
  throw new InvalidRequestError(
    `${where}: ${mapper.name} is mapped to several tables (joined-table inheritance), which relationship handles cannot join yet; join its tables with an explicit ON clause.`,
  );
}

/** The extra terms of a custom primaryjoin/secondaryjoin: written on the target's table, so not on an alias of it. */
export function criteriaOn(rel: Relationship, criteria: Predicate | undefined, target: FromClause): Predicate | undefined {
  if (criteria === undefined || target === rel.target.table) return criteria;
  throw new InvalidRequestError(
    `${rel.parent.name}.${rel.name}: its custom join has criteria beyond the key columns, which are written on table '${rel.target.table.name}' and cannot be applied to an alias of it yet; join the class itself.`,
  );
}

/** Many-to-many: the parent to the association table, and the association table to the target. */
function secondaryConditions(rel: Relationship, parent: FromClause, target: FromClause): [Predicate, Predicate] {
  const sec = rel.secondary!;
  return [
    and(...rel.pairs.map((p) => col(parent, p.one).eq(col(sec, p.many)))),
    and(...rel.targetPairs.map((p) => col(target, p.one).eq(col(sec, p.many))), criteriaOn(rel, rel.secondaryCriteria, target), subclassCriteria(rel, target)),
  ];
}

/** The joins from the parent to the target: one step, or two through the association table. */
export function joinSteps(rel: Relationship, parent: FromClause, target: FromClause): JoinStep[] {
  if (!rel.secondary) return [{ target, on: directCondition(rel, parent, target), from: parent }];
  const [toSecondary, toTarget] = secondaryConditions(rel, parent, target);
  return [
    { target: rel.secondary, on: toSecondary, from: parent },
    { target, on: toTarget },
  ];
}

/**
 * `EXISTS (SELECT 1 FROM target WHERE <join condition> AND criterion)`, correlated to the
 * parent's FROM item (any() and has()).
 */
export function existsAlong(rel: Relationship, parent: FromClause, target: FromClause, criterion: Predicate | undefined): ColumnElement<boolean> {
  const froms: FromClause[] = [target];
  const conditions: Predicate[] = [];
  if (rel.secondary) {
    froms.unshift(rel.secondary);
    conditions.push(...secondaryConditions(rel, parent, target));
  } else conditions.push(directCondition(rel, parent, target));
  if (criterion !== undefined) conditions.push(criterion);
  return select(literalColumn('1'))
    .selectFrom(...froms)
    .where(and(...conditions))
    .correlate(parent)
    .exists();
}

/** The values of `obj`'s columns `keys` (its key or its foreign key), refusing what is not known yet. */
export function columnValues(obj: object, mapper: Mapper, keys: readonly string[], what: string): unknown[] {
  const st = maybeState(obj);
  if (st === undefined || !isA(st.mapper, mapper)) {
    throw new InvalidRequestError(`${what}: expected a ${mapper.name} object; got ${describe(obj)}.`);
  }
  return keys.map((k) => {
    const v = st.values[mapper.columnIndex.get(k)!];
    if (v === undefined || v === null) {
      throw new InvalidRequestError(
        `${what}: this ${mapper.name} object has no value for '${k}' yet (${st.key === undefined ? 'it was never flushed: call session.flush() first' : 'the attribute is expired: refresh the object first'}).`,
      );
    }
    return v;
  });
}

/** `cols[i] = values[i]` for each column, ANDed. */
export function equalsAll(cols: readonly AnyColumn[], values: readonly unknown[]): ColumnElement<boolean> {
  return and(...cols.map((c, i) => c.eq(values[i] as never)));
}

function isA(m: Mapper, expected: Mapper): boolean {
  return m === expected || m.cls.prototype instanceof expected.cls;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return `a ${x.constructor?.name ?? 'plain'} object`;
  return `${typeof x} ${String(x)}`;
}

export { col as columnOf };
