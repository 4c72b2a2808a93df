/** Engine URLs on a live server: a password with ':' and '@' reaches the driver whole and is masked in errors; a registered scheme connects. */
import { OperationalError, createEngine, registerDialect, select, literal } from '@athanor/core';
import { athanorDialect } from '../src';
import { URL, liveDescribe } from './server';

const d = liveDescribe('URL tests');

d('PostgreSQL URLs', () => {
  const base = new globalThis.URL(URL);

  test('a failed connect names the URL with the password masked', async () => {
    const url = `postgresql://${base.username || 'postgres'}:pa:ss@w@${base.host}/athanor_no_such_db_${process.pid}`;
    const engine = createEngine(url);
    try {
      const err = await engine.connect((c) => c.scalar(select(literal(1).label('one')))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OperationalError);
      const message = (err as Error).message;
      expect(message).toContain(`postgresql://${base.username || 'postgres'}:***@${base.host}/athanor_no_such_db_${process.pid}`);
      expect(message).not.toContain('pa:ss');
      expect(message).toMatch(/does not exist/);
    } finally {
      await engine.dispose();
    }
  });

  test('registerDialect: a dialect under a scheme of its own connects', async () => {
    registerDialect('athanorpg', athanorDialect);
    const engine = createEngine(URL.replace(/^[a-z]+:/, 'athanorpg:'));
    try {
      expect(engine.dialect.name).toBe('postgresql');
      expect(await engine.connect((c) => c.scalar(select(literal(41).label('n')).where(literal(true))))).toBe(41);
    } finally {
      await engine.dispose();
    }
  });
});
