/** Operator precedence, used to parenthesise at construction time (higher binds tighter). */
export const Prec = {
  select: 0,
  or: 2,
  and: 3,
  not: 4,
  comparison: 5,
  concat: 6,
  additive: 7,
  multiplicative: 8,
  unary: 9,
  atom: 100,
} as const;

/** The precedence of each binary operator as written in SQL. */
export const binaryPrecedence: Record<string, number> = {
  '=': Prec.comparison,
  '<>': Prec.comparison,
  '<': Prec.comparison,
  '<=': Prec.comparison,
  '>': Prec.comparison,
  '>=': Prec.comparison,
  IS: Prec.comparison,
  'IS NOT': Prec.comparison,
  'IS DISTINCT FROM': Prec.comparison,
  'IS NOT DISTINCT FROM': Prec.comparison,
  LIKE: Prec.comparison,
  'NOT LIKE': Prec.comparison,
  ILIKE: Prec.comparison,
  'NOT ILIKE': Prec.comparison,
  IN: Prec.comparison,
  'NOT IN': Prec.comparison,
  '||': Prec.concat,
  '+': Prec.additive,
  '-': Prec.additive,
  '*': Prec.multiplicative,
  '/': Prec.multiplicative,
  '%': Prec.multiplicative,
};

/** Operators where `a op (b op c)` differs from `(a op b) op c`, so a right operand of equal precedence is grouped. */
export const nonAssociative = new Set(['-', '/', '%', '<', '>', '<=', '>=', '=', '<>']);
