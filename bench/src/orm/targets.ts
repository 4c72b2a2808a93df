/** The ORM targets as one table: each ORM's ratio, per database, against the limit set for it. */
import type { WorkloadResult } from '../types';
import { W } from './workloads';

interface Target {
  what: string;
  limit: number;
  /** The ratio for an ORM in one database's results, or null when that row is missing. */
  ratio(results: WorkloadResult[], orm: string): number | null;
}

const ratioOf = (results: WorkloadResult[], workload: (w: string) => boolean, contender: string) => {
  const w = results.find((r) => workload(r.workload));
  return w?.results.find((r) => r.name === contender)?.ratio ?? null;
};

const TARGETS: Target[] = [
  {
    what: 'get by PK, empty identity map / raw',
    limit: 3,
    ratio: (r, o) => ratioOf(r, (w) => w === W.get, o),
  },
  {
    what: 'fetch 10,000 entities / raw',
    limit: 1.5,
    ratio: (r, o) => ratioOf(r, (w) => w.startsWith('fetch '), o),
  },
  {
    what: 'flush 1 dirty among 10,000 / among 10',
    limit: 2,
    ratio: (r, o) => {
      const w = r.find((x) => x.workload === W.flushOne(o));
      return w?.results[1]?.ratio ?? null;
    },
  },
  {
    what: 'flush 10,000 new / raw multi-row INSERT',
    limit: 1.5,
    ratio: (r, o) => ratioOf(r, (w) => w.endsWith(' new'), o),
  },
  {
    what: 'flush 10,000 dirty / raw prepared UPDATE loop',
    limit: 2,
    ratio: (r, o) => ratioOf(r, (w) => w.endsWith(' dirty'), o),
  },
  {
    what: 'selectin 1,000 × 10 / raw two queries',
    limit: 1.3,
    ratio: (r, o) => ratioOf(r, (w) => w.startsWith('selectin'), o),
  },
  {
    what: 'joined 1,000 × 10 / raw LEFT JOIN folded',
    limit: 2,
    ratio: (r, o) => ratioOf(r, (w) => w.startsWith('joined'), o),
  },
];

export function targetsTable(databases: Record<string, WorkloadResult[]>, orms: string[]): string {
  const dbs = Object.keys(databases);
  const head = ['target', 'limit', ...dbs.flatMap((db) => orms.map((o) => `${db}: ${o}`))];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const t of TARGETS) {
    const cells = dbs.flatMap((db) =>
      orms.map((o) => {
        const x = t.ratio(databases[db], o);
        if (x === null) return '—';
        const verdict = Number.isNaN(t.limit) || o !== 'athanor' ? '' : x <= t.limit ? ' ✓' : ' ✗';
        return `${x.toFixed(2)}×${verdict}`;
      }),
    );
    lines.push(`| ${t.what} | ${Number.isNaN(t.limit) ? '—' : `≤ ${t.limit}×`} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
