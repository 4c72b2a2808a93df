/** Text normalisation for comparing what the models say with what a database reports. */

/** Type names as the dialect's compiler writes them, with the spellings databases report folded together. */
export function normaliseType(name: string, dialect: string): string {
  // Case and spacing fold outside quotes only: ENUM('a','A') keeps its values as they are.
  let t = name
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : part.toUpperCase().replace(/\s+/g, ' ').replace(/\s*,\s*/g, ',')))
    .join('')
    .trim();
  if (dialect === 'mysql') t = t.replace(/^BOOL$/, 'TINYINT(1)').replace(/^INTEGER$/, 'INT');
  if (dialect === 'postgresql') t = t.replace(/^TIMESTAMP WITHOUT TIME ZONE$/, 'TIMESTAMP').replace(/^CHARACTER VARYING/, 'VARCHAR');
  return t;
}

const INTEGER_RANK: Record<string, number> = { SMALLINT: 1, INTEGER: 2, INT: 2, BIGINT: 3 };

/** 'same', 'widening' (no value can be lost) or 'narrowing' (values may not fit: marked destructive). */
export function typeChange(from: string, to: string): 'same' | 'widening' | 'narrowing' {
  if (from === to) return 'same';
  const base = (t: string) => t.replace(/\(.*$/, '');
  // ENUM('a','b') -> ENUM('a','b','c'): every stored value still allowed when the new list keeps them all.
  if (base(from) === 'ENUM' && base(to) === 'ENUM') return enumValuesOf(from).every((v) => enumValuesOf(to).includes(v)) ? 'widening' : 'narrowing';
  const args = (t: string) => (/\(([^)]*)\)/.exec(t)?.[1] ?? '').split(',').filter(Boolean).map(Number);
  if (base(from) === base(to)) {
    const [a, b] = [args(from), args(to)];
    // VARCHAR(50) -> VARCHAR(100), NUMERIC(8,2) -> NUMERIC(12,2): every bound grows or stays.
    if (a.length && b.length && a.every((x, i) => b[i] === undefined || b[i] >= x)) return 'widening';
    if (a.length && !b.length) return 'widening';
    return 'narrowing';
  }
  if (base(from) in INTEGER_RANK && base(to) in INTEGER_RANK) return INTEGER_RANK[base(to)] > INTEGER_RANK[base(from)] ? 'widening' : 'narrowing';
  if (/CHAR/.test(from) && /^(TEXT|LONGTEXT|CLOB)$/.test(to)) return 'widening';
  return 'narrowing';
}

/** The values of a MySQL `ENUM('a','b''c')` type name. */
export function enumValuesOf(typeName: string): string[] {
  return [...typeName.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
}

/** Families of types PostgreSQL converts between on its own in ALTER COLUMN TYPE (assignment casts). */
function typeFamily(t: string): string {
  const base = t.replace(/\(.*$/, '');
  if (/CHAR|TEXT|CLOB/.test(base)) return 'string';
  if (/^(SMALLINT|INTEGER|INT|BIGINT|NUMERIC|DECIMAL|REAL|DOUBLE PRECISION|FLOAT)$/.test(base)) return 'number';
  if (/^(DATE|TIME|TIMESTAMP|TIMESTAMP WITH(OUT)? TIME ZONE|TIMESTAMPTZ)$/.test(base)) return 'datetime';
  return base;
}

/**
 * PostgreSQL: true when ALTER COLUMN TYPE from `from` to `to` needs USING (no assignment cast:
 * text -> integer, integer -> boolean...). Anything goes to a string type without one.
 */
export function castNeeded(from: string, to: string): boolean {
  const [a, b] = [typeFamily(from), typeFamily(to)];
  return a !== b && b !== 'string';
}

/** A default's SQL with casts, outer parentheses, quoting of numbers and case folded away. */
export function normaliseDefault(sql: string | undefined, typeName = ''): string | null {
  if (sql === undefined || sql === null) return null;
  let s = sql.trim();
  for (;;) {
    const next = s.replace(/::[a-z_ ]+(\(\d+(,\s*\d+)?\))?(\[\])?$/i, '').trim();
    const unwrapped = /^\((.*)\)$/.test(next) ? next.slice(1, -1).trim() : next;
    if (unwrapped === s) break;
    s = unwrapped;
  }
  const quotedNumber = /^'(-?\d+(\.\d+)?)'$/.exec(s);
  if (quotedNumber) s = quotedNumber[1];
  if (/^null$/i.test(s)) return null;
  s = s.replace(/\(\)$/, '').toLowerCase();
  // Booleans: PostgreSQL reports true/false for a default written '1'/'0'.
  if (/^(BOOL|BOOLEAN|TINYINT\(1\))$/i.test(typeName)) {
    if (/^('?(1|t|true)'?)$/.test(s)) return '1';
    if (/^('?(0|f|false)'?)$/.test(s)) return '0';
  }
  return s;
}

// Types PostgreSQL writes into the text it reports (name::text, 'a'::character varying, ...).
const PG_CAST = /::\s*(text|character varying|varchar|character|bpchar|integer|bigint|smallint|numeric|boolean|date|double precision|real|jsonb?|uuid|timestamp(?: with(?:out)? time zone)?)(\(\d+(?:,\s*\d+)?\))?(\[\])?/gi;

/**
 * SQL text of a check or an index expression as the models write it and as each database
 * reports it, brought to one form: PostgreSQL's casts dropped and `= ANY (ARRAY[...])` read as
 * `IN (...)`; case, identifier quotes, parentheses and spaces folded outside string literals;
 * `!=` as `<>`. Parentheses go entirely, so `(a + b) * c` and `a + b * c` compare equal: a
 * change that only moves parentheses is not seen (the docs say so).
 */
export function normaliseSQL(sql: string): string {
  const text = sql.replace(PG_CAST, '').replace(/=\s*any\s*\(+\s*array\s*\[(.*?)\]\s*\)+/gi, ' IN ($1)');
  return text
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : part.toLowerCase().replace(/!=/g, '<>').replace(/[\s"`()]/g, '')))
    .join('');
}
