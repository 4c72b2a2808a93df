/** An SVG bar chart of the ratios (log scale), written by hand from the JSON: no chart library. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Run } from './report';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartSvg(run: Run): string {
  const rows: { label: string; ratio: number; athanor: boolean; header?: string }[] = [];
  for (const [db, workloads] of Object.entries(run.databases)) {
    for (const w of workloads) {
      rows.push({ label: '', ratio: 0, athanor: false, header: `${db}: ${w.workload} (vs ${w.baseline})` });
      for (const r of w.results)
        if (r.ratio !== null)
          rows.push({ label: r.name, ratio: r.ratio, athanor: r.name.startsWith('athanor') });
    }
  }
  const rowH = 18;
  const left = 250;
  const width = 860;
  const plotW = width - left - 80;
  const maxLog = Math.log10(Math.max(2, ...rows.map((r) => r.ratio)));
  const minLog = Math.log10(Math.min(0.5, ...rows.filter((r) => r.ratio > 0).map((r) => r.ratio)));
  const x = (ratio: number) => left + ((Math.log10(ratio) - minLog) / (maxLog - minLog)) * plotW;
  const height = rows.length * rowH + 40;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="14" font-size="12">Time relative to the baseline (log scale; 1× = raw driver, Kysely for compile; lower is faster)</text>`,
    `<line x1="${x(1)}" y1="20" x2="${x(1)}" y2="${height - 10}" stroke="#888" stroke-dasharray="3,3"/>`,
  ];
  rows.forEach((r, i) => {
    const y = 26 + i * rowH;
    if (r.header) {
      out.push(`<text x="8" y="${y + 12}" font-weight="bold">${esc(r.header)}</text>`);
      return;
    }
    // Bars grow from the 1× line: right is slower than the baseline, left is faster.
    const x0 = Math.min(x(1), x(r.ratio));
    const w = Math.max(1, Math.abs(x(r.ratio) - x(1)));
    out.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(r.label)}</text>`);
    out.push(
      `<rect x="${x0.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${r.athanor ? '#d9730d' : '#9aa5b1'}"/>`,
    );
    out.push(
      `<text x="${(Math.max(x(1), x(r.ratio)) + 4).toFixed(1)}" y="${y + 12}">${r.ratio.toFixed(2)}×</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

// `pnpm --filter @athanor/bench chart`: redraw from the saved JSON.
if (process.argv[1]?.endsWith('chart.ts')) {
  const run = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8')) as Run;
  writeFileSync(new URL('../../apps/docs/public/benchmarks.svg', import.meta.url), chartSvg(run));
}
