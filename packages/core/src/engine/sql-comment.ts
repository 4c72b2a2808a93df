/**
 * SQL comments carrying tags (sqlcommenter format): `SELECT ... /*action='list',traceparent='00-...'*\/`.
 * Keys and values are URL-encoded, `*` and `'` included, so a tag can never close the comment
 * or the quoted value; keys are sorted. A statement with a comment is not sent as a named
 * prepared statement (its text changes per call).
 */

/** Tags for one statement; undefined values are left out. */
export type SqlCommentTags = Readonly<Record<string, string | undefined>>;

/** Called for each statement; its tags are appended as a comment (`engine` option `sqlComment`). */
export type SqlCommenter = (statement: { sql: string }) => SqlCommentTags | undefined;

const encode = (text: string) => encodeURIComponent(text).replace(/[*'!()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The comment for `tags`, or '' when there is no tag. */
export function sqlComment(tags: SqlCommentTags): string {
  const parts: string[] = [];
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    if (value !== undefined) parts.push(`${encode(key)}='${encode(value)}'`);
  }
  return parts.length ? `/*${parts.join(',')}*/` : '';
}

/** `sql` with the engine's and the call's tags appended (the call's win), or `sql` unchanged. */
export function withSqlComment(sql: string, commenter: SqlCommenter | undefined, own: SqlCommentTags | undefined): string {
  const tags = commenter === undefined ? own : own === undefined ? commenter({ sql }) : { ...commenter({ sql }), ...own };
  const comment = tags === undefined ? '' : sqlComment(tags);
  return comment ? `${sql} ${comment}` : sql;
}
