import {
  CheckViolation,
  DatabaseError,
  DataError,
  DBAPIError,
  DEFAULT_RESERVED,
  Dialect,
  DisconnectError,
  defaultCapabilities,
  ForeignKeyViolation,
  IntegrityError,
  InterfaceError,
  InternalError,
  invalidDateError,
  LockTimeoutError,
  NotNullViolation,
  NotSupportedError,
  OperationalError,
  type ParamStyle,
  type Processor,
  ProgrammingError,
  parseTimestampText,
  QueryCanceledError,
  SerializationError,
  type SQLCompiler,
  type TypeEngine,
  UniqueViolation,
  withCapabilities,
} from '@athanor/core';
import { SQLiteCompiler } from './compiler';
import { integerFromJsonText, integerResult } from './integers';
import { declaredScale, numericBind, numericResult } from './numeric';

export { decimalToScale } from '@athanor/core';

/** SQLite keywords (beyond the SQL-92 set) that must be quoted as identifiers. */
const SQLITE_RESERVED = new Set([
  ...DEFAULT_RESERVED,
  ...(
    'abort action add after alter always analyze attach autoincrement before begin between by cascade collate commit conflict current ' +
    'database deferred detach each escape exclude exclusive exists explain fail filter first following generated glob groups if ignore ' +
    'immediate index indexed instead key last match materialized no nothing nulls of others over partition plan pragma preceding query ' +
    'raise range recursive regexp reindex release rename replace restrict rollback row rows savepoint temp temporary ties transaction ' +
    'trigger unbounded vacuum view virtual without'
  ).split(' '),
]);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Zero-padded field texts, looked up: a flush of 10,000 rows formats 70,000 fields. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => pad(i));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => pad(i, 3));

/** A Date as SQLite's text timestamp, in UTC: `YYYY-MM-DD HH:MM:SS.sss` (what CURRENT_TIMESTAMP writes, plus ms). */
export function formatDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw invalidDateError('DateTime');
  const y = d.getUTCFullYear();
  const year = y >= 1000 && y <= 9999 ? String(y) : pad(y, 4);
  return `${year}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]} ${TWO_DIGITS[d.getUTCHours()]}:${TWO_DIGITS[d.getUTCMinutes()]}:${TWO_DIGITS[d.getUTCSeconds()]}.${THREE_DIGITS[d.getUTCMilliseconds()]}`;
}

/** Reads SQLite's text timestamps (`YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH:MM]`); without a zone they are UTC. */
export function parseDateTime(v: unknown): unknown {
  // The form this dialect writes, read by arithmetic; out-of-range fields go the general way (an error).
  if (typeof v === 'string') {
    const fast = parseTimestampText(v, true);
    if (!Number.isNaN(fast)) return new Date(fast);
  }
  if (v === null || v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v) * 1000); // unix epoch seconds
  const s = String(v);
  let iso = s.length === 10 ? `${s}T00:00:00` : s.replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(iso)) iso += 'Z';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new DataError(`Could not read '${s}' from a DateTime column as a timestamp.`);
  return d;
}


function dateString(v: unknown): unknown {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw invalidDateError('Date');
    // A JS Date for a calendar date: take its UTC calendar day (no local-zone shift).
    return `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  }
  return v;
}

const toInt01: Processor = (v) => (v ? 1 : 0);
const toDateTimeText: Processor = (v) => (v instanceof Date ? formatDateTime(v) : v);
const toBigInt: Processor = (v) => (typeof v === 'bigint' ? v : BigInt(v));
const toNumber: Processor = (v) => (typeof v === 'number' ? v : Number(v));

/**
 * SQLite through better-sqlite3. Values: booleans are stored 1/0, DateTime as UTC text
 * `YYYY-MM-DD HH:MM:SS.sss`, Date as `YYYY-MM-DD` text, Numeric as a number (NUMERIC affinity:
 * INTEGER or REAL, so it compares, sorts and sums as a number; see numeric.ts for its bound), JSON as TEXT, Uuid as TEXT, LargeBinary as BLOB, BigInteger as a 64-bit INTEGER read
 * exactly (the driver reads integers as bigint and hands back numbers when they are safe).
 */
export class SQLiteDialect extends Dialect {
  override readonly name: string = 'sqlite';
  override readonly paramStyle: ParamStyle = 'qmark';
  override readonly identifierQuote: string = '"';
  override readonly reservedWords: ReadonlySet<string> = SQLITE_RESERVED;
  /** REAL keeps ±Infinity; NaN is stored as NULL. */
  override readonly nonFiniteFloats = 'infinity' as const;

  constructor(options: { compiledCacheSize?: number } = {}) {
    super(options);
    this.capabilities = SQLiteDialect.capabilitiesFor([]);
  }

  /** Capabilities for a SQLite library version (unknown version: the current library's). */
  static capabilitiesFor(version: readonly number[]) {
    const atLeast = (...want: number[]) => {
      if (version.length === 0) return true;
      for (let i = 0; i < want.length; i++) {
        const have = version[i] ?? 0;
        if (have !== want[i]) return have > want[i];
      }
      return true;
    };
    const returning = atLeast(3, 35);
    return withCapabilities(defaultCapabilities, {
      dml: { returning: { insert: returning, update: returning, delete: returning }, multiRowInsert: true, updateFrom: atLeast(3, 33) ? 'from' : false, updateFromValues: atLeast(3, 33), deleteUsing: false, maxParams: 32766, merge: false },
      ddl: { transactional: true, comments: false, alterConstraint: false, sequences: false },
      select: {
        fullOuterJoin: atLeast(3, 39),
        lateral: false,
        nullsOrdering: atLeast(3, 30),
        intersectExceptAll: false,
        forUpdate: false,
        distinctOn: false,
        aggregateFilter: atLeast(3, 30),
        ilike: false,
        recursiveCte: true,
        windowFunctions: atLeast(3, 25),
      },
      types: { nativeBoolean: false, nativeUuid: false, nativeJson: false, nativeEnum: false, exactBigint: true, exactDecimal: false },
      connection: { multipleConnections: true, savepoints: true, isolationLevels: ['SERIALIZABLE', 'READ UNCOMMITTED'], failedStatementAbortsTransaction: false },
    });
  }

  /** Called once the library version is known. */
  /** The version the capabilities were computed for. */
  capabilitiesVersion: number[] | undefined;

  setServerVersion(version: number[]): void {
    this.serverVersion = version;
    this.capabilitiesVersion = version;
    this.capabilities = SQLiteDialect.capabilitiesFor(version);
    this.compiledCache.clear();
  }

  override createCompiler(): SQLCompiler {
    return new SQLiteCompiler(this);
  }

  protected override typeBindProcessor(type: TypeEngine<any>): Processor | null {
    switch ((type as any).typeName) {
      case 'Boolean':
        return toInt01;
      case 'DateTime':
        return toDateTimeText;
      case 'Date':
        return dateString;
      case 'Numeric':
        return numericBind(declaredScale(type));
      default:
        return type.bindProcessor();
    }
  }

  protected override typeResultProcessor(type: TypeEngine<any>): Processor | null {
    switch ((type as any).typeName) {
      case 'DateTime':
        return parseDateTime;
      case 'BigInteger':
        return (v) => (v === null ? v : toBigInt(v));
      case 'Integer':
      case 'SmallInteger':
        // Beyond 2^53 (stored by other code): DataError, never a rounded number (integers.ts).
        return integerResult;
      case 'Float':
        return (v) => (v === null ? v : toNumber(v));
      case 'Numeric':
        return numericResult(declaredScale(type));
      default:
        return type.resultProcessor();
    }
  }

  /** Integers travel through JSON as text (compiler.ts): back to what a plain read gives, a number or beyond 2^53 a bigint. */
  protected override typeJsonValueProcessor(type: TypeEngine<any>): Processor | null {
    const name = (type as any).typeName;
    if (name === 'Integer' || name === 'SmallInteger') return integerFromJsonText;
    return super.typeJsonValueProcessor(type);
  }

  override translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    if (error instanceof DBAPIError) return error;
    const e = error as { code?: unknown; message?: unknown; name?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(error);
    const code = typeof e?.code === 'string' ? e.code : undefined;
    const options = { cause: error, code, ...context };
    const Cls = errorClassFor(code, message, e?.name);
    return new Cls(message, options);
  }
}

type ErrorClass = new (message: string, options: { cause?: unknown; code?: string; sql?: string; params?: unknown }) => DBAPIError;

/** better-sqlite3's SqliteError codes (extended result codes as names) → Core's classes. */
export function errorClassFor(code: string | undefined, message: string, name?: unknown): ErrorClass {
  if (code === undefined) {
    // better-sqlite3 raises TypeError/RangeError for bad bindings (wrong parameter count, unsupported value).
    if (name === 'RangeError' || name === 'TypeError') return /closed|not open/i.test(message) ? DisconnectError : ProgrammingError;
    return /database connection is not open|closed/i.test(message) ? DisconnectError : DBAPIError;
  }
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case 'SQLITE_CONSTRAINT_ROWID':
      return UniqueViolation;
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return ForeignKeyViolation;
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return NotNullViolation;
    case 'SQLITE_CONSTRAINT_CHECK':
      return CheckViolation;
    case 'SQLITE_CONSTRAINT_DATATYPE':
      return DataError;
    case 'SQLITE_TOOBIG':
    case 'SQLITE_MISMATCH':
    case 'SQLITE_RANGE':
      return code === 'SQLITE_RANGE' ? ProgrammingError : DataError;
    case 'SQLITE_BUSY_TIMEOUT':
      return LockTimeoutError;
    case 'SQLITE_BUSY_SNAPSHOT':
      // WAL: another connection wrote since this transaction's snapshot; waiting cannot help.
      return SerializationError;
    case 'SQLITE_INTERRUPT':
      return QueryCanceledError;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_NOTADB':
    case 'SQLITE_IOERR':
      return DisconnectError;
    case 'SQLITE_INTERNAL':
      return InternalError;
    case 'SQLITE_MISUSE':
      return InterfaceError;
    case 'SQLITE_NOLFS':
    case 'SQLITE_AUTH':
      return NotSupportedError;
    case 'SQLITE_ERROR':
      // Syntax errors, missing tables/columns, and the like.
      return ProgrammingError;
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) return IntegrityError;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return LockTimeoutError;
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return DisconnectError;
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL' || code === 'SQLITE_NOMEM' || code === 'SQLITE_PROTOCOL') return OperationalError;
  if (code.startsWith('SQLITE_CORRUPT')) return DatabaseError;
  if (code.startsWith('SQLITE_ERROR')) return ProgrammingError;
  return DatabaseError;
}

