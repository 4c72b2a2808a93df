import { DBAPIError } from '../errors';
import { SQLCompiler } from '../compiler/sql-compiler';
import { type NonFiniteFloats, bindCheck, chainBind, storeCheck } from '../types/bind-checks';
import { jsonRowsDecoder } from '../types/json-decode';
import { JsonRowsType } from '../types/json-rows-type';
import { TypeDecorator } from '../types/type-decorator';
import type { Processor, TypeEngine } from '../types/type-engine';
import { CompiledCache } from '../compiler/compiled-cache';
import { type DialectCapabilities, defaultCapabilities } from './capabilities';

/** How placeholders are written: `?`, `$1`, or `:name`. */
export type ParamStyle = 'qmark' | 'numeric' | 'named';

/**
 * A database's SQL flavour: compiler, quoting, type processing, capabilities. Dialect
 * packages subclass it and override one thing at a time; the driver adapter is separate.
 */
export class Dialect {
  /** `'sqlite'`, `'postgresql'`, `'mysql'`; `'default'` for the generic dialect. */
  readonly name: string = 'default';
  /**
   * The database behind the dialect's protocol when it is not the dialect's own
   * (`'cockroachdb'`, `'yugabytedb'` on PostgreSQL's; `'tidb'` on MySQL's); undefined otherwise.
   */
  readonly flavor: string | undefined = undefined;
  readonly paramStyle: ParamStyle = 'named';
  capabilities: DialectCapabilities = defaultCapabilities;
  /** The server version, filled on first connect. */
  serverVersion: number[] = [];
  /** Character that opens/closes a quoted identifier. */
  readonly identifierQuote: string = '"';
  /** The longest identifier the database keeps as given (undefined: no limit), in `identifierLengthUnit`. */
  readonly maxIdentifierLength: number | undefined = undefined;
  readonly identifierLengthUnit: 'bytes' | 'characters' = 'characters';
  /** The non-finite doubles (NaN, ±Infinity) the database keeps, for `Float({ nonFinite: true })`. */
  readonly nonFiniteFloats: NonFiniteFloats = 'none';
  /** Lower-case reserved words that must be quoted as identifiers. */
  readonly reservedWords: ReadonlySet<string> = DEFAULT_RESERVED;
  /** Compiled statements by structural key. */
  readonly compiledCache: CompiledCache;

  private readonly bindProcessors = new Map<TypeEngine<any>, Processor | null>();
  private readonly resultProcessors = new Map<TypeEngine<any>, Processor | null>();
  private readonly storeProcessors = new Map<TypeEngine<any>, Processor | null>();
  private readonly jsonProcessors = new Map<TypeEngine<any>, Processor | null>();

  constructor(options: { compiledCacheSize?: number } = {}) {
    this.compiledCache = new CompiledCache(options.compiledCacheSize ?? 500);
  }

  /** A fresh compiler for one compilation. */
  createCompiler(): SQLCompiler {
    return new SQLCompiler(this);
  }

  /** The bind step for a type on this dialect (memoised per type object). */
  bindProcessor(type: TypeEngine<any>): Processor | null {
    let p = this.bindProcessors.get(type);
    if (p === undefined) {
      // Every value is checked against its type first (types/bind-checks.ts), then converted.
      const impl = type instanceof TypeDecorator ? type.impl : type;
      const checked = chainBind(bindCheck(impl, this), this.typeBindProcessor(impl));
      p = type instanceof TypeDecorator ? type.composeBind(checked) : checked;
      this.bindProcessors.set(type, p);
    }
    return p;
  }

  /** The bind step for a value stored into a column of the type: `bindProcessor` plus the length check of `String(n)`. */
  storeProcessor(type: TypeEngine<any>): Processor | null {
    let p = this.storeProcessors.get(type);
    if (p === undefined) {
      p = chainBind(this.bindProcessor(type), storeCheck(type.impl));
      this.storeProcessors.set(type, p);
    }
    return p;
  }

  /** The result step for a type on this dialect (memoised per type object). */
  resultProcessor(type: TypeEngine<any>): Processor | null {
    let p = this.resultProcessors.get(type);
    if (p === undefined) {
      if (type instanceof JsonRowsType) p = this.jsonValueProcessor(type);
      else p = type instanceof TypeDecorator ? type.composeResult(this.typeResultProcessor(type.impl)) : this.typeResultProcessor(type);
      this.resultProcessors.set(type, p);
    }
    return p;
  }

  /**
   * The result step for a value of the type read from inside a JSON document the database
   * built (`jsonRecord()`, `jsonArrayAgg()`), as the compiler's `jsonValue` encoded it
   * (memoised per type object).
   */
  jsonValueProcessor(type: TypeEngine<any>): Processor | null {
    let p = this.jsonProcessors.get(type);
    if (p === undefined) {
      if (type instanceof JsonRowsType) p = jsonRowsDecoder(type, (t) => this.jsonValueProcessor(t));
      else p = type instanceof TypeDecorator ? type.composeResult(this.typeJsonValueProcessor(type.impl)) : this.typeJsonValueProcessor(type);
      this.jsonProcessors.set(type, p);
    }
    return p;
  }

  /** Override per type name for the database's driver; default: the type's own step. */
  protected typeBindProcessor(type: TypeEngine<any>): Processor | null {
    return type.bindProcessor();
  }
  protected typeResultProcessor(type: TypeEngine<any>): Processor | null {
    return type.resultProcessor();
  }
  /**
   * Override per type name where the JSON encoding differs from the driver's value; default:
   * binary from hex, JSON values from their text, else the result step.
   */
  protected typeJsonValueProcessor(type: TypeEngine<any>): Processor | null {
    if (type.typeName === 'LargeBinary') return hexToBytes;
    if (type.typeName === 'JSON') return parseJsonText;
    return this.typeResultProcessor(type);
  }

  /** Maps a driver error to Core's hierarchy; dialects override with their driver's codes. */
  translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    if (error instanceof DBAPIError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new DBAPIError(message, { cause: error, ...context });
  }

  /** `ver >= [major, minor, ...]` against the connected server. */
  serverVersionAtLeast(...version: number[]): boolean {
    for (let i = 0; i < version.length; i++) {
      const have = this.serverVersion[i] ?? 0;
      if (have !== version[i]) return have > version[i];
    }
    return true;
  }
}

const parseJsonText: Processor = (v) => (typeof v === 'string' ? JSON.parse(v) : v);

const hexToBytes: Processor = (v) => {
  if (v === null || typeof v !== 'string') return v;
  const out = new Uint8Array(v.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(v.substr(i * 2, 2), 16);
  return out;
};

/** @internal SQL-92/2003 words quoted everywhere (dialects extend the set). */
export const DEFAULT_RESERVED: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate column constraint create ' +
    'cross current_date current_role current_time current_timestamp current_user default deferrable delete desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner insert intersect into is isnull join ' +
    'lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing ' +
    'primary references returning right select session_user similar some symmetric table then to trailing true union unique update user ' +
    'using values variadic verbose when where window with'
  ).split(' '),
);
