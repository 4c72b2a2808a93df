/** Identifiers for generated declarations, from table names. */

const words = (name: string) => name.split(/[^A-Za-z0-9]+/).filter(Boolean);

/** `user_accounts` -> `userAccounts` (a leading digit gets an underscore). */
export function camelName(name: string): string {
  const w = words(name);
  const s = w.map((x, i) => (i === 0 ? x.charAt(0).toLowerCase() + x.slice(1) : x.charAt(0).toUpperCase() + x.slice(1))).join('') || 'table';
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

export function pascalName(name: string): string {
  const c = camelName(name).replace(/^_/, '');
  return `${/^[0-9]/.test(c) ? '_' : ''}${c.charAt(0).toUpperCase()}${c.slice(1)}`;
}
