/**
 * Explicit relationship loads (`await obj.awaitableAttrs.posts`) issued in the same tick
 * are gathered and run as one load per relationship on a microtask: `await
 * Promise.all(users.map((u) => u.awaitableAttrs.posts))` is one `SELECT ... IN (...)`, not
 * one per user (a per-session dataloader). Loads that still run one object at a time,
 * awaited in a loop, are what the optional N+1 detector reports.
 */
import type { Relationship } from '../relationship';
import type { InstanceState } from '../state/instance-state';

/** What the detector reports: one relationship loaded one object at a time, again and again. */
export interface NPlusOneWarning {
  /** `User.posts`. */
  readonly relationship: string;
  /** How many single-object loads of it ran so far. */
  readonly loads: number;
  readonly message: string;
}

/** Called when the N+1 detector sees one relationship lazily loaded object by object; replaces the default console warning. */
export type NPlusOneHandler = (warning: NPlusOneWarning) => void;

/** Single-object loads of one relationship before the detector speaks. */
export const N_PLUS_ONE_THRESHOLD = 3;

interface Batch {
  readonly states: InstanceState[];
  readonly done: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

export class LoadBatcher {
  private queued: Map<Relationship, Batch> | undefined;
  /** Single-object loads per relationship, for the detector (made only when it is on). */
  private readonly singles: Map<Relationship, number> | undefined;

  constructor(
    /** Runs one batch as a session call (in the session's call order). */
    private readonly runBatch: (rel: Relationship, states: readonly InstanceState[]) => Promise<void>,
    private readonly onNPlusOne: NPlusOneHandler | undefined,
  ) {
    this.singles = onNPlusOne ? new Map() : undefined;
  }

  /** Loads `rel` on `st` together with every other load of `rel` asked for in this tick. */
  load(st: InstanceState, rel: Relationship): Promise<void> {
    let queued = this.queued;
    if (queued === undefined) {
      queued = this.queued = new Map();
      queueMicrotask(() => this.dispatch());
    }
    let batch = queued.get(rel);
    if (batch === undefined) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      batch = { states: [], resolve, reject, done };
      queued.set(rel, batch);
    }
    if (!batch.states.includes(st)) batch.states.push(st);
    return batch.done;
  }

  private dispatch(): void {
    const queued = this.queued!;
    this.queued = undefined;
    for (const [rel, batch] of queued) {
      this.count(rel, batch.states.length);
      this.runBatch(rel, batch.states).then(batch.resolve, batch.reject);
    }
  }

  private count(rel: Relationship, size: number): void {
    const singles = this.singles;
    if (singles === undefined) return;
    if (size > 1) {
      singles.delete(rel);
      return;
    }
    const loads = (singles.get(rel) ?? 0) + 1;
    singles.set(rel, loads);
    if (loads !== N_PLUS_ONE_THRESHOLD) return;
    const name = `${rel.parent.name}.${rel.name}`;
    this.onNPlusOne!({
      relationship: name,
      loads,
      message:
        `N+1 loading: ${name} was loaded for one object at a time ${loads} times in a row (one query each). ` +
        `Load it with the query (.options(selectinload(${rel.parent.name}, '${rel.name}'))) or for all objects at once ` +
        `(await Promise.all(objs.map((o) => o.awaitableAttrs.${rel.name}))).`,
    });
  }
}
