/** A registry of event listeners (events.ts says which events exist and how to listen). */

/** Where sessions, the Session class and session factories keep their listeners. */
export const listenersOf = Symbol('athanor.orm.listeners');

/** Listeners by event name. */
export class Listeners {
  private readonly map = new Map<string, ((...args: any[]) => void)[]>();
  /** True once any listener was added (the flush skips event work otherwise). */
  any = false;

  add(event: string, fn: (...args: any[]) => void): void {
    const list = this.map.get(event);
    if (list) list.push(fn);
    else this.map.set(event, [fn]);
    this.any = true;
  }

  remove(event: string, fn: (...args: any[]) => void): void {
    const list = this.map.get(event);
    const i = list?.indexOf(fn) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }

  get(event: string): readonly ((...args: any[]) => void)[] | undefined {
    return this.any ? this.map.get(event) : undefined;
  }

  fire(event: string, ...args: unknown[]): void {
    const list = this.get(event);
    if (list) for (const fn of [...list]) fn(...args);
  }
}

