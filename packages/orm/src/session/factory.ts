/**
 * `sessionmaker(engine, options)`: a factory of sessions with the same engine and defaults
 * (SQLAlchemy's sessionmaker), with its own listeners for every session it makes.
 */
import type { Engine } from '@athanor/core';
import { SESSION_EVENTS, listen } from '../events';
import { Listeners, listenersOf } from '../listeners';
import { type SessionOptions, checkSessionOptions } from './options';
import { Session } from './session';

export interface SessionFactory {
  /** A new session. */
  (): Session;
  /** Runs `fn` in a new session's transaction: committed when it resolves, rolled back when it throws; the session is closed after. */
  begin<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  readonly engine: Engine;
  readonly options: Required<SessionOptions>;
  /** Listeners given to every session this factory makes (`listen(factory, 'afterCommit', fn)`). */
  readonly [listenersOf]: Listeners;
}

/** A factory of sessions sharing an engine (or binds) and options: `const Session = sessionmaker(engine)`. */
export function sessionmaker(engine: Engine, options?: SessionOptions): SessionFactory {
  const checked = checkSessionOptions(options, 'sessionmaker(engine, options)');
  const listeners = new Listeners();
  const make = (() => {
    const session = new Session(engine, checked);
    for (const event of SESSION_EVENTS) {
      if (listeners.get(event)) listen(session, event as 'flushFailed', (s, error) => listeners.fire(event, s, error));
    }
    return session;
  }) as SessionFactory;
  Object.defineProperties(make, {
    engine: { value: engine },
    options: { value: checked },
    [listenersOf]: { value: listeners },
    begin: {
      value: async <T>(fn: (session: Session) => Promise<T>): Promise<T> => {
        const session = make();
        try {
          return await session.begin(fn);
        } finally {
          await session.close();
        }
      },
    },
  });
  return make;
}
