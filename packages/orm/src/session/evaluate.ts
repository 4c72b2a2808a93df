/**
 * Evaluates a statement's WHERE clause against objects in memory (SQLAlchemy's
 * "evaluate" synchronisation of bulk UPDATE/DELETE): comparisons, IS [NOT] NULL,
 * [NOT] IN, AND/OR/NOT over the mapper's own columns and bound values, with SQL's
 * three-valued logic (a comparison with NULL is unknown, and unknown does not match).
 * Anything else (functions, subqueries, LIKE, named parameters, text and decimal values,
 * values of another type than the column holds) is Unevaluable, and the caller fetches the matched keys instead.
 */
import { TableColumn } from '@athanor/core';
import type { InstanceState } from '../state/instance-state';

export class Unevaluable extends Error {}

type Tri = boolean | null;

export function matches(where: unknown, st: InstanceState): boolean {
  return truth(where, st) === true;
}

function truth(e: any, st: InstanceState): Tri {
  switch (e?.kind) {
    case 'grouping':
      return truth(e.element, st);
    case 'booleanList': {
      let out: Tri = e.operator === 'AND';
      for (const c of e.clauses) {
        const v = truth(c, st);
        if (e.operator === 'AND') out = v === false || out === false ? false : v === null || out === null ? null : true;
        else out = v === true || out === true ? true : v === null || out === null ? null : false;
      }
      return out;
    }
    case 'unary':
      if (e.operator === 'NOT' && !e.modifier) {
        const v = truth(e.element, st);
        return v === null ? null : !v;
      }
      throw new Unevaluable();
    case 'constantPredicate':
      return Boolean(e.value);
    case 'binary':
      return compare(e, st);
    default:
      throw new Unevaluable();
  }
}

function compare(e: any, st: InstanceState): Tri {
  const op: string = e.operator;
  const left = value(e.left, st);
  if (op === 'IS' || op === 'IS NOT') {
    const right = value(e.right, st);
    const same = left === null && right === null ? true : left === null || right === null ? false : equal(left, right);
    return op === 'IS' ? same : !same;
  }
  if (op === 'IN' || op === 'NOT IN') {
    const list = listOf(e.right, st);
    if (left === null) return null;
    let found: Tri = false;
    for (const v of list) {
      if (v === null) found = found === true ? true : null;
      else if (equal(left, v)) found = true;
    }
    return op === 'IN' ? found : found === null ? null : !found;
  }
  const right = value(e.right, st);
  if (left === null || right === null) return null;
  switch (op) {
    case '=':
      return equal(left, right);
    case '<>':
      return !equal(left, right);
    case '<':
      return order(left, right) < 0;
    case '<=':
      return order(left, right) <= 0;
    case '>':
      return order(left, right) > 0;
    case '>=':
      return order(left, right) >= 0;
    default:
      throw new Unevaluable();
  }
}

function value(e: any, st: InstanceState): unknown {
  if (e?.kind === 'grouping') return value(e.element, st);
  if (e instanceof TableColumn) {
    if (e.table !== st.mapper.table) throw new Unevaluable();
    const v = st.values[st.mapper.columnIndex.get(e.key)!];
    if (v === undefined) throw new Unevaluable(); // not loaded: the database knows, memory does not
    return v;
  }
  if (e?.kind === 'bindParam') {
    if (e.isNamed || e.expanding) throw new Unevaluable();
    return e.value === undefined ? null : e.value;
  }
  if (e?.kind === 'keyword' && e.word === 'NULL') return null;
  throw new Unevaluable();
}

function listOf(e: any, st: InstanceState): unknown[] {
  if (e?.kind === 'bindParam' && e.expanding && !e.isNamed && Array.isArray(e.value)) return e.value;
  if (e?.kind === 'tuple') return e.elements.map((x: unknown) => value(x, st));
  throw new Unevaluable();
}

function comparable(a: unknown, b: unknown): void {
  const ta = a instanceof Date ? 'date' : typeof a;
  const tb = b instanceof Date ? 'date' : typeof b;
  // Text compares by the column's collation in the database (case-insensitive on MariaDB by
  // default), and Numeric values are decimal strings: neither is compared in memory.
  if (ta !== tb || !['number', 'bigint', 'boolean', 'date'].includes(ta)) throw new Unevaluable();
}

function equal(a: unknown, b: unknown): boolean {
  comparable(a, b);
  return a instanceof Date ? a.getTime() === (b as Date).getTime() : a === b;
}

function order(a: unknown, b: unknown): number {
  comparable(a, b);
  const x = a instanceof Date ? a.getTime() : (a as number);
  const y = b instanceof Date ? (b as Date).getTime() : (b as number);
  return x < y ? -1 : x > y ? 1 : 0;
}
