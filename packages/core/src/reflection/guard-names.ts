/**
 * Names handed to reflection are checked before any catalog query sees them: a name holding
 * a NUL can name nothing in any database, so it is refused with the same ArgumentError
 * everywhere (PostgreSQL's driver would fail with an encoding error, the others would
 * answer "no such table").
 */
import { refuseNul } from '../util/refuse';
import type { DialectIntrospection } from './interface';

function checkName(arg: unknown): void {
  if (typeof arg === 'string') refuseNul(arg, `The name ${JSON.stringify(arg)} given to reflection`);
  else if (Array.isArray(arg)) for (const a of arg) checkName(a);
}

/** `intro` with every method's name arguments (schema, table, view names) checked first. */
export function refusingNulNames(intro: DialectIntrospection): DialectIntrospection {
  return new Proxy(intro, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (conn: unknown, ...args: unknown[]) => {
        for (const a of args) checkName(a);
        return value.call(target, conn, ...args);
      };
    },
  });
}
