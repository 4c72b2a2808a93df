/** The markdown table of medians and ratios to the baseline (the raw driver; Kysely for compile). */
import type { WorkloadResult } from './types';

export interface Run {
  machine: Record<string, unknown>;
  quick: boolean;
  databases: Record<string, WorkloadResult[]>;
}

/** A ratio with two decimals, or its significant digits under 0.01 (never "0.00×"). */
export function formatRatio(ratio: number): string {
  if (ratio >= 0.01) return `${ratio.toFixed(2)}×`;
  return `${Number(ratio.toPrecision(2))}×`;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function markdown(run: Run): string {
  const m = run.machine as any;
  const lines = [
    `Measured ${m.date} on ${m.nproc} × ${m.cpu}, Node ${m.node}${run.quick ? ' (quick run: few rounds, not for publishing)' : ''}.`,
    `Libraries: ${Object.entries(m.libraries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  ];
  for (const [db, workloads] of Object.entries(run.databases)) {
    lines.push(`### ${db}`, '');
    lines.push(
      '| workload | contender | median | spread (min–max) | ratio |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const w of workloads) {
      for (const r of w.results) {
        const ratio = r.ratio === null ? '—' : formatRatio(r.ratio);
        lines.push(
          `| ${w.workload} | ${r.name} | ${fmt(r.median)} ${w.unit} | ${fmt(r.min)}–${fmt(r.max)} | ${ratio} |`,
        );
      }
    }
    lines.push(
      '',
      `Ratios are to ${[...new Set(workloads.map((w) => w.baseline))].join(' / ')} in the same run.`,
      '',
    );
  }
  return lines.join('\n');
}
