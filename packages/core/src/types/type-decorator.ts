import { type Processor, TypeEngine, type TypeArg, toType } from './type-engine';

/**
 * A custom type on top of a generic one (SQLAlchemy's `TypeDecorator`): `processBind`
 * turns the user's value into the implementation type's value, `processResult` turns it
 * back. `T` is the TypeScript type users see; `I` is the implementation's value type.
 *
 * ```ts
 * const Money = new TypeDecorator(Numeric(12, 2), {
 *   processBind: (v: number) => v.toFixed(2),
 *   processResult: (v) => Number(v),
 * });
 * ```
 */
export class TypeDecorator<T, I> extends TypeEngine<T> {
  readonly typeName: string;
  readonly implType: TypeEngine<I>;
  readonly processBind?: (value: T) => I;
  readonly processResult?: (value: I) => T;
  readonly name: string;

  constructor(impl: TypeArg<I>, options: { processBind?: (value: T) => I; processResult?: (value: I) => T; name?: string }) {
    super();
    this.implType = toType(impl);
    this.typeName = this.implType.typeName;
    this.processBind = options.processBind;
    this.processResult = options.processResult;
    this.name = options.name ?? 'TypeDecorator';
    (this as { affinity: TypeEngine['affinity'] }).affinity = this.implType.affinity;
  }

  override get impl(): TypeEngine<any> {
    return this.implType.impl;
  }

  override get cacheKey(): string {
    return `${this.name}<${this.implType.cacheKey}>`;
  }

  /** Composes the user's bind step before the implementation's (dialect-specific) step. */
  composeBind(implProcessor: Processor | null): Processor | null {
    const own = this.processBind;
    if (!own) return implProcessor;
    if (!implProcessor) return (v) => (v === null || v === undefined ? v : own(v));
    return (v) => implProcessor(v === null || v === undefined ? v : own(v));
  }

  /** Composes the implementation's result step before the user's. */
  composeResult(implProcessor: Processor | null): Processor | null {
    const own = this.processResult;
    if (!own) return implProcessor;
    if (!implProcessor) return (v) => (v === null ? v : own(v));
    return (v) => {
      const x = implProcessor(v);
      return x === null ? x : own(x as I);
    };
  }
}
