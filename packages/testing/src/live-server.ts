/**
 * The one answer to "is this database server reachable?" for live test suites. Decided
 * synchronously (a child process opens a TCP connection) because jest registers tests
 * before anything asynchronous can run. An unreachable server skips its suites with one loud
 * line on a developer's machine, and fails them under `CI=true` or `ATHANOR_REQUIRE_SERVERS=1`
 * (which `pnpm test` sets): the gate must never go green without the databases.
 */
import { spawnSync } from 'node:child_process';
import { maskPassword } from '@athanor/core';
import { describe } from './runner';

export interface LiveServer {
  /** For messages: 'PostgreSQL', 'MariaDB/MySQL'. */
  label: string;
  url: string;
  host: string;
  port: number;
  available: boolean;
  /** `describe` when the server answers; otherwise one loud line and `describe.skip`, or a thrown error when servers are required. */
  describe(what: string): (name: string, fn: () => void) => void;
  /** Throws when servers are required and this one is down; otherwise says whether to run. */
  gate(what: string): boolean;
}

const DEFAULT_PORTS: Record<string, number> = { 'postgresql:': 5432, 'postgres:': 5432, 'mysql:': 3306, 'mariadb:': 3306 };

/** Whether the live suites must run (never skip): CI, or the full `pnpm test` gate. */
export function serversRequired(): boolean {
  const ci = process.env.CI;
  const required = process.env.ATHANOR_REQUIRE_SERVERS;
  return ci === 'true' || ci === '1' || required === '1' || required === 'true';
}

const probeScript =
  "const s=require('node:net').connect({host:process.argv[1],port:Number(process.argv[2])});s.setTimeout(3000,()=>process.exit(1));s.on('connect',()=>{s.destroy();process.exit(0)});s.on('error',()=>process.exit(1));";

/** Whether something accepts TCP connections at host:port (synchronous: a child process). */
export function reachable(host: string, port: number): boolean {
  return spawnSync(process.execPath, ['-e', probeScript, host, String(port)], { timeout: 10_000 }).status === 0;
}

/** The server a database URL names, probed once. `envVar` is the variable that overrides the URL, for the message. */
export function liveServer(label: string, url: string, envVar: string): LiveServer {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(parsed.port || DEFAULT_PORTS[parsed.protocol.replace(/\+.*$/, ':')]);
  const available = reachable(host, port);
  const masked = maskPassword(url);
  const gate = (what: string): boolean => {
    if (available) return true;
    const msg = `${label} at ${masked} is unreachable: ${what} cannot run. Start it with \`pnpm db:start\` (or set ${envVar}).`;
    if (serversRequired()) throw new Error(`${msg} Servers are required here (CI=true or ATHANOR_REQUIRE_SERVERS=1), so this fails instead of skipping.`);
    console.warn(`!!! SKIPPED: ${msg} !!!`);
    return false;
  };
  return {
    label,
    url,
    host,
    port,
    available,
    gate,
    describe: (what) => (gate(what) ? describe : describe.skip),
  };
}
