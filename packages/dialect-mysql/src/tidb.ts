/**
 * TiDB: MySQL's protocol and SQL over a distributed store (`tidb://`, or
 * `mysql://...?flavor=tidb`). Same driver and SQL as MySQL 8.0; what differs is here: the
 * isolation levels it has, the errors that mean "run the transaction again", and the stale
 * reads it spells its own way. TiDB does not run in this project's CI: this follows its documentation.
 */
import { ArgumentError, type Select, SerializationError, type SQLCompiler, UnsupportedCompilationError, withCapabilities } from '@athanor/core';
import { MySQLCompiler } from './compiler';
import { MySQLDialect } from './dialect';

/**
 * TiDB's own errors after which the whole transaction can run again (its error-code reference):
 * 9007 write conflict (optimistic commit), 8005 write conflict with a stale start timestamp,
 * 8002 a SELECT FOR UPDATE transaction that met a commit conflict, 8022 a KV error "safe to
 * retry", 8028 the schema changed under the transaction. (1213, a deadlock in pessimistic
 * mode, is MySQL's and already a DeadlockError.)
 */
export const TIDB_RETRYABLE_ERRNOS: ReadonlySet<number> = new Set([9007, 8005, 8002, 8022, 8028]);

export class TiDBDialect extends MySQLDialect {
  override readonly flavor: string = 'tidb';

  constructor(options: { compiledCacheSize?: number; serverVersion?: number[] } = {}) {
    super(options);
    // MySQL's capabilities follow the server version (read on first connect); TiDB's adjust them.
    const mysqlCapabilities = Object.getOwnPropertyDescriptor(this, 'capabilities')!.get!;
    let from: unknown;
    let adjusted: ReturnType<typeof mysqlCapabilities>;
    Object.defineProperty(this, 'capabilities', {
      get: () => {
        const base = mysqlCapabilities();
        if (base !== from) {
          // Snapshot isolation, which it calls REPEATABLE READ, and READ COMMITTED (pessimistic
          // mode); SERIALIZABLE and READ UNCOMMITTED are errors (8048).
          adjusted = withCapabilities(base, { connection: { isolationLevels: ['READ COMMITTED', 'REPEATABLE READ'] } });
          from = base;
        }
        return adjusted;
      },
      set: () => {},
      configurable: true,
      enumerable: true,
    });
  }

  override createCompiler(): SQLCompiler {
    return new TiDBCompiler(this);
  }

  override translateError(error: unknown, context: { sql?: string; params?: unknown }): Error {
    const e = error as { errno?: unknown; message?: unknown; code?: unknown } | null;
    if (typeof e?.errno === 'number' && TIDB_RETRYABLE_ERRNOS.has(e.errno)) {
      const message = typeof e.message === 'string' ? e.message : String(error);
      return new SerializationError(message, { cause: error, code: typeof e.code === 'string' ? e.code : String(e.errno), ...context });
    }
    return super.translateError(error, context);
  }
}

/** TiDB SQL: MySQL's; a read of the past is TiDB's `AS OF TIMESTAMP`, not CockroachDB's clause. */
export class TiDBCompiler extends MySQLCompiler {
  protected override asOfSystemTime(_el: Select<any>, _hasFrom: boolean, _topLevel: boolean): string {
    throw new UnsupportedCompilationError(
      "select().asOfSystemTime() is CockroachDB's AS OF SYSTEM TIME; TiDB reads the past its own way: begin a read-only transaction with text(\"START TRANSACTION READ ONLY AS OF TIMESTAMP NOW() - INTERVAL 5 SECOND\"), or set tidb_read_staleness for the session.",
    );
  }
}

/** The isolation levels a TiDB transaction may ask for; others are refused before BEGIN is sent. */
export function checkTiDBIsolation(dialect: MySQLDialect, level: string): void {
  const levels = dialect.capabilities.connection.isolationLevels;
  if (!levels.includes(level)) {
    throw new ArgumentError(`TiDB has no ${level} isolation level (it answers error 8048); use ${levels.join(' or ')}.`);
  }
}
