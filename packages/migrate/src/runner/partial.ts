import { MigrateError } from '../errors';

/**
 * MySQL/MariaDB commit each DDL statement implicitly, so a revision that fails halfway leaves
 * what ran before it in the database. The version table then gets a marker row
 * `partial:<revision>:<statements committed>` next to its heads: `current` shows it, and
 * upgrade/downgrade refuse to run until `stamp` settles where the database is.
 */
export const PARTIAL_PREFIX = 'partial:';

export interface PartialRevision {
  revision: string;
  /** How many of the revision's statements were committed before it failed. */
  committed: number;
}

const DML = /^\s*(INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH)\b/i;

/**
 * The statements that stay: the first DDL statement commits the transaction (with the DML
 * before it), and the session is in autocommit from there on, so once any DDL ran every
 * statement that ran stays; with none, the rollback undid them all.
 */
export function committedStatements(ran: readonly string[]): string[] {
  return ran.some((s) => !DML.test(s)) ? [...ran] : [];
}

export function partialMarker(revision: string, committed: number): string {
  return `${PARTIAL_PREFIX}${revision}:${committed}`;
}

export function parsePartial(value: string): PartialRevision | undefined {
  const m = /^partial:(.+):(\d+)$/.exec(value);
  return m ? { revision: m[1], committed: Number(m[2]) } : undefined;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/** What the error says after a MySQL/MariaDB revision failed with statements committed. */
export function partialFailureNote(revision: string, before: string, committed: readonly string[]): string {
  return (
    ` MySQL/MariaDB committed ${committed.length} statement(s) of ${revision} before the failure (DDL commits implicitly): ${committed.map((s, i) => `[${i + 1}] ${oneLine(s)}`).join('; ')}.` +
    ` The version table is left at ${before} and records '${partialMarker(revision, committed.length)}'; upgrade and downgrade refuse to run until it is settled.` +
    ` To resume: undo those statements by hand and run \`athanor stamp ${before === '(base)' ? 'base' : before}\`, then fix the revision and upgrade again; or complete the revision by hand and run \`athanor stamp ${revision}\`.`
  );
}

export function refuseWhilePartial(partials: readonly PartialRevision[]): MigrateError {
  const p = partials[0];
  return new MigrateError(
    `Revision ${p.revision} was left partially applied (${p.committed} statement(s) committed before it failed; MySQL/MariaDB cannot roll DDL back). Settle it first: undo those statements and \`athanor stamp\` the revision before it, or complete it by hand and \`athanor stamp ${p.revision}\`.`,
  );
}
