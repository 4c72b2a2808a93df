/**
 * A custom `primaryjoin` / `secondaryjoin` written in Core, split into what the ORM needs:
 * the foreign-key pairs (each `a.eq(b)` between a column of each side, where one column
 * references the other or is named in `foreignKeys`) that the flush writes and the loaders
 * match on, and the other terms (criteria on the target or association table) that only
 * the loaders apply. Terms the loaders could not honour, such as a criterion on the
 * owner's own columns, are refused at declaration.
 */
import { ArgumentError, BinaryExpression, BooleanClauseList, type ColumnElement, Grouping, type Table, TableColumn, and, iterate } from '@athanor/core';
import { NoForeignKeysError } from './errors';
import type { ColumnPair, Direction } from './relationship-join';
import type { JoinCondition } from './relationship-options';

type Col = TableColumn<any, any>;

interface Split {
  equalities: [Col, Col][];
  rest: ColumnElement<any, any>[];
}

/** The condition's AND terms: column = column equalities, and the rest. */
function split(condition: ColumnElement<any, any>, out: Split = { equalities: [], rest: [] }): Split {
  let c: ColumnElement<any, any> = condition;
  while (c instanceof Grouping) c = c.element;
  if (c instanceof BooleanClauseList && c.operator === 'AND') {
    for (const term of c.clauses) split(term, out);
    return out;
  }
  if (c instanceof BinaryExpression && c.operator === '=') {
    const l = unwrap(c.left);
    const r = unwrap(c.right);
    if (l instanceof TableColumn && r instanceof TableColumn) {
      out.equalities.push([l, r]);
      return out;
    }
  }
  out.rest.push(c);
  return out;
}

function unwrap(e: ColumnElement<any, any>): ColumnElement<any, any> {
  let c = e;
  while (c instanceof Grouping) c = c.element;
  return c;
}

/** The condition itself, from the option (a function is called now: both classes exist). */
export function conditionOf(option: JoinCondition, name: string, where: string): ColumnElement<any, any> {
  const c = typeof option === 'function' ? option() : option;
  if (!(c instanceof BinaryExpression || c instanceof BooleanClauseList || c instanceof Grouping)) {
    throw new ArgumentError(`Relationship ${where}: ${name} takes a Core condition such as User.c.id.eq(Address.c.userId) (or and(...) of several), or a function returning one.`);
  }
  return c;
}

/** Whether `from` has a foreign key (its own, or part of a ForeignKeyConstraint) referencing `to`. */
const references = (from: Col, to: Col) => (from.table as Table<any, any>).foreignKeyLinksTo(to.table).some((l) => l.parent === from && l.referred === to);

/**
 * The pairs between `one` (the referenced side's table) and `many` (the referencing
 * side's table) in `condition`, each oriented by its foreign key (or `foreignKeys`), and
 * the remaining terms, which may name only `allowed` tables.
 */
function pairsOf(where: string, name: string, condition: ColumnElement<any, any>, tables: [Table<any, any>, Table<any, any>], foreignKeys: readonly Col[] | undefined, allowed: readonly Table<any, any>[]): { pairs: [Col, Col][]; rest: ColumnElement<any, any>[] } {
  const { equalities, rest } = split(condition);
  const pairs: [Col, Col][] = [];
  for (const [a, b] of equalities) {
    const crosses = (a.table === tables[0] && b.table === tables[1]) || (a.table === tables[1] && b.table === tables[0]);
    if (!crosses) {
      rest.push(a.eq(b) as ColumnElement<any, any>);
      continue;
    }
    // Oriented [referenced, referencing].
    if (foreignKeys?.includes(b) || (!foreignKeys && references(b, a))) pairs.push([a, b]);
    else if (foreignKeys?.includes(a) || (!foreignKeys && references(a, b))) pairs.push([b, a]);
    else {
      throw new NoForeignKeysError(
        `Relationship ${where}: in ${name}, ${describe(a)} = ${describe(b)} compares columns of which neither references the other; add a ForeignKey, or name the referencing column in foreignKeys.`,
      );
    }
  }
  if (pairs.length === 0) {
    throw new NoForeignKeysError(`Relationship ${where}: ${name} has no equality between a column of '${tables[0].name}' and one of '${tables[1].name}'; write it as A.c.id.eq(B.c.aId).`);
  }
  for (const term of rest) {
    for (const el of iterate(term)) {
      if (el instanceof TableColumn && !allowed.includes(el.table)) {
        throw new ArgumentError(
          `Relationship ${where}: the ${name} term naming ${describe(el)} is not a key equality, and only criteria on ${allowed.map((t) => `'${t.name}'`).join(' or ')} can be loaded with it; filter the owner's rows in the query instead.`,
        );
      }
    }
  }
  return { pairs, rest };
}

const describe = (c: Col) => `${(c.table as Table<any, any>).name}.${c.name}`;
const pair = ([one, many]: [Col, Col]): ColumnPair => ({ one: one.key as string, many: many.key as string });

export interface CustomJoin {
  direction: Direction;
  pairs: ColumnPair[];
  targetPairs: ColumnPair[];
  criteria: ColumnElement<boolean> | undefined;
  secondaryCriteria: ColumnElement<boolean> | undefined;
}

/** A one-to-many or many-to-one `primaryjoin` (no association table). */
export function resolvePrimaryjoin(where: string, parent: Table<any, any>, target: Table<any, any>, condition: ColumnElement<any, any>, foreignKeys: readonly Col[] | undefined, remoteSide: readonly Col[] | undefined): CustomJoin {
  const { pairs, rest } = pairsOf(where, 'primaryjoin', condition, [parent, target], foreignKeys, [target]);
  let direction: Direction;
  if (parent === target) {
    // A table to itself: the referenced column is local (one-to-many) unless remoteSide names it.
    direction = remoteSide?.some((c) => pairs.some(([one]) => one === c)) ? 'manyToOne' : 'oneToMany';
  } else {
    const toTarget = pairs.filter(([one]) => one.table === target).length;
    if (toTarget !== 0 && toTarget !== pairs.length) {
      throw new ArgumentError(`Relationship ${where}: primaryjoin has foreign keys both ways between '${parent.name}' and '${target.name}'; keep the pairs of one foreign key.`);
    }
    direction = toTarget === 0 ? 'oneToMany' : 'manyToOne';
  }
  if (direction === 'manyToOne' && rest.length > 0) {
    throw new ArgumentError(`Relationship ${where}: extra primaryjoin criteria are supported on the one-to-many side (the target's rows are filtered); declare them there.`);
  }
  return { direction, pairs: pairs.map(pair), targetPairs: [], criteria: rest.length > 0 ? and(...rest) : undefined, secondaryCriteria: undefined };
}

/** Many-to-many: `primaryjoin` from the owner to the association table, `secondaryjoin` from it to the target. */
export function resolveSecondaryJoins(where: string, parent: Table<any, any>, target: Table<any, any>, secondary: Table<any, any>, primary: ColumnElement<any, any>, second: ColumnElement<any, any>): CustomJoin {
  const p = pairsOf(where, 'primaryjoin', primary, [parent, secondary], undefined, [secondary, target]);
  const s = pairsOf(where, 'secondaryjoin', second, [target, secondary], undefined, [secondary, target]);
  for (const [one, many] of [...p.pairs, ...s.pairs]) {
    if (many.table !== secondary) throw new ArgumentError(`Relationship ${where}: ${describe(one)} should reference ${describe(many)}: the association table '${secondary.name}' holds the foreign keys of a many-to-many.`);
  }
  const rest = [...p.rest, ...s.rest];
  return { direction: 'manyToMany', pairs: p.pairs.map(pair), targetPairs: s.pairs.map(pair), criteria: undefined, secondaryCriteria: rest.length > 0 ? and(...rest) : undefined };
}
