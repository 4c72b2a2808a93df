import { ArgumentError } from '../errors';

/** A parsed database URL: `dialect[+driver]://user:password@host:port/database?option=value`. */
export interface EngineURL {
  /** The dialect name, normalised: `sqlite`, `postgresql`, `mysql`, or a registered scheme as written (lower case). */
  dialect: string;
  /**
   * The database behind the dialect's protocol when it is not the dialect's own:
   * `cockroachdb` or `yugabytedb` (PostgreSQL protocol), `tidb` (MySQL protocol). From the
   * scheme (`cockroachdb://`) or from `?flavor=` (`postgresql://...?flavor=cockroachdb`).
   */
  flavor?: string;
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

/** Schemes of databases that speak another dialect's protocol: the dialect, and the flavor the scheme names. */
const FLAVOR_SCHEMES: Record<string, { dialect: string; flavor: string }> = {
  cockroachdb: { dialect: 'postgresql', flavor: 'cockroachdb' },
  yugabytedb: { dialect: 'postgresql', flavor: 'yugabytedb' },
  tidb: { dialect: 'mysql', flavor: 'tidb' },
};

/**
 * The URL with its password replaced by `***`. The userinfo ends at the last `@` of the
 * authority (which ends at the first `/`, `?` or `#`), so a password may hold `:` or `@`.
 */
export function maskPassword(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:@/?#]*:)[^/?#]*@/, '$1***@');
}

/**
 * Parses an engine URL with the WHATWG `URL` class: percent-decoded user, password and
 * database, `:` and `@` in passwords, bracketed IPv6 hosts, `?key=value` options. Any scheme
 * is accepted (a dialect registered with `registerDialect` brings its own); the engine says
 * when no dialect answers to it. SQLite: `sqlite://` (memory), `sqlite:///relative.db`,
 * `sqlite:////abs/path.db`.
 */
export function parseURL(url: string): EngineURL {
  const display = maskPassword(url);
  const m = /^([a-zA-Z][a-zA-Z0-9.-]*)(?:\+([a-zA-Z0-9_.-]+))?:\/\//.exec(url);
  if (!m) throw new ArgumentError(`Could not parse database URL '${display}': expected e.g. 'sqlite://', 'postgresql://user@host/db' or 'mysql://root@host/db'.`);
  const scheme = m[1].toLowerCase();
  const flavored = FLAVOR_SCHEMES[scheme];
  const dialect = flavored?.dialect ?? ALIASES[scheme] ?? scheme;
  const driver = m[2];
  if (dialect === 'sqlite') return parseSQLite(url.slice(m[0].length), driver, display);
  let parsed: URL;
  try {
    // A special scheme parses the authority the same way for every database.
    parsed = new URL(`http://${url.slice(m[0].length)}`);
  } catch (e) {
    throw new ArgumentError(`Could not parse database URL '${display}': ${(e as Error).message}. Percent-encode reserved characters in the user name and database name (encodeURIComponent).`, { cause: e });
  }
  const query: Record<string, string> = {};
  for (const [k, v] of parsed.searchParams) query[k] = v;
  const flavor = flavorOf(flavored?.flavor, query, display);
  const path = parsed.pathname.replace(/^\//, '');
  const port = parsed.port ? Number(parsed.port) : explicitPort(url.slice(m[0].length));
  return {
    dialect,
    ...(flavor !== undefined ? { flavor } : {}),
    driver,
    username: parsed.username ? decode(parsed.username, display) : undefined,
    password: passwordOf(url.slice(m[0].length), display),
    host: parsed.hostname ? parsed.hostname.replace(/^\[|\]$/g, '') : undefined,
    port,
    database: path ? decode(path, display) : undefined,
    query,
    display,
  };
}

/**
 * The flavor named by the scheme or by `?flavor=` (taken out of the options, which go to the
 * driver); both given and different is refused. Whether the dialect knows it is its own check.
 */
function flavorOf(fromScheme: string | undefined, query: Record<string, string>, display: string): string | undefined {
  const fromQuery = query.flavor?.toLowerCase();
  delete query.flavor;
  if (fromScheme !== undefined && fromQuery !== undefined && fromQuery !== fromScheme) {
    throw new ArgumentError(`Database URL '${display}' names two databases: the scheme says '${fromScheme}', ?flavor= says '${fromQuery}'. Keep one.`);
  }
  if (fromQuery === '') throw new ArgumentError(`Database URL '${display}' has an empty ?flavor=; name the database (cockroachdb, yugabytedb, tidb) or leave it out.`);
  return fromScheme ?? fromQuery;
}

/**
 * The password as written between the user's `:` and the authority's last `@`, percent-decoded.
 * (WHATWG's `URL.password` re-encodes some characters; this keeps exactly what was meant.)
 */
function passwordOf(rest: string, display: string): string | undefined {
  const authority = /^[^/?#]*/.exec(rest)![0];
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? undefined : decode(userinfo.slice(colon + 1), display);
}

/** WHATWG drops a port equal to the scheme's default (80 for the http stand-in): read it back. */
function explicitPort(rest: string): number | undefined {
  const authority = /^[^/?#]*/.exec(rest)![0];
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const p = /:(\d+)$/.exec(host);
  return p ? Number(p[1]) : undefined;
}

function decode(text: string, display: string): string {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    throw new ArgumentError(`Could not parse database URL '${display}': a malformed percent-escape. Write '%' as '%25'.`, { cause: e });
  }
}

/** sqlite:// → memory; sqlite:///rel.db → 'rel.db'; sqlite:////abs.db → '/abs.db'; options after '?'. */
function parseSQLite(rest: string, driver: string | undefined, display: string): EngineURL {
  const q = rest.indexOf('?');
  const main = q >= 0 ? rest.slice(0, q) : rest;
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) query[k] = v;
  const path = main.startsWith('/') ? main.slice(1) : main;
  const flavor = flavorOf(undefined, query, display);
  return { dialect: 'sqlite', ...(flavor !== undefined ? { flavor } : {}), driver, username: undefined, password: undefined, host: undefined, port: undefined, database: path === '' ? ':memory:' : decode(path, display), query, display };
}
