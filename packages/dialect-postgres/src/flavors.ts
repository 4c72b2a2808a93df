/**
 * Databases that speak PostgreSQL's protocol but are not PostgreSQL: CockroachDB
 * (`cockroachdb://`, or `postgresql://...?flavor=cockroachdb`) and YugabyteDB
 * (`yugabytedb://`). Same driver and SQL as PostgreSQL; what differs is here: capabilities,
 * the errors that mean "retry" or "outcome unknown", autoincrement columns, follower reads.
 * Neither server runs in this project's CI: this follows their documentation.
 */
import {
  ArgumentError,
  CommitOutcomeUnknownError,
  type CompileContext,
  DataError,
  type Merge,
  type Processor,
  type Select,
  type SQLCompiler,
  type TableColumn,
  type TypeEngine,
  UnsupportedCompilationError,
  withCapabilities,
} from '@athanor/core';
import { PostgresCompiler } from './compiler';
import { PostgresDialect } from './dialect';

/** MERGE refused before sending, naming the upsert the database has. */
function noMerge(database: string): never {
  throw new UnsupportedCompilationError(`${database} has no MERGE: for an upsert use onConflictDoUpdate(insert(t).values(...), { target, set }) from @athanor/dialect-postgres (INSERT ... ON CONFLICT).`);
}

/** The time `select().asOfSystemTime()` keeps for follower reads, rendered as the call. */
const FOLLOWER_READ = 'follower_read_timestamp()';

/** CockroachDB: serializable by default, distributed; retries are the client's (SQLSTATE 40001). */
export class CockroachDialect extends PostgresDialect {
  override readonly flavor: string = 'cockroachdb';

  constructor(options: { compiledCacheSize?: number } = {}) {
    super(options);
    this.capabilities = withCapabilities(this.capabilities, {
      // No MERGE (CockroachDB has UPSERT and INSERT ... ON CONFLICT). The batched keyed UPDATE
      // (UPDATE ... FROM a typed VALUES list) is not tested on CockroachDB: row by row.
      dml: { merge: false, updateFromValues: false },
      // Schema changes run asynchronously, and in a transaction with writes they are not atomic
      // (CockroachDB's "online schema changes"): migrations must not count on rolling them back.
      ddl: { transactional: false },
      // READ UNCOMMITTED is run as a stronger level; READ COMMITTED and REPEATABLE READ need the
      // cluster settings that enable them, else they too run SERIALIZABLE (stronger, never weaker).
      connection: { isolationLevels: ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] },
    });
  }

  override createCompiler(): SQLCompiler {
    return new CockroachCompiler(this);
  }

  /**
   * INTEGER is 64-bit on CockroachDB (INT8): a value the server made (`unique_rowid()` in a
   * column declared Integer) can pass 2^53, past which a number is not exact. Refused, never rounded.
   */
  protected override typeResultProcessor(type: TypeEngine<any>): Processor | null {
    if (type.typeName !== 'Integer') return super.typeResultProcessor(type);
    return (v) => {
      if (typeof v !== 'bigint' && typeof v !== 'string') return v;
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new DataError(`${v} does not fit a JavaScript number exactly (CockroachDB's INTEGER is 64-bit): declare the column BigInteger to read it as a bigint.`);
      return n;
    };
  }

  override translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    const e = error as { code?: unknown; message?: unknown } | null;
    // 40003 statement_completion_unknown ("result is ambiguous"): the commit may or may not have
    // happened; retrying blindly could apply it twice.
    if (e?.code === '40003') {
      const message = typeof e.message === 'string' ? e.message : String(error);
      return new CommitOutcomeUnknownError(`${message} (CockroachDB could not tell whether the transaction committed: check whether its work is there before running it again)`, {
        cause: error,
        code: '40003',
        ...context,
      });
    }
    return super.translateError(error, context);
  }
}

/** CockroachDB SQL: `unique_rowid()` keys for BigInteger autoincrement, `AS OF SYSTEM TIME`. */
export class CockroachCompiler extends PostgresCompiler {
  override visitMerge(_el: Merge<any>, _ctx: CompileContext): string {
    return noMerge('CockroachDB');
  }

  /**
   * A BigInteger autoincrement column takes `DEFAULT unique_rowid()` (what CockroachDB makes
   * of SERIAL): unique, roughly time-ordered, no sequence to contend on. The values are above
   * 2^53, which only BigInteger (bigint values) holds exactly, so an Integer column keeps an
   * identity (a sequence: small values, slower under concurrent inserts).
   */
  protected override autoincrementClause(c: TableColumn<any, any>): string {
    if (!c.sequence && !c.identity && c.isAutoincrement && c.type.impl.typeName === 'BigInteger') return ' DEFAULT unique_rowid()';
    return super.autoincrementClause(c);
  }

  /** ` AS OF SYSTEM TIME ...` at the end of the FROM clause, on a top-level read without locking. */
  protected override asOfSystemTime(el: Select<any>, hasFrom: boolean, topLevel: boolean): string {
    if (!topLevel) throw new UnsupportedCompilationError('asOfSystemTime() applies to a whole statement: CockroachDB takes AS OF SYSTEM TIME on the top-level SELECT only; put it on the outer select.');
    if (!hasFrom) throw new UnsupportedCompilationError('asOfSystemTime() needs a FROM clause: CockroachDB writes AS OF SYSTEM TIME at its end; select from a table.');
    if (el.forUpdateOptions) throw new UnsupportedCompilationError('asOfSystemTime() with forUpdate(): a read of the past cannot lock rows (CockroachDB refuses it); drop one of them.');
    const at = el.asOfSystemTimeValue!;
    return ` AS OF SYSTEM TIME ${at === FOLLOWER_READ ? at : this.stringLiteral(at)}`;
  }
}

/** YugabyteDB (YSQL): PostgreSQL 11's query layer over a distributed store. */
export class YugabyteDialect extends PostgresDialect {
  override readonly flavor: string = 'yugabytedb';

  constructor(options: { compiledCacheSize?: number } = {}) {
    super(options);
    this.capabilities = withCapabilities(this.capabilities, {
      // PostgreSQL 11's grammar: no MERGE. The batched keyed UPDATE is not tested on YugabyteDB: row by row.
      dml: { merge: false, updateFromValues: false },
      // DDL is not transactional (each statement commits on its own) unless the cluster enables transactional DDL.
      ddl: { transactional: false },
    });
  }

  override createCompiler(): SQLCompiler {
    return new YugabyteCompiler(this);
  }
}

/** YugabyteDB SQL: as PostgreSQL's; follower reads are a session setting, not a clause. */
export class YugabyteCompiler extends PostgresCompiler {
  override visitMerge(_el: Merge<any>, _ctx: CompileContext): string {
    return noMerge('YugabyteDB (PostgreSQL 11 grammar)');
  }

  protected override asOfSystemTime(_el: Select<any>, _hasFrom: boolean, _topLevel: boolean): string {
    throw new UnsupportedCompilationError(
      "select().asOfSystemTime() is CockroachDB's AS OF SYSTEM TIME; YugabyteDB has no such clause. For follower reads on YugabyteDB run, inside a read-only transaction, SET LOCAL yb_read_from_followers = true (and yb_follower_read_staleness_ms) with text().",
    );
  }
}

/** The dialect for a URL's flavor (undefined: PostgreSQL itself). */
export function postgresDialectFor(flavor: string | undefined, options: { compiledCacheSize?: number }): PostgresDialect {
  if (flavor === undefined) return new PostgresDialect(options);
  if (flavor === 'cockroachdb') return new CockroachDialect(options);
  if (flavor === 'yugabytedb') return new YugabyteDialect(options);
  throw new ArgumentError(`The postgresql dialect has no flavor '${flavor}'; it knows cockroachdb and yugabytedb.`);
}

/** `SET TRANSACTION PRIORITY ...` after BEGIN: CockroachDB only. */
export function prioritySQL(priority: unknown, flavor: string | undefined): string {
  if (flavor !== 'cockroachdb') {
    throw new ArgumentError(`begin({ priority }): transaction priorities are CockroachDB's; ${flavor === undefined ? 'PostgreSQL' : flavor} has none. Leave the option out.`);
  }
  if (priority !== 'low' && priority !== 'normal' && priority !== 'high') throw new ArgumentError(`begin({ priority }) must be 'low', 'normal' or 'high'; got ${JSON.stringify(priority)}.`);
  return `SET TRANSACTION PRIORITY ${priority.toUpperCase()}`;
}
