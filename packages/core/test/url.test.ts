import { ArgumentError, NoSuchModuleError, createEngine, maskPassword, parseURL } from '@athanor/core';

describe('parseURL (WHATWG URL)', () => {
  test('a password holding ":" and "@" is kept whole, and masked in display', () => {
    const u = parseURL('mysql://root:pa:ss@w@db.example:3307/app');
    expect(u).toMatchObject({ dialect: 'mysql', username: 'root', password: 'pa:ss@w', host: 'db.example', port: 3307, database: 'app' });
    expect(u.display).toBe('mysql://root:***@db.example:3307/app');
  });

  test('percent-encoded user, password and database are decoded', () => {
    const u = parseURL('postgresql://us%40er:p%2Fw%3Fd%23x%25@localhost/my%20db');
    expect(u).toMatchObject({ username: 'us@er', password: 'p/w?d#x%', database: 'my db' });
    expect(u.display).toBe('postgresql://us%40er:***@localhost/my%20db');
  });

  test('IPv6 hosts in brackets, with and without a port', () => {
    expect(parseURL('postgresql://u@[::1]:5433/d')).toMatchObject({ host: '::1', port: 5433, database: 'd' });
    expect(parseURL('mysql://u@[2001:db8::7]/d')).toMatchObject({ host: '2001:db8::7', port: undefined });
  });

  test('query options, a driver suffix, aliases, and port 80 kept', () => {
    const u = parseURL('postgres+pg://u@h:80/d?sslmode=require&application_name=my%20app');
    expect(u).toMatchObject({ dialect: 'postgresql', driver: 'pg', port: 80, query: { sslmode: 'require', application_name: 'my app' } });
    expect(parseURL('mariadb://u@h')).toMatchObject({ dialect: 'mysql', host: 'h', port: undefined, database: undefined, password: undefined });
  });

  test('SQLite paths', () => {
    expect(parseURL('sqlite://').database).toBe(':memory:');
    expect(parseURL('sqlite:///rel.db').database).toBe('rel.db');
    expect(parseURL('sqlite:////abs/path%20x.db?timeout=10')).toMatchObject({ database: '/abs/path x.db', query: { timeout: '10' } });
  });

  test('any scheme parses (registered dialects bring their own); an unregistered one fails at the engine naming registerDialect', () => {
    expect(parseURL('clickhouse://root@h:8123/d')).toMatchObject({ dialect: 'clickhouse', port: 8123 });
    // Databases speaking a built-in dialect's protocol are that dialect with a flavor.
    expect(parseURL('cockroachdb://root@h:26257/d')).toMatchObject({ dialect: 'postgresql', flavor: 'cockroachdb', port: 26257 });
    expect(parseURL('tidb://root@h:4000/d?flavor=tidb')).toMatchObject({ dialect: 'mysql', flavor: 'tidb', query: {} });
    expect(() => createEngine('nosuchdb://u:secret@h/d')).toThrow(NoSuchModuleError);
    expect(() => createEngine('nosuchdb://u:secret@h/d')).toThrow(/registerDialect\('nosuchdb'/);
  });

  test('malformed URLs raise ArgumentError with the password masked', () => {
    expect(() => parseURL('not a url')).toThrow(ArgumentError);
    const err = (() => {
      try {
        parseURL('postgresql://u:s3cr%ZZet@h/d');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err!.message).not.toMatch(/s3cr/);
    expect(err!.message).toContain('postgresql://u:***@h/d');
  });

  test('maskPassword stops at the authority: an "@" in the path or query is not a password', () => {
    expect(maskPassword('mysql://u@h/d?x=a:b@c')).toBe('mysql://u@h/d?x=a:b@c');
    expect(maskPassword('mysql://u:p@h/d?x=a@c')).toBe('mysql://u:***@h/d?x=a@c');
  });
});
