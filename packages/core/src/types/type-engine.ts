/**
 * The base of every SQL type. A type knows its TypeScript value type (`T`, carried as a
 * phantom), its structural cache key, and its default bind/result processing. Dialects
 * specialise processing per type name (`Dialect.bindProcessor` / `resultProcessor`); a
 * processor of `null` means "identity": no per-value work at all.
 */
import { TYPE_BRAND, brandedInstanceOf } from '../util/brand';

/** A per-value conversion a type applies when binding a parameter or reading a result column; `null` in its place means none. */
export type Processor = (value: any) => unknown;

/** The base of every column type: its SQL name per dialect and how values bind and read. */
export abstract class TypeEngine<T = unknown> {
  static [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, value, TYPE_BRAND);
  }

  /** Phantom: the TypeScript type of values of this SQL type. Never set at runtime. */
  declare readonly __value: T;
  /** The generic type's name, which dialects switch on (`Integer`, `String`...). */
  abstract readonly typeName: string;
  /** Affects operator typing: `+` on a string type is concatenation. */
  readonly affinity: 'number' | 'string' | 'boolean' | 'date' | 'json' | 'binary' | 'other' = 'other';

  /** Structural key: two types with the same key compile and process identically. */
  get cacheKey(): string {
    return this.typeName;
  }

  /** Dialect-independent bind step, used when the dialect has no specialisation. */
  bindProcessor(): Processor | null {
    return null;
  }

  /** Dialect-independent result step, used when the dialect has no specialisation. */
  resultProcessor(): Processor | null {
    return null;
  }

  /** The type a `TypeDecorator` stands on; a plain type is its own implementation. */
  get impl(): TypeEngine<any> {
    return this;
  }
}

Object.defineProperty(TypeEngine.prototype, TYPE_BRAND, { value: true });

/** A type, or a factory called without arguments (`Column(Integer)` and `Column(Integer())` alike). */
export type TypeArg<T> = TypeEngine<T> | (() => TypeEngine<T>);

/** The type a `TypeArg` stands for: a type instance as is, a type factory (`Integer`) called without arguments. */
export function toType<T>(arg: TypeArg<T>): TypeEngine<T> {
  return typeof arg === 'function' ? arg() : arg;
}

/** The TypeScript value type of a `TypeArg`. */
export type ValueOfType<A> = A extends TypeEngine<infer T> ? T : A extends () => TypeEngine<infer T> ? T : never;
