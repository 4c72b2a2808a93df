/**
 * Decoding `jsonRecord()` / `jsonArrayAgg()` results: the document is parsed once (drivers
 * that return JSON text) and each field goes through the processor of its own type; a nested
 * aggregate is decoded by its own decoder, and an aggregate over no rows (NULL) is `[]`.
 */
import type { JsonRowsType } from './json-rows-type';
import type { Processor, TypeEngine } from './type-engine';

export function jsonRowsDecoder(type: JsonRowsType<any>, processorOf: (t: TypeEngine<any>) => Processor | null): Processor {
  const keys = type.fields.map(([k]) => k);
  const processors = type.fields.map(([, t]) => processorOf(t));
  // A nested aggregate over no rows is NULL on some databases: read as [].
  const nulls = type.fields.map(([, t]) => (t.typeName === 'JsonRows' && (t as JsonRowsType).array ? [] : null));
  const record = (o: Record<string, unknown> | null): Record<string, unknown> | null => {
    if (o === null) return null;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = o[keys[i]];
      const p = processors[i];
      out[keys[i]] = v === null || v === undefined ? (nulls[i] === null ? null : []) : p === null ? v : p(v);
    }
    return out;
  };
  // A nested document may arrive as JSON text (a database that embeds a subquery's JSON as a string).
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  if (!type.array) return (v) => (v === null ? null : record(parse(v)));
  return (v) => {
    const list = parse(v) as Record<string, unknown>[] | null;
    return list === null ? [] : list.map(record);
  };
}
