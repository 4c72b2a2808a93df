/** Prints the functions with the most self time in a .cpuprofile (tsx src/top.ts file [count]). */
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
}

/** One line per function, most self time first: share of the samples, name, file:line. */
export function topSelf(prof: CpuProfile, count = 25): string[] {
  const self = new Map<string, number>();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const counts = new Map<number, number>();
  for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  let total = 0;
  for (const [id, c] of counts) {
    const cf = byId.get(id)!.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + c);
    total += c;
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

if (process.argv[1]?.endsWith('top.ts')) {
  const prof = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CpuProfile;
  for (const line of topSelf(prof, Number(process.argv[3] ?? 25))) console.log(line);
}
