/**
 * One error hierarchy for every dialect (SQLAlchemy's `exc` module, DB-API's classes).
 * Dialects translate their driver's errors into these, keeping the driver error as
 * `cause` and the SQL and parameters that failed.
 *
 * `instanceof` works across duplicated copies of this package (an ESM and a CJS copy in one
 * process): each class carries a brand registered under `Symbol.for`, checked by
 * `Symbol.hasInstance`.
 */
const BRANDS = Symbol.for('athanor.error.brands');

/** The statement an error happened in (SQL text and parameters), carried by database errors for the message and for logs. */
export interface StatementContext {
  /** The SQL text that failed, as sent to the driver. */
  sql?: string;
  /** The parameters sent with it. */
  params?: unknown;
}

/** The base class of every error Athanor raises. */
export class AthanorError extends Error {
  static readonly brand: string = 'AthanorError';
  declare readonly [BRANDS]: ReadonlySet<string>;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    const brands = new Set<string>();
    for (let c: any = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'brand')) brands.add(c.brand);
    }
    Object.defineProperty(this, BRANDS, { value: brands, enumerable: false });
  }

  /**
   * Whether running the whole unit of work again (the transaction, from its start) can
   * succeed: true for serialization failures, deadlocks, lock timeouts and lost connections
   * (nothing was committed); false for everything else, including a COMMIT whose outcome is
   * unknown. `engine.transaction(fn, { retries })` retries exactly these.
   */
  get retryable(): boolean {
    return false;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    const brands = (value as any)?.[BRANDS] as ReadonlySet<string> | undefined;
    return brands ? brands.has((this as typeof AthanorError).brand) : false;
  }
}

function branded<T extends abstract new (...a: any[]) => AthanorError>(cls: T, brand: string): T {
  Object.defineProperty(cls, 'brand', { value: brand });
  return cls;
}

/** A statement was built or used wrongly (unknown column key, bad option...). Raised before SQL runs. */
export class ArgumentError extends AthanorError {}

/** A function Athanor generated at run time does not compile: a bug in Athanor; the message holds the source. */
export class CodeGenerationError extends AthanorError {
  constructor(
    readonly source: string,
    cause: unknown,
  ) {
    super(`Athanor generated a function that does not compile (a bug: please report it with this message). ${String(cause)}\n--- generated source ---\n${source}`, { cause });
  }
}
branded(CodeGenerationError, 'CodeGenerationError');
branded(ArgumentError, 'ArgumentError');
/** A construct cannot be compiled for the target dialect. */
export class CompileError extends AthanorError {}
branded(CompileError, 'CompileError');
/** A construct exists in SQL but the target database cannot run it (`returning` on old MySQL...). */
export class UnsupportedCompilationError extends CompileError {}
branded(UnsupportedCompilationError, 'UnsupportedCompilationError');
/** A schema problem found at DDL time: foreign key to a missing table, a dependency cycle... */
export class SchemaError extends AthanorError {}
branded(SchemaError, 'SchemaError');
/** `one()` found no row. */
export class NoResultFound extends AthanorError {}
branded(NoResultFound, 'NoResultFound');
/** `one()` or `oneOrNone()` found more than one row. */
export class MultipleResultsFound extends AthanorError {}
branded(MultipleResultsFound, 'MultipleResultsFound');
/** A dialect package is not installed, or a URL names no known dialect. */
export class NoSuchModuleError extends AthanorError {}
branded(NoSuchModuleError, 'NoSuchModuleError');
/** The connection's transaction failed; it must be rolled back before further use. */
export class PendingRollbackError extends AthanorError {
  /** As retryable as the failure that broke the transaction (a swallowed serialization failure is). */
  override get retryable(): boolean {
    return this.cause instanceof AthanorError && this.cause.retryable;
  }
}
branded(PendingRollbackError, 'PendingRollbackError');
/** A connection, transaction or engine was used in a state that does not allow it. */
export class InvalidRequestError extends AthanorError {}
branded(InvalidRequestError, 'InvalidRequestError');
/** The engine or connection was closed. */
export class ResourceClosedError extends InvalidRequestError {}
/**
 * A statement would set session state on a server connection that a transaction pooler
 * shares between clients (`pooler: 'transaction'`): the message names the per-transaction way (`SET LOCAL`).
 */
export class SessionStateError extends InvalidRequestError {}
branded(SessionStateError, 'SessionStateError');
branded(ResourceClosedError, 'ResourceClosedError');
/** No pooled connection became free within the acquire timeout. */
export class PoolTimeoutError extends AthanorError {}
branded(PoolTimeoutError, 'PoolTimeoutError');
/** A flush updated or deleted a different number of rows than expected (ORM). */
export class StaleDataError extends AthanorError {}
branded(StaleDataError, 'StaleDataError');

/** Base of every error raised by the database through its driver (DB-API's `DatabaseError`). */
export class DBAPIError extends AthanorError {
  readonly sql: string | undefined;
  readonly params: unknown;
  /** The driver's own error code (SQLSTATE, errno or SQLite code), when known. */
  readonly code: string | undefined;

  constructor(message: string, options: { cause?: unknown; code?: string } & StatementContext = {}) {
    super(message, { cause: options.cause });
    this.sql = options.sql;
    this.params = options.params;
    this.code = options.code;
  }
}
branded(DBAPIError, 'DBAPIError');
export class InterfaceError extends DBAPIError {}
branded(InterfaceError, 'InterfaceError');
export class DatabaseError extends DBAPIError {}
branded(DatabaseError, 'DatabaseError');
/** Bad data for the type: overflow, invalid text representation, value too long. */
export class DataError extends DatabaseError {}
branded(DataError, 'DataError');
/** Connection lost, lock or deadlock, serialization failure, cancellation. */
export class OperationalError extends DatabaseError {}
branded(OperationalError, 'OperationalError');
/** The connection was lost (killed, server restart, network): it is dropped from the pool. Retryable. */
export class DisconnectError extends OperationalError {
  override get retryable(): boolean {
    return true;
  }
}
branded(DisconnectError, 'DisconnectError');
/**
 * The connection was lost while COMMIT was in flight: the server may or may not have
 * committed. Not retryable blindly: check whether the work is there first.
 */
export class CommitOutcomeUnknownError extends DisconnectError {
  override get retryable(): boolean {
    return false;
  }
}
branded(CommitOutcomeUnknownError, 'CommitOutcomeUnknownError');
/** The database chose this transaction as a deadlock victim and rolled it back. Retryable. */
export class DeadlockError extends OperationalError {
  override get retryable(): boolean {
    return true;
  }
}
branded(DeadlockError, 'DeadlockError');
/** A serialization failure (SERIALIZABLE / REPEATABLE READ conflict, or a distributed database's restart error). Retryable. */
export class SerializationError extends OperationalError {
  override get retryable(): boolean {
    return true;
  }
}
branded(SerializationError, 'SerializationError');
/** A lock was not granted within the database's lock timeout. Retryable. */
export class LockTimeoutError extends OperationalError {
  override get retryable(): boolean {
    return true;
  }
}
branded(LockTimeoutError, 'LockTimeoutError');
/**
 * A statement was canceled: by an AbortSignal, by a `timeout`, or on the server
 * (statement_timeout, KILL QUERY). `reason` says which, when Athanor canceled it.
 */
export class QueryCanceledError extends OperationalError {
  /** 'signal' or 'timeout' when Athanor canceled the statement; undefined when the server did on its own. */
  readonly reason: 'signal' | 'timeout' | undefined;

  constructor(message: string, options: { cause?: unknown; code?: string; reason?: 'signal' | 'timeout' } & StatementContext = {}) {
    super(message, options);
    this.reason = options.reason;
  }
}
branded(QueryCanceledError, 'QueryCanceledError');
/** A constraint failed: unique, foreign key, not null, check. */
export class IntegrityError extends DatabaseError {}
branded(IntegrityError, 'IntegrityError');
export class UniqueViolation extends IntegrityError {}
branded(UniqueViolation, 'UniqueViolation');
export class ForeignKeyViolation extends IntegrityError {}
branded(ForeignKeyViolation, 'ForeignKeyViolation');
export class NotNullViolation extends IntegrityError {}
branded(NotNullViolation, 'NotNullViolation');
export class CheckViolation extends IntegrityError {}
branded(CheckViolation, 'CheckViolation');
/** An internal database error. */
export class InternalError extends DatabaseError {}
branded(InternalError, 'InternalError');
/** SQL syntax error, missing table or column, wrong number of parameters. */
export class ProgrammingError extends DatabaseError {}
branded(ProgrammingError, 'ProgrammingError');
/** The database does not support the operation. */
export class NotSupportedError extends DatabaseError {}
branded(NotSupportedError, 'NotSupportedError');
