import { ArgumentError } from '../errors';

/** A parsed database URL: `dialect[+driver]://user:password@host:port/database?option=value`. */
export interface EngineURL {
  /** The dialect name, normalised: `sqlite`, `postgresql`, `mysql`. */
  dialect: string;
  driver: string | undefined;
  username: string | undefined;
  password: string | undefined;
  host: string | undefined;
  port: number | undefined;
  /** Database name; for SQLite the file path (`:memory:` for memory). */
  database: string | undefined;
  query: Record<string, string>;
  /** The URL as given, with the password masked (for logs and errors). */
  display: string;
}

const ALIASES: Record<string, string> = { postgres: 'postgresql', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite' };

/**
 * Parses an engine URL. SQLite: `sqlite://` (memory), `sqlite:///relative.db`, `sqlite:////abs/path.db`.
 */
export function parseURL(url: string): EngineURL {
  const m = /^([a-zA-Z0-9]+)(?:\+([a-zA-Z0-9_]+))?:\/\/(.*)$/.exec(url);
  if (!m) throw new ArgumentError(`Could not parse database URL '${url}': expected e.g. 'sqlite://', 'postgresql://user@host/db' or 'mysql://root@host/db'.`);
  const scheme = m[1].toLowerCase();
  const dialect = ALIASES[scheme];
  if (!dialect) throw new ArgumentError(`Unknown database '${scheme}' in URL; Athanor knows sqlite, postgresql (postgres) and mysql (mariadb).`);
  const rest = m[3];
  const [main, queryString = ''] = rest.split('?', 2) as [string, string?];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(queryString)) query[k] = v;
  if (dialect === 'sqlite') {
    // sqlite:// → memory; sqlite:///rel.db → 'rel.db'; sqlite:////abs.db → '/abs.db'
    const path = main.startsWith('/') ? main.slice(1) : main;
    return { dialect, driver: m[2], username: undefined, password: undefined, host: undefined, port: undefined, database: path === '' ? ':memory:' : decodeURIComponent(path), query, display: url };
  }
  const at = main.lastIndexOf('@');
  const auth = at >= 0 ? main.slice(0, at) : '';
  const hostPart = at >= 0 ? main.slice(at + 1) : main;
  const [userRaw, passRaw] = auth ? (auth.split(':', 2) as [string, string?]) : [undefined, undefined];
  const slash = hostPart.indexOf('/');
  const hostPort = slash >= 0 ? hostPart.slice(0, slash) : hostPart;
  const database = slash >= 0 ? decodeURIComponent(hostPart.slice(slash + 1)) || undefined : undefined;
  const hp = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  const host = hp?.[1] ? hp[1].replace(/^\[|\]$/g, '') : undefined;
  const port = hp?.[2] ? Number(hp[2]) : undefined;
  const password = passRaw === undefined ? undefined : decodeURIComponent(passRaw);
  const display = password === undefined ? url : url.replace(`:${passRaw}@`, ':***@');
  return { dialect, driver: m[2], username: userRaw ? decodeURIComponent(userRaw) : undefined, password, host, port, database, query, display };
}
