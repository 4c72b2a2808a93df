import { ArgumentError } from '../errors';
import { BinaryExpression, BooleanClauseList, type ColumnElement, Grouping, UnaryExpression } from './column-element';
import { Boolean as BooleanT } from '../types/generic';

type Predicate = ColumnElement<boolean, any> | ColumnElement<boolean | null, any>;

/** `a AND b AND ...`. Nested ANDs flatten; `undefined` items are skipped (handy for optional filters). */
export function and(...clauses: (Predicate | undefined)[]): ColumnElement<boolean> {
  return conjunction('AND', clauses);
}

/** `a OR b OR ...`. */
export function or(...clauses: (Predicate | undefined)[]): ColumnElement<boolean> {
  return conjunction('OR', clauses);
}

/** `NOT a`; comparisons are inverted instead (`NOT (a = b)` is `a <> b`). */
export function not(clause: Predicate): ColumnElement<boolean> {
  if (clause instanceof BinaryExpression) return clause.negate();
  return new UnaryExpression(clause.precedence < 100 ? new Grouping(clause) : clause, 'NOT', undefined, BooleanT());
}

function conjunction(op: 'AND' | 'OR', clauses: (Predicate | undefined)[]): ColumnElement<boolean> {
  const flat: ColumnElement<any, any>[] = [];
  for (const c of clauses) {
    if (c === undefined) continue;
    // By kind: a failed branded instanceof (the usual case, a comparison) walks the prototype chain.
    if ((c as { kind?: string } | null)?.kind === 'booleanList' && (c as BooleanClauseList).operator === op) flat.push(...(c as BooleanClauseList).clauses);
    else flat.push(c);
  }
  if (flat.length === 0) throw new ArgumentError(`${op.toLowerCase()}() needs at least one clause.`);
  if (flat.length === 1) return flat[0] as ColumnElement<boolean>;
  return new BooleanClauseList(op, flat);
}
