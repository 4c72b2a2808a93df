/**
 * `session.get(User, pk)` past the identity map: one prebuilt SELECT per mapper, its key
 * bound as parameters (compiled once, cached), reading the first row only.
 */
import { type ClauseElement, type Connection, InvalidRequestError, and, bindparam, select } from '@athanor/core';
import type { LoadContext, Mapper } from '../mapper';
import type { PrimaryKeyValue } from './session';

const statements = new WeakMap<Mapper, { stmt: ClauseElement; names: string[] }>();

function statementFor(mapper: Mapper): { stmt: ClauseElement; names: string[] } {
  let s = statements.get(mapper);
  if (s === undefined) {
    const names = mapper.pkKeys.map((_, i) => `athanor_pk_${i}`);
    // The key columns themselves (a joined subclass's are its base table's).
    const criteria = mapper.pkIndexes.map((slot, i) => (mapper.columns[slot] as any).eq(bindparam(names[i])));
    s = { stmt: select(mapper.cls as any).where(criteria.length === 1 ? criteria[0] : and(...criteria)) as ClauseElement, names };
    statements.set(mapper, s);
  }
  return s;
}

export function normalisePk(mapper: Mapper, pk: PrimaryKeyValue): unknown[] {
  const values = Array.isArray(pk) ? pk : [pk];
  if (values.length !== mapper.pkKeys.length) {
    throw new InvalidRequestError(`get(${mapper.name}, ...): the primary key has ${mapper.pkKeys.length} column(s) (${mapper.pkKeys.join(', ')}); got ${values.length} value(s).`);
  }
  for (const v of values) {
    if (v === undefined || v === null) throw new InvalidRequestError(`get(${mapper.name}, ...): a primary key value is ${v}; pass the key of the row to load.`);
  }
  return values;
}

export async function getByPrimaryKey(conn: Connection, mapper: Mapper, pk: readonly unknown[], context: LoadContext): Promise<object | null> {
  const { stmt, names } = statementFor(mapper);
  const params: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) params[names[i]] = pk[i];
  const row = (await conn.firstWithContext(stmt, params, context)) as Record<string, unknown> | null;
  return row === null ? null : (row[mapper.descriptor.name] as object);
}
