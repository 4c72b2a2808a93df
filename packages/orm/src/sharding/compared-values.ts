/**
 * For query choosers: the values a statement's WHERE clause pins a column to. Only what
 * holds for every row the statement can return is read: `col = v` and `col IN (...)` joined
 * by AND at the top, or an OR whose every branch pins the column. Anything else (a
 * comparison under NOT, an OR with a branch free of the column, a parameter bound at
 * execution) leaves the column unpinned, so a chooser built on this never narrows wrongly.
 */
import type { ClauseElement } from '@athanor/core';

interface Node {
  kind?: string;
  operator?: string;
  clauses?: readonly Node[];
  element?: Node;
  left?: Node;
  right?: Node;
  value?: unknown;
  expanding?: boolean;
  isNamed?: boolean;
}

/**
 * The literal values `statement`'s WHERE clause restricts `column` to, or undefined when it
 * does not restrict it: `select(User).where(User.c.region.eq('east'))` → `['east']`.
 */
export function comparedValues(statement: ClauseElement, column: ClauseElement): unknown[] | undefined {
  const where = (statement as unknown as { whereClause?: Node }).whereClause;
  return where === undefined ? undefined : pinned(where, column as unknown as Node);
}

function pinned(node: Node, column: Node): unknown[] | undefined {
  while (node.kind === 'grouping' && node.element !== undefined) node = node.element;
  if (node.kind === 'booleanList') {
    const parts = (node.clauses ?? []).map((c) => pinned(c, column));
    if (node.operator === 'AND') {
      // Each pinned conjunct holds for every row: any one of them is a safe answer (the smallest is the narrowest).
      const known = parts.filter((p) => p !== undefined) as unknown[][];
      return known.length === 0 ? undefined : known.reduce((a, b) => (b.length < a.length ? b : a));
    }
    return parts.some((p) => p === undefined) ? undefined : [...new Set(parts.flat())];
  }
  if (node.kind !== 'binary' || node.left !== column || node.right?.kind !== 'bindParam' || node.right.isNamed) return undefined;
  if (node.operator === '=' && !node.right.expanding) return [node.right.value];
  if (node.operator === 'IN' && node.right.expanding && Array.isArray(node.right.value)) return [...node.right.value];
  return undefined;
}
