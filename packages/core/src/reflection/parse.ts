/**
 * Small helpers for the few catalog values that only exist as SQL text (SQLite's CREATE
 * statements, PostgreSQL's index definitions): they respect quotes and parentheses.
 */

const OPEN_QUOTES: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };

/** Index just past the quoted token starting at `i`. */
function skipQuoted(s: string, i: number): number {
  const close = OPEN_QUOTES[s[i]];
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === close) {
      if (s[j + 1] === close && close !== ']') j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

/**
 * The text inside the parenthesis group opening at or after `from`, and the index after it.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function parenGroup(s: string, from = 0): { body: string; end: number } | undefined {
  const start = s.indexOf('(', from);
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < s.length; ) {
    const ch = s[i];
    if (ch in OPEN_QUOTES) {
      i = skipQuoted(s, i);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { body: s.slice(start + 1, i), end: i + 1 };
    i++;
  }
  return undefined;
}

/**
 * Splits on commas that are outside quotes and parentheses; parts are trimmed.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < s.length; ) {
    const ch = s[i];
    if (ch in OPEN_QUOTES) {
      i = skipQuoted(s, i);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(last, i).trim());
      last = i + 1;
    }
    i++;
  }
  const tail = s.slice(last).trim();
  if (tail) out.push(tail);
  return out;
}

/**
 * Reads one identifier (quoted or bare) at the start of `s`: its unquoted name and the rest.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function readIdentifier(s: string): { name: string; rest: string } | undefined {
  const t = s.trimStart();
  if (!t) return undefined;
  if (t[0] in OPEN_QUOTES && t[0] !== "'") {
    const end = skipQuoted(t, 0);
    const close = OPEN_QUOTES[t[0]];
    const inner = t.slice(1, end - 1);
    return { name: close === ']' ? inner : inner.split(close + close).join(close), rest: t.slice(end) };
  }
  const m = /^[^\s(),]+/u.exec(t);
  return m ? { name: m[0], rest: t.slice(m[0].length) } : undefined;
}

/**
 * The identifier when `s` is exactly one (quoted or bare) identifier, else undefined.
 *
 * @internal For the dialect packages; not part of the public API.
 */
export function soleIdentifier(s: string): string | undefined {
  const r = readIdentifier(s);
  if (!r || r.rest.trim()) return undefined;
  return /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(r.name) || s.trim()[0] in OPEN_QUOTES ? r.name : undefined;
}
