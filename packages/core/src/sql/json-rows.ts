/**
 * Rows as JSON built by the database: `jsonRecord({ id: posts.c.id, title: posts.c.title })`
 * is one row as a JSON object and `jsonArrayAgg(record)` the array of the group's rows. As a
 * correlated scalar subquery in a select list, it brings a parent's children in the parent's
 * own row (one statement for a whole object graph).
 *
 * JSON numbers are doubles, so every value whose text a double would change travels as
 * text: each dialect's compiler encodes a value for its type (`jsonValue`: 64-bit integers,
 * decimals and timestamps as text in a fixed format, binary as hex), and the result is
 * decoded through the same types (`Dialect.jsonValueProcessor`): a BigInteger beyond 2^53,
 * a 30-digit Numeric or a timestamp reads exactly as a plain column read of it does.
 */
import { ArgumentError } from '../errors';
import { JsonRowsType } from '../types/json-rows-type';
import { ColumnElement } from './column-element';
import { defineElement } from './element';

export { JsonRowsType };

const KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `json_object('id', id, ...)` / `jsonb_build_object(...)` / `JSON_OBJECT(...)`: one row as a JSON object. */
export class JsonRecord<T = Record<string, unknown>> extends ColumnElement<T> {
  /** The keys as one value for the cache key. */
  readonly keyList: string;
  readonly type: JsonRowsType<T>;
  constructor(
    readonly keys: readonly string[],
    readonly values: readonly ColumnElement<any, any>[],
  ) {
    super();
    this.keyList = keys.join(',');
    this.type = new JsonRowsType(
      keys.map((k, i) => [k, values[i].type] as const),
      false,
    );
  }
}
defineElement(JsonRecord, 'jsonRecord', [
  ['keyList', 'value'],
  ['keys', 'ignore'],
  ['values', 'elements'],
  ['type', 'ignore'],
]);

/** `json_agg(x)` / `JSON_ARRAYAGG(x)` / `json_group_array(x)`: the group's records as an array (empty, never NULL, once read). */
export class JsonArrayAgg<T = Record<string, unknown>> extends ColumnElement<T[]> {
  readonly type: JsonRowsType<T[]>;
  constructor(
    readonly element: JsonRecord<T>,
    /** The order of the array's members (`ORDER BY` inside the aggregate). */
    readonly orderBy: readonly ColumnElement<any, any>[],
  ) {
    super();
    this.type = new JsonRowsType(element.type.fields, true);
  }
}
defineElement(JsonArrayAgg, 'jsonArrayAgg', [
  ['element', 'element'],
  ['orderBy', 'elements'],
  ['type', 'ignore'],
]);

type ValuesOf<F extends Record<string, ColumnElement<any, any>>> = { [K in keyof F]: F[K] extends ColumnElement<infer V, any> ? V : never };

/** One row as a JSON object, each value decoded through its own type when read. */
export function jsonRecord<const F extends Record<string, ColumnElement<any, any>>>(fields: F): JsonRecord<ValuesOf<F>> {
  const keys = Object.keys(fields);
  if (keys.length === 0) throw new ArgumentError('jsonRecord() needs at least one field: jsonRecord({ id: posts.c.id }).');
  for (const k of keys) {
    if (!KEY.test(k)) throw new ArgumentError(`jsonRecord(): the key '${k}' is not an identifier (letters, digits, _ and $); name the fields like column keys.`);
    if (!(fields[k] instanceof ColumnElement)) throw new ArgumentError(`jsonRecord(): the field '${k}' must be a column or an expression.`);
  }
  return new JsonRecord(
    keys,
    keys.map((k) => fields[k]),
  );
}

/**
 * The records of the group as one JSON array (an aggregate: use it in a SELECT of the rows to
 * gather), in the order of `orderBy` when given (columns, or `col.desc()`).
 */
export function jsonArrayAgg<T>(record: JsonRecord<T>, options: { orderBy?: readonly ColumnElement<any, any>[] } = {}): JsonArrayAgg<T> {
  if (!(record instanceof JsonRecord)) throw new ArgumentError('jsonArrayAgg() takes a jsonRecord({ ... }).');
  const orderBy = options.orderBy ?? [];
  for (const o of orderBy) if (!(o instanceof ColumnElement)) throw new ArgumentError('jsonArrayAgg(record, { orderBy }): give columns or expressions (col, col.desc()).');
  return new JsonArrayAgg(record, orderBy);
}
