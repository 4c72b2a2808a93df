/**
 * `jsonRecord()` and `jsonArrayAgg()` (sql/json-rows.ts). The defaults are PostgreSQL's
 * spelling; SQLite and MySQL/MariaDB override the three hooks. `jsonValue` is where a value
 * is made safe for JSON: whatever a JSON number or a driver-less string would change
 * travels as text in a fixed format, which the dialect's `jsonValueProcessor` reads back.
 */
import type { ColumnElement } from '../sql/column-element';
import type { JsonArrayAgg, JsonRecord } from '../sql/json-rows';
import { JsonRowsType } from '../types/json-rows-type';
import type { CompileContext } from './base-compiler';
import { DateTimeCompiler } from './datetime-compiler';

/** PostgreSQL functions take at most 100 arguments: 50 key/value pairs per jsonb_build_object. */
const PAIRS_PER_CALL = 50;

export abstract class JsonCompiler extends DateTimeCompiler {
  visitJsonRecord(el: JsonRecord<any>, ctx: CompileContext): string {
    const pairs = el.keys.map((k, i): [string, string] => [this.stringLiteral(k), this.jsonValue(el.values[i], ctx)]);
    return this.jsonObject(pairs);
  }

  visitJsonArrayAgg(el: JsonArrayAgg<any>, ctx: CompileContext): string {
    const order = el.orderBy.length > 0 ? ` ORDER BY ${el.orderBy.map((o) => this.process(o, ctx)).join(', ')}` : '';
    return this.jsonArrayAgg(this.process(el.element, ctx), order);
  }

  /** A JSON object from rendered key literals and values. */
  protected jsonObject(pairs: readonly (readonly [key: string, value: string])[]): string {
    const calls: string[] = [];
    for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
      calls.push(`jsonb_build_object(${pairs.slice(i, i + PAIRS_PER_CALL).map(([k, v]) => `${k}, ${v}`).join(', ')})`);
    }
    return calls.join(' || ');
  }

  /** The aggregate of JSON objects into an array (`order`: '' or ' ORDER BY ...' inside it); `[]`, not NULL, over no rows. */
  protected jsonArrayAgg(record: string, order: string): string {
    return `coalesce(json_agg(${record}${order}), '[]')`;
  }

  /**
   * A value as it goes into a JSON object so that its type reads it back unchanged. A hook
   * that needs the value twice renders it twice (`this.process` again), so that each
   * rendering has its own bound parameters.
   */
  protected jsonValue(el: ColumnElement<any, any>, ctx: CompileContext): string {
    const sql = this.process(el, ctx);
    const type = el.type.impl;
    if (type instanceof JsonRowsType) return sql;
    switch (type.typeName) {
      case 'BigInteger':
      case 'Numeric':
      case 'JSON':
        return `CAST(${sql} AS TEXT)`;
      case 'DateTime':
        // UTC wall-clock text whatever the session's TimeZone and DateStyle.
        return `to_char(${(type as { timezone?: boolean }).timezone ? `(${sql}) AT TIME ZONE 'UTC'` : sql}, 'YYYY-MM-DD HH24:MI:SS.US')`;
      case 'Date':
        return `to_char(${sql}, 'YYYY-MM-DD')`;
      case 'LargeBinary':
        return `encode(${sql}, 'hex')`;
      default:
        return sql;
    }
  }
}
