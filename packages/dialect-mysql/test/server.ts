/** The MySQL/MariaDB server the live tests use, and whether it answers (the shared probe in @athanor/testing). */
import { liveServer } from '@athanor/testing';

export const URL = process.env.ATHANOR_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const server = liveServer('MariaDB/MySQL', URL, 'ATHANOR_MYSQL_URL');
export const available = server.available;

/** `describe` when the server answers; otherwise one loud line and `describe.skip` — or a failure when servers are required. */
export function liveDescribe(what: string): typeof describe {
  return server.describe(`MySQL ${what}`) as unknown as typeof describe;
}
