/**
 * Relationships a `raiseload` option marked on an object: reading them raises (as any
 * unloaded relationship does) and so does loading them later through `awaitableAttrs`.
 * Kept beside the state, not in it: only statements with raiseload pay for it.
 */
import type { InstanceState } from './instance-state';

const marks = new WeakMap<InstanceState, Set<string>>();

export function markRaise(state: InstanceState, name: string): void {
  let names = marks.get(state);
  if (names === undefined) marks.set(state, (names = new Set()));
  names.add(name);
}

export function raisesOn(state: InstanceState, name: string): boolean {
  return marks.get(state)?.has(name) === true;
}
