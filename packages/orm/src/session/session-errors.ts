/** The session's messages for misuse (wrong transaction state, unknown attributes, lazy: 'raise'), and the expired-row fill of its loader. */
import { InvalidRequestError } from '@athanor/core';
import type { Mapper } from '../mapper';
import type { Relationship } from '../relationship';
import type { InstanceState } from '../state/instance-state';

/** A call refused in the session's transaction state (see `ALLOWED` in session.ts). */
export function phaseError(op: string, begun: boolean, failure: unknown): InvalidRequestError {
  if (op === 'begin' && begun) {
    return new InvalidRequestError(
      'begin(): a transaction is already begun on this session (the session begins one at its first query or flush); commit() or rollback() it first, or use beginNested() for a savepoint.',
    );
  }
  return new InvalidRequestError(
    `session.${op}(): this session's transaction was rolled back by an error (${describeFailure(failure)}); end its begin()/beginNested() block or call rollback() before using the session again.`,
  );
}

export function checkAttributes(mapper: Mapper, attributes: readonly string[], op: string): void {
  for (const a of attributes) {
    if (mapper.slotOf(a) === undefined && !mapper.relationships.has(a)) {
      const props = mapper.columnProperties.length > 0 ? `; column properties: ${mapper.columnProperties.map((p) => p.name).join(', ')}` : '';
      throw new InvalidRequestError(`${op}(): ${mapper.name} has no attribute '${a}' (columns: ${mapper.columnKeys.join(', ')}; relationships: ${[...mapper.relationships.keys()].join(', ') || 'none'}${props}).`);
    }
  }
}

export function lazyRaiseError(rel: Relationship): InvalidRequestError {
  const cls = rel.parent.name;
  return new InvalidRequestError(
    `${cls}.${rel.name} is declared lazy: 'raise': it loads only with the query (.options(selectinload(${cls}, '${rel.name}'))) or with session.refresh(obj, ['${rel.name}']), not through awaitableAttrs.`,
  );
}

/** Fills the expired attributes of a loaded object from a row that a query returned. */
export function fillExpired(st: InstanceState, values: unknown[]): void {
  for (let i = 0; i < values.length; i++) if (st.values[i] === undefined) st.values[i] = values[i];
  st.expired = false;
}

export function describeFailure(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : 'an earlier error';
}
