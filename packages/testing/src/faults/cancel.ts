/** Statements canceled by an AbortSignal and by a timeout, on the server. */
import type { FaultContext } from './suite';

export function cancelTests(_ctx: FaultContext): void {}
