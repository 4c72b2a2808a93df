import type { Item } from './data';

/** What one library offers a suite: named variants per workload, and how to close. */
export interface Adapter {
  select?: Record<string, (id: number) => unknown>;
  fetch?: Record<string, () => unknown>;
  insert?: Record<string, (rows: Item[]) => unknown>;
  update?: Record<string, (rows: Item[]) => unknown>;
  close(): Promise<void>;
}

/** Table names a suite uses (unique per run on the servers). */
export interface Tables {
  items: string;
  inserts: string;
}

export interface WorkloadResult {
  workload: string;
  unit: string;
  /** The contender ratios are taken against. */
  baseline: string;
  ops: number;
  rounds: number;
  results: { name: string; median: number; min: number; max: number; ratio: number | null }[];
}
