import { parseTimestampUTC } from './timestamp';
import {
  AthanorError,
  CheckViolation,
  DataError,
  DBAPIError,
  DEFAULT_RESERVED,
  DeadlockError,
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
  PendingRollbackError,
  type Processor,
  ProgrammingError,
  QueryCanceledError,
  SerializationError,
  type SQLCompiler,
  type TypeEngine,
  UniqueViolation,
  withCapabilities,
} from '@athanor/core';
import { PostgresCompiler } from './compiler';

/** Raised by the driver when `COMMIT` answers `ROLLBACK` (the transaction had failed). */
export class CommitRolledBack extends Error {
  readonly commitRolledBack = true;
}

const PG_RESERVED: ReadonlySet<string> = new Set([
  ...DEFAULT_RESERVED,
  ...'analyse analyze current_catalog current_schema concurrently freeze offset only placing tablesample variadic verbose window limit'.split(' '),
]);

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Zero-padded field texts, looked up: a flush of 10,000 rows formats 70,000 fields. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => pad(i));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => pad(i, 3));

/** UTC wall-clock text for `timestamp without time zone`: `YYYY-MM-DD HH:MM:SS.mmm`. */
export function utcWallClock(d: Date): string {
  const y = d.getUTCFullYear();
  // Years of four digits (nearly every date): no padStart string per field.
  if (y >= 1000 && y <= 9999) {
    return `${y}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]} ${TWO_DIGITS[d.getUTCHours()]}:${TWO_DIGITS[d.getUTCMinutes()]}:${TWO_DIGITS[d.getUTCSeconds()]}.${THREE_DIGITS[d.getUTCMilliseconds()]}`;
  }
  const year = y < 0 ? pad(-y + 1, 4) : pad(y, 4);
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${y <= 0 ? ' BC' : ''}`;
}

/** Refuses a Date whose time is NaN before anything is sent (see core's invalidDateError). */
function invalidDate(column: 'DateTime' | 'Date'): never {
  throw invalidDateError(column);
}

const DISCONNECT_MESSAGES = [
  'Connection terminated',
  'connection error',
  'not queryable',
  'Client was closed',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'socket hang up',
];

/** Whether a pg error means the connection is unusable. */
export function isDisconnectError(error: unknown): boolean {
  const e = error as any;
  if (!e) return false;
  const code: string | undefined = typeof e.code === 'string' ? e.code : undefined;
  if (code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  if (code && /^E[A-Z]+$/.test(code) && DISCONNECT_MESSAGES.includes(code)) return true;
  const msg = typeof e.message === 'string' ? e.message : '';
  return !code?.match(/^[0-9A-Z]{5}$/) && DISCONNECT_MESSAGES.some((m) => msg.includes(m));
}

/** PostgreSQL through node-postgres (`pg`). */
export class PostgresDialect extends Dialect {
  override readonly name: string = 'postgresql';
  override readonly paramStyle = 'numeric' as const;
  override readonly identifierQuote: string = '"';
  override readonly reservedWords: ReadonlySet<string> = PG_RESERVED;
  /** NAMEDATALEN - 1: longer names are truncated by the server, silently. */
  override readonly maxIdentifierLength = 63;
  override readonly identifierLengthUnit = 'bytes' as const;
  override readonly nonFiniteFloats = 'all' as const;

  constructor(options: { compiledCacheSize?: number } = {}) {
    super(options);
    this.capabilities = withCapabilities(defaultCapabilities, {
      dml: { returning: { insert: true, update: true, delete: true }, multiRowInsert: true, updateFrom: 'from', updateFromValues: true, deleteUsing: 'using', maxParams: 32767, merge: true },
      ddl: { transactional: true, comments: true, alterConstraint: true, sequences: true },
      select: { distinctOn: true, ilike: true, forUpdate: true, fullOuterJoin: true, lateral: true, nullsOrdering: true, intersectExceptAll: true, aggregateFilter: true },
      // nativeEnum false: Enum columns are VARCHAR(n) here (core has no CREATE TYPE ... AS ENUM lifecycle).
      types: { nativeBoolean: true, nativeUuid: true, nativeJson: true, nativeEnum: false, exactBigint: true, exactDecimal: true },
      connection: {
        multipleConnections: true,
        savepoints: true,
        isolationLevels: ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'],
        failedStatementAbortsTransaction: true,
      },
    });
  }

  override createCompiler(): SQLCompiler {
    return new PostgresCompiler(this);
  }

  protected override typeBindProcessor(type: TypeEngine<any>): Processor | null {
    const t = type as any;
    switch (t.typeName) {
      case 'BigInteger':
        return (v) => (v === null || v === undefined ? v : typeof v === 'bigint' ? v.toString() : v);
      case 'DateTime':
        if (t.timezone) return (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? invalidDate('DateTime') : v.toISOString()) : v);
        return (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? invalidDate('DateTime') : utcWallClock(v)) : v);
      case 'Date':
        // Values are 'YYYY-MM-DD' text; a Date object goes to pg as it did, unless it is invalid.
        return (v) => (v instanceof Date && Number.isNaN(v.getTime()) ? invalidDate('Date') : v);
      case 'LargeBinary':
        return (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
      case 'JSON':
        return type.bindProcessor();
      default:
        return super.typeBindProcessor(type);
    }
  }

  protected override typeResultProcessor(type: TypeEngine<any>): Processor | null {
    const t = type as any;
    switch (t.typeName) {
      case 'Integer':
      case 'SmallInteger':
        // count(*) and sum() come back as int8 (bigint); Integer values are numbers.
        return (v) => (typeof v === 'bigint' || typeof v === 'string' ? Number(v) : v);
      case 'JSON':
        // The driver already parsed json/jsonb; a JSON string value must not be parsed again.
        return null;
      case 'DateTime':
        return (v) => (v === null || v instanceof Date ? v : new Date(v));
      default:
        return super.typeResultProcessor(type);
    }
  }

  /** Inside JSON, timestamps are UTC text (`to_char`, see the compiler's `jsonValue`). */
  protected override typeJsonValueProcessor(type: TypeEngine<any>): Processor | null {
    if (type.typeName === 'DateTime') return (v) => (typeof v === 'string' ? parseTimestampUTC(v) : v);
    return super.typeJsonValueProcessor(type);
  }

  override translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    if (error instanceof DBAPIError || error instanceof AthanorError) return error as Error;
    const e = error as any;
    if (e?.commitRolledBack) {
      return new PendingRollbackError('COMMIT was answered with ROLLBACK: the transaction had failed, so nothing was committed.', { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    const code: string | undefined = typeof e?.code === 'string' ? e.code : undefined;
    const opts = { cause: error, code, ...context };
    const detail = e?.detail ? `${message} (${e.detail})` : message;
    if (isDisconnectError(error)) return new DisconnectError(detail, opts);
    if (!code || !/^[0-9A-Z]{5}$/.test(code)) return new InterfaceError(detail, opts);
    switch (code) {
      case '23505':
        return new UniqueViolation(detail, opts);
      case '23503':
        return new ForeignKeyViolation(detail, opts);
      case '23502':
        return new NotNullViolation(detail, opts);
      case '23514':
        return new CheckViolation(detail, opts);
      case '40P01':
        return new DeadlockError(detail, opts);
      case '40001':
        return new SerializationError(detail, opts);
      case '55P03':
        return new LockTimeoutError(detail, opts);
      case '57014':
        return new QueryCanceledError(detail, opts);
      case '0A000':
        return new NotSupportedError(detail, opts);
    }
    const cls = code.slice(0, 2);
    if (cls === '23') return new IntegrityError(detail, opts);
    if (cls === '22') return new DataError(detail, opts);
    if (cls === '42' || cls === '26' || cls === '34' || cls === '3D' || cls === '3F') return new ProgrammingError(detail, opts);
    if (cls === 'XX') return new InternalError(detail, opts);
    if (cls === '25' || cls === '40') return new InternalError(detail, opts);
    return new OperationalError(detail, opts);
  }
}
