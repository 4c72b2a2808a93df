/**
 * SVG bar charts of the ratios, one per database, written by hand from the JSON (no chart
 * library), and the block of the docs page that shows them.
 *
 * Made to be read on a phone: each contender's name sits on its own line above its bar, so
 * the chart is narrow (a 420-unit viewBox that the page scales to its column), and the text
 * stays at least ~11 px on a 390 px screen. Each workload has its own axis: linear from 0
 * when every ratio is at most LINEAR_UP_TO (differences near 1× stay visible), logarithmic
 * around the 1× line otherwise. A ratio under 0.01 is written with its significant digits
 * (never "0.00×").
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { formatRatio, type Run } from './report';

const LINEAR_UP_TO = 4;
const WIDTH = 420;
const PAD = 8;
const LABEL_H = 15;
const BAR_H = 11;
const ROW_H = LABEL_H + BAR_H + 8;
const HEADER_H = 40;
/** Room right of the longest bar for its ratio label. */
const VALUE_W = 62;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** File name of a database's chart: `benchmarks-sqlite-in-memory.svg`. */
export function chartFile(db: string): string {
  return `benchmarks-${db.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`;
}

interface Axis {
  kind: 'linear' | 'log';
  /** x of a ratio, in viewBox units. */
  x(ratio: number): number;
}

function axisFor(ratios: number[]): Axis {
  const left = PAD;
  const plotW = WIDTH - PAD - VALUE_W;
  const max = Math.max(1, ...ratios);
  if (max <= LINEAR_UP_TO) {
    const top = max * 1.05;
    return { kind: 'linear', x: (r) => left + (Math.max(0, r) / top) * plotW };
  }
  const positive = ratios.filter((r) => r > 0);
  const lo = Math.log10(Math.min(0.5, ...positive));
  const hi = Math.log10(max);
  return { kind: 'log', x: (r) => left + ((Math.log10(Math.max(r, 10 ** lo)) - lo) / (hi - lo)) * plotW };
}

export function chartSvg(db: string, workloads: Run['databases'][string]): string {
  const body: string[] = [];
  let y = 0;
  for (const w of workloads) {
    const rows = w.results.filter((r) => r.ratio !== null) as { name: string; ratio: number }[];
    if (rows.length === 0) continue;
    const axis = axisFor(rows.map((r) => r.ratio));
    const scale = axis.kind === 'linear' ? 'linear scale' : 'log scale';
    body.push(
      `<text x="${PAD}" y="${y + 18}" font-weight="bold" font-size="15">${esc(w.workload)}</text>`,
      `<text x="${PAD}" y="${y + 34}" fill="#555">ratio to ${esc(w.baseline)} (${scale}; lower is faster)</text>`,
    );
    const top = y + HEADER_H;
    const bottom = top + rows.length * ROW_H;
    const one = axis.x(1).toFixed(1);
    body.push(`<line x1="${one}" y1="${top}" x2="${one}" y2="${bottom}" stroke="#888" stroke-dasharray="3,3"/>`);
    rows.forEach((r, i) => {
      const ry = top + i * ROW_H;
      const athanor = r.name.startsWith('athanor');
      // Linear: bars grow from 0. Log: from the 1× line, right is slower, left is faster.
      const from = axis.kind === 'linear' ? axis.x(0) : Math.min(axis.x(1), axis.x(r.ratio));
      const to = axis.kind === 'linear' ? axis.x(r.ratio) : Math.max(axis.x(1), axis.x(r.ratio));
      const barW = Math.max(1.5, to - from);
      body.push(
        `<text x="${PAD}" y="${ry + 12}"${athanor ? ' font-weight="bold"' : ''}>${esc(r.name)}</text>`,
        `<rect x="${from.toFixed(1)}" y="${ry + LABEL_H}" width="${barW.toFixed(1)}" height="${BAR_H}" fill="${athanor ? '#d9730d' : '#9aa5b1'}"/>`,
        `<text x="${(from + barW + 4).toFixed(1)}" y="${ry + LABEL_H + BAR_H - 1}">${formatRatio(r.ratio)}</text>`,
      );
    });
    y = bottom + 12;
  }
  const height = Math.ceil(y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="13" role="img" aria-label="${esc(`Benchmark ratios: ${db}`)}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** The Markdown block of the docs page that shows every chart, one section per database. */
export function chartsMarkdown(run: Run): string {
  return Object.keys(run.databases)
    .map((db) => `**${esc(db)}**\n\n![Ratios on ${esc(db)}](/${chartFile(db)})\n`)
    .join('\n');
}

const docs = new URL('../../apps/docs/', import.meta.url);

/** Writes one SVG per database into the docs' public/ and the charts block of benchmarks.md. */
export function writeCharts(run: Run): void {
  for (const [db, workloads] of Object.entries(run.databases)) {
    writeFileSync(new URL(`public/${chartFile(db)}`, docs), chartSvg(db, workloads));
  }
  const page = new URL('benchmarks.md', docs);
  if (!existsSync(page)) return;
  const re = /(<!-- charts:start -->\n)[\s\S]*(<!-- charts:end -->)/;
  const text = readFileSync(page, 'utf8');
  if (re.test(text)) writeFileSync(page, text.replace(re, (_m, start, end) => `${start}${chartsMarkdown(run)}${end}`));
}

// `pnpm --filter @athanor/bench chart`: redraw from the saved JSON.
if (process.argv[1]?.endsWith('chart.ts')) {
  writeCharts(JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8')) as Run);
}
