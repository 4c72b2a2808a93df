import { MigrateError } from '../errors';
import type { DdlRenderer } from './ddl';

/** `op.alterEnum(name, values, options)`: the values the type has now, and the columns using it. */
export interface AlterEnumOptions {
  /** The type's values as they are (offline mode cannot read them; autogenerate writes them). */
  existingValues: readonly string[];
  /** `[table, column]` of every column of this type: converted when the type must be rebuilt. */
  columns?: readonly (readonly [string, string])[];
  schema?: string;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export function alterEnumSQL(r: DdlRenderer, name: string, values: readonly string[], o: AlterEnumOptions): string[] {
  if (r.kind !== 'postgresql') {
    throw new MigrateError(
      `alterEnum('${name}'): enum types are PostgreSQL's. On MySQL/MariaDB an ENUM column's values change with alterColumn(table, column, { type: Enum([...]) }); SQLite keeps Enum columns as text.`,
    );
  }
  const existing = o?.existingValues;
  if (!Array.isArray(existing) || existing.length === 0) throw new MigrateError(`alterEnum('${name}'): give existingValues, the values the type has now (offline mode cannot read them).`);
  if (values.length === 0 || new Set(values).size !== values.length) throw new MigrateError(`alterEnum('${name}'): values must be a non-empty list without repeats (got ${JSON.stringify(values)}).`);
  if (same(values, existing)) throw new MigrateError(`alterEnum('${name}'): nothing to change; values equal existingValues.`);
  const type = o.schema ? `${r.quote(o.schema)}.${r.quote(name)}` : r.quote(name);
  const lit = (v: string) => r.literal(v);
  // Only additions, the old values in their old order: ADD VALUE changes the type in place.
  if (existing.every((v) => values.includes(v)) && same(values.filter((v) => existing.includes(v)), existing)) {
    return values.flatMap((v, i) => (existing.includes(v) ? [] : [i === 0 ? `ALTER TYPE ${type} ADD VALUE ${lit(v)} BEFORE ${lit(values[1])}` : `ALTER TYPE ${type} ADD VALUE ${lit(v)} AFTER ${lit(values[i - 1])}`]));
  }
  // PostgreSQL cannot drop or move a value: a new type under the name, columns converted through text.
  const oldName = `${name}_athanor_old`;
  const old = o.schema ? `${r.quote(o.schema)}.${r.quote(oldName)}` : r.quote(oldName);
  return [
    `ALTER TYPE ${type} RENAME TO ${r.quote(oldName)}`,
    `CREATE TYPE ${type} AS ENUM (${values.map(lit).join(', ')})`,
    ...(o.columns ?? []).map(([t, c]) => `ALTER TABLE ${r.table(t, o.schema)} ALTER COLUMN ${r.quote(c)} TYPE ${type} USING ${r.quote(c)}::text::${type}`),
    `DROP TYPE ${old}`,
  ];
}
