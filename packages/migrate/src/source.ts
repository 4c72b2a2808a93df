/** Helpers for writing TypeScript source text (revision files, codegen). */

/** A single-quoted TypeScript string literal. */
export function tsString(s: string): string {
  if (s.includes("'") && !s.includes('"') && !s.includes('\\') && !/[\n\r]/.test(s)) return `"${s}"`;
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

export function tsStringList(list: readonly string[]): string {
  return `[${list.map(tsString).join(', ')}]`;
}

/** An object key: bare when it is an identifier, quoted otherwise. */
export function tsKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : tsString(name);
}
