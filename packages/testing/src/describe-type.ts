/**
 * `Integer`, `String(50)`, `Numeric(20,4)`, `Enum[red|green]`: a type's comparable description,
 * its name plus the parameters a database keeps. Compares a reflected type with the declared one.
 */
export function describeType(t: any): string {
  const i = t.impl;
  const length = i.length !== undefined ? `(${i.length})` : '';
  const precision = i.precision !== undefined ? `(${i.precision},${i.scale})` : '';
  const values = i.typeName === 'Enum' ? `[${i.values.join('|')}]` : '';
  return `${i.typeName}${length}${precision}${values}`;
}
