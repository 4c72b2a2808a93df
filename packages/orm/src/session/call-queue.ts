/**
 * One session's async calls, one after another in call order (SQLAlchemy refuses
 * concurrent use of an AsyncSession; here a call made while another runs waits for it).
 */
export class CallQueue {
  private tail: Promise<unknown> | undefined = undefined;
  /** Calls started or waiting. */
  private queued = 0;
  /** The call running now, by method name. */
  operation: string | undefined = undefined;

  /** Runs `fn` once every earlier call ended; `check` runs first, at its turn, and may throw. */
  run<T>(op: string, check: () => void, fn: () => Promise<T>): Promise<T> {
    const start = () => {
      check();
      this.operation = op;
      return fn();
    };
    const end = () => {
      this.operation = undefined;
      this.queued--;
    };
    // Nothing running: start now (one promise hop less on every call); else after the last one queued.
    let p: Promise<T>;
    if (this.queued++ === 0) {
      try {
        p = start();
      } catch (e) {
        p = Promise.reject(e);
      }
    } else p = this.tail!.then(start, start);
    const done = p.then(
      (v) => {
        end();
        return v;
      },
      (e) => {
        end();
        throw e;
      },
    );
    // The next call waits on this one whether it fails or not (then(start, start) above).
    this.tail = done;
    return done;
  }
}
