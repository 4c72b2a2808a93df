import { AthanorError } from '@athanor/core';

/** Any failure of a migration command: bad config, unknown revision, ambiguous target, failed step. */
export class MigrateError extends AthanorError {
  static override readonly brand: string = 'MigrateError';
}

/** A revision's upgrade or downgrade failed: names the revision and the statement that failed. */
export class MigrationStepError extends MigrateError {
  static override readonly brand: string = 'MigrationStepError';
  constructor(
    message: string,
    readonly revision: string,
    readonly statement: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
