/**
 * The type of `jsonRecord()` / `jsonArrayAgg()` results (sql/json-rows.ts): which key holds a
 * value of which type, so that each dialect decodes every value through its own type
 * (`Dialect.jsonValueProcessor`).
 */
import { TypeEngine } from './type-engine';

/** A JSON object of named values (`array: false`) or an array of them (`array: true`), decoded field by field. */
export class JsonRowsType<T = unknown> extends TypeEngine<T> {
  readonly typeName = 'JsonRows';
  override readonly affinity = 'json' as const;
  constructor(
    readonly fields: readonly (readonly [key: string, type: TypeEngine<any>])[],
    readonly array: boolean,
  ) {
    super();
  }
  override get cacheKey(): string {
    return `JsonRows(${this.array ? '[]' : '{}'}${this.fields.map(([k, t]) => `${k}:${t.cacheKey}`).join(',')})`;
  }
}
