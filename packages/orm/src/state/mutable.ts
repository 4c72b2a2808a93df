/** Columns whose values are objects a user can change in place (JSON, arrays): the flush compares their JSON text. */
import type { TableColumn } from '@athanor/core';

const MUTABLE_TYPES = new Set(['JSON', 'JSONB', 'ARRAY']);

export function isMutableColumn(col: TableColumn<any, any>): boolean {
  let type: any = col.type;
  // A TypeDecorator over JSON stores what its impl stores.
  for (let depth = 0; type && depth < 5; depth++) {
    if (MUTABLE_TYPES.has(type.typeName)) return true;
    type = type.impl;
  }
  return false;
}
