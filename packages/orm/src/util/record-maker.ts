/**
 * Record makers kept per shape: `return { name: expr, ... }` generated once per shape makes
 * each record with its properties in place (one hidden class, sized to fit), where a record
 * filled key by key under names computed at run time costs a keyed store per key and a
 * bigger object. The generated maker is the function handed back: the cache is only asked
 * once per shape, never per record. Without code generation (a strict CSP, or turned off)
 * the shape's plain maker is used instead.
 */
import { codeGeneration } from '@athanor/core';

export interface RecordShapes<M, A, B> {
  /** The generated maker's parameter names. */
  readonly params: readonly string[];
  /** The literal's `name: expression` fields for a shape, or undefined where only the plain way will do. */
  fields(a: A, b: B): readonly string[] | undefined;
  /** The maker that builds the same records without generated code. */
  plain(a: A, b: B): M;
  /** Past this many shapes kept, makers are built the plain way and not kept. */
  readonly maxShapes?: number;
}

/** Makers of the records of `shapes`, kept by a key that names each shape. */
export class RecordMakers<M, A, B = undefined> {
  private readonly kept = new Map<string, M>();
  private readonly maxShapes: number;

  constructor(private readonly shapes: RecordShapes<M, A, B>) {
    this.maxShapes = shapes.maxShapes ?? Number.POSITIVE_INFINITY;
  }

  /** The maker for the shape `a`, `b`, named `key`. */
  get(key: string, a: A, b: B): M {
    let make = this.kept.get(key);
    if (make !== undefined) return make;
    const room = this.kept.size < this.maxShapes;
    const fields = room && codeGeneration().enabled ? this.shapes.fields(a, b) : undefined;
    make =
      fields === undefined
        ? this.shapes.plain(a, b)
        : (new Function(...this.shapes.params, `return { ${fields.join(', ')} };`) as M);
    if (room) this.kept.set(key, make);
    return make;
  }
}
