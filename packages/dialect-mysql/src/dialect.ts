import {
  CheckViolation,
  DatabaseError,
  DataError,
  DBAPIError,
  DeadlockError,
  Dialect,
  type DialectCapabilities,
  DisconnectError,
  defaultCapabilities,
  ForeignKeyViolation,
  IntegrityError,
  invalidDateError,
  LockTimeoutError,
  NotNullViolation,
  OperationalError,
  type Processor,
  ProgrammingError,
  parseTimestampText,
  QueryCanceledError,
  type SQLCompiler,
  type TypeEngine,
  UniqueViolation,
  withCapabilities,
} from '@athanor/core';
import { MySQLCompiler } from './compiler';

/** MySQL 8 reserved words (lower case) plus the generic SQL set; quoted with backticks. */
const MYSQL_RESERVED: ReadonlySet<string> = new Set(
  (
    'accessible add all alter analyze and as asc asensitive before between bigint binary blob both by call cascade case change char ' +
    'character check collate column condition constraint continue convert create cross cube cume_dist current_date current_time ' +
    'current_timestamp current_user cursor database databases day_hour day_microsecond day_minute day_second dec decimal declare ' +
    'default delayed delete dense_rank desc describe deterministic distinct distinctrow div double drop dual each else elseif empty ' +
    'enclosed escaped except exists exit explain false fetch first_value float float4 float8 for force foreign from fulltext function ' +
    'generated get grant group grouping groups having high_priority hour_microsecond hour_minute hour_second if ignore in index infile ' +
    'inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids io_before_gtids is ' +
    'iterate join json_table key keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime ' +
    'localtimestamp lock long longblob longtext loop low_priority master_bind master_ssl_verify_server_cert match maxvalue mediumblob ' +
    'mediumint mediumtext middleint minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value ntile null ' +
    'numeric of offset on optimize optimizer_costs option optionally or order out outer outfile over partition percent_rank precision ' +
    'primary procedure purge range rank read reads read_write real recursive references regexp release rename repeat replace require ' +
    'resignal restrict return returning revoke right rlike row row_number rows schema schemas second_microsecond select sensitive ' +
    'separator set show signal smallint spatial specific sql sqlexception sqlstate sqlwarning sql_big_result sql_calc_found_rows ' +
    'sql_small_result ssl starting stored straight_join system table terminated then tinyblob tinyint tinytext to trailing trigger true ' +
    'undo union unique unlock unsigned update usage use using utc_date utc_time utc_timestamp values varbinary varchar varcharacter ' +
    'varying virtual when where while window with write xor year_month zerofill user'
  ).split(' '),
);

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
// Four digits always: MySQL reads a one- or two-digit year as 19xx/20xx.
const pad4 = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);

/** A JS Date as a MySQL DATETIME literal in UTC, to the millisecond. */
export function formatDateTime(d: Date): string {
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}`;
}

/** `'YYYY-MM-DD HH:MM:SS[.ffffff]'` (as the driver returns with dateStrings) read as UTC wall-clock. */
export function parseDateTime(s: string): Date {
  // The plain form by arithmetic (out-of-range parts, the zero date too, roll over as Date.UTC does).
  const ms = parseTimestampText(s);
  return Number.isNaN(ms) ? parseDateTimeGeneral(s) : new Date(ms);
}

function parseDateTimeGeneral(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?/.exec(s);
  if (!m) return new Date(s);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  return d;
}

/** Refuses a Date whose time is NaN before anything is sent (see core's invalidDateError). */
function invalidDate(column: 'DateTime' | 'Date'): never {
  throw invalidDateError(column);
}

const UNIQUE = new Set([1062, 1586, 1169]);
const FOREIGN_KEY = new Set([1451, 1452, 1216, 1217, 1701]);
const NOT_NULL = new Set([1048, 1364, 1263]);
const CHECK = new Set([3819, 4025]);
const DATA = new Set([1264, 1265, 1292, 1366, 1367, 1406, 1411, 1416, 1690, 3140, 4038, 1441, 1365, 1259]);
const PROGRAMMING = new Set([1064, 1146, 1054, 1050, 1051, 1049, 1091, 1060, 1061, 1052, 1109, 1110, 1210, 1149, 1142, 1143, 1044, 1055, 1056, 1057, 1066, 1093, 1235, 1248, 1054, 4078]);
const CANCELED = new Set([1317, 3024, 1969]);
/**
 * Server errors after which the connection is gone. 1153 (a packet larger than
 * max_allowed_packet): the server closes the connection after reporting it.
 */
export const DISCONNECT_ERRNO = new Set([2006, 2013, 2055, 1053, 1927, 4031, 1152, 1153, 1184]);
/** Driver (socket) error codes that mean the connection is gone. */
export const DISCONNECT_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * MySQL and MariaDB. One dialect for both: what differs (RETURNING, INTERSECT ALL,
 * LATERAL, FOR SHARE, native JSON) is decided from the server version read on first connect.
 */
export class MySQLDialect extends Dialect {
  override readonly name = 'mysql';
  override readonly paramStyle = 'qmark' as const;
  override readonly identifierQuote = '`';
  override readonly reservedWords = MYSQL_RESERVED;
  override readonly maxIdentifierLength = 64;
  /** The server is MariaDB (set from `SELECT VERSION()` on first connect). */
  isMariaDB = false;
  declare capabilities: DialectCapabilities;
  /** What the cached capabilities were computed from (compared by identity: read on every execution). */
  private capsVersion: readonly number[] | undefined;
  private capsMaria: boolean | undefined;
  private caps: DialectCapabilities | undefined;

  constructor(options: { compiledCacheSize?: number; serverVersion?: number[]; mariadb?: boolean } = {}) {
    super(options);
    if (options.serverVersion) this.serverVersion = options.serverVersion;
    if (options.mariadb !== undefined) this.isMariaDB = options.mariadb;
    // A getter: capabilities depend on the server version, known only after the first connect.
    Object.defineProperty(this, 'capabilities', { get: () => this.computeCapabilities(), set: () => {}, configurable: true, enumerable: true });
  }

  private computeCapabilities(): DialectCapabilities {
    // The engine assigns a new version array on first connect; no string to build per read.
    if (this.caps !== undefined && this.capsVersion === this.serverVersion && this.capsMaria === this.isMariaDB) return this.caps;
    const maria = this.isMariaDB;
    const known = this.serverVersion.length > 0;
    const at = (...v: number[]) => known && this.serverVersionAtLeast(...v);
    const mariaReturning = maria && at(10, 5);
    this.caps = withCapabilities(defaultCapabilities, {
      // MariaDB >= 10.5: INSERT/DELETE ... RETURNING; UPDATE never. MySQL: none.
      dml: { returning: { insert: mariaReturning, update: false, delete: mariaReturning }, multiRowInsert: true, updateFrom: 'join', updateFromValues: false, deleteUsing: 'join', maxParams: 65535, merge: false },
      // DDL commits implicitly; COMMENT exists; ADD CONSTRAINT exists. Sequences: MariaDB >= 10.3 only.
      ddl: { transactional: false, comments: true, alterConstraint: true, sequences: maria && (!known || at(10, 3)) },
      select: {
        fullOuterJoin: false,
        // LATERAL: MySQL >= 8.0.14; MariaDB has none.
        lateral: !maria && (!known || at(8, 0, 14)),
        nullsOrdering: false,
        // INTERSECT ALL / EXCEPT ALL: MariaDB >= 10.5, MySQL >= 8.0.31.
        intersectExceptAll: maria ? at(10, 5) : at(8, 0, 31),
        forUpdate: true,
        distinctOn: false,
        aggregateFilter: false,
        ilike: false,
        recursiveCte: true,
        windowFunctions: true,
      },
      types: { nativeBoolean: false, nativeUuid: false, nativeJson: !maria, nativeEnum: true, exactBigint: true, exactDecimal: true },
      connection: { failedStatementAbortsTransaction: false, savepoints: true, multipleConnections: true },
    });
    this.capsVersion = this.serverVersion;
    this.capsMaria = this.isMariaDB;
    return this.caps;
  }

  override createCompiler(): SQLCompiler {
    return new MySQLCompiler(this);
  }

  protected override typeBindProcessor(type: TypeEngine<any>): Processor | null {
    switch (type.typeName) {
      case 'BigInteger':
        return (v) => (typeof v === 'bigint' ? v.toString() : v);
      case 'Boolean':
        return (v) => (v === null || v === undefined ? null : v ? 1 : 0);
      case 'DateTime':
        // A valid Date goes to the driver as is: mysql2 (timezone 'Z') sends it as UTC, binary
        // DATETIME when prepared.
        return (v) => (v instanceof Date && Number.isNaN(v.getTime()) ? invalidDate('DateTime') : v);
      case 'Date':
        return (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? invalidDate('Date') : v.toISOString().slice(0, 10)) : v);
      case 'LargeBinary':
        return (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
      default:
        return super.typeBindProcessor(type);
    }
  }

  protected override typeResultProcessor(type: TypeEngine<any>): Processor | null {
    switch (type.typeName) {
      case 'Integer':
      case 'SmallInteger':
        // COUNT(*) and SUM() of integers are BIGINT/DECIMAL: the driver returns strings.
        return (v) => (v === null || typeof v === 'number' ? v : Number(v));
      case 'BigInteger':
        return (v) => (v === null || typeof v === 'bigint' ? v : BigInt(v));
      case 'Numeric':
        return (v) => (v === null || typeof v === 'string' ? v : String(v));
      case 'Float':
        return (v) => (v === null || typeof v === 'number' ? v : Number(v));
      case 'Boolean':
        return (v) => (v === null || typeof v === 'boolean' ? v : Number(v) !== 0);
      case 'DateTime':
        return (v) => (typeof v === 'string' ? parseDateTime(v) : v);
      case 'Date':
        return (v) => (typeof v === 'string' ? v.slice(0, 10) : v instanceof Date ? v.toISOString().slice(0, 10) : v);
      case 'JSON':
        return (v) => (typeof v === 'string' ? JSON.parse(v) : Buffer.isBuffer(v) ? JSON.parse(v.toString('utf8')) : v);
      default:
        return super.typeResultProcessor(type);
    }
  }

  /** mysql2 errors (errno, code, sqlState, fatal) to Core's hierarchy. */
  override translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    if (error instanceof DBAPIError) return error;
    const e = error as any;
    const message = error instanceof Error ? error.message : String(error);
    const errno: number | undefined = typeof e?.errno === 'number' ? e.errno : undefined;
    const code: string | undefined = e?.code ?? (errno !== undefined ? String(errno) : undefined);
    const opts = { cause: error, code, ...context };
    if (errno !== undefined && e?.sqlState !== undefined) {
      if (UNIQUE.has(errno)) return new UniqueViolation(message, opts);
      if (FOREIGN_KEY.has(errno)) return new ForeignKeyViolation(message, opts);
      if (NOT_NULL.has(errno)) return new NotNullViolation(message, opts);
      if (CHECK.has(errno)) return new CheckViolation(message, opts);
      if (errno === 1213) return new DeadlockError(message, opts);
      if (errno === 1205) return new LockTimeoutError(message, opts);
      if (CANCELED.has(errno)) return new QueryCanceledError(message, opts);
      if (DISCONNECT_ERRNO.has(errno)) return new DisconnectError(message, opts);
      if (DATA.has(errno)) return new DataError(message, opts);
      if (PROGRAMMING.has(errno)) return new ProgrammingError(message, opts);
      // ER_GALERA_REPLICATION_NOT_SUPPORTED: what a Galera cluster cannot replicate, above all a table without a primary key.
      if (errno === 4165) {
        return new ProgrammingError(
          `${message}: the Galera cluster refuses what it cannot replicate row by row — a table without a primary key (wsrep_mode=REQUIRED_PRIMARY_KEY) or a storage engine other than InnoDB. Give the table a primary key.`,
          opts,
        );
      }
      if (String(e.sqlState).startsWith('23')) return new IntegrityError(message, opts);
      if (String(e.sqlState).startsWith('22')) return new DataError(message, opts);
      if (String(e.sqlState).startsWith('42')) return new ProgrammingError(message, opts);
      if (errno === 1040 || errno === 1045 || errno === 1203) return new OperationalError(message, opts);
      return new DatabaseError(message, opts);
    }
    const unreadable = /^The field name \((.*)\) can't be the same as an object's private property/.exec(message);
    if (unreadable) {
      // mysql2's row parser refused a result column name (the connection is dropped all the same).
      return new ProgrammingError(`The result has a column named '${unreadable[1]}', which mysql2 (the MySQL driver) cannot read: give the column another label (AS ...).`, opts);
    }
    if (e?.fatal || (code && DISCONNECT_CODES.has(code))) return new DisconnectError(message, opts);
    if (code === 'ER_PARSE_ERROR') return new ProgrammingError(message, opts);
    return new DBAPIError(message, opts);
  }
}
