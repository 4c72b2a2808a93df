/** The rows every contender reads and writes: integer, text, text, integer, datetime. */
export interface Item {
  id: number;
  name: string;
  email: string;
  score: number;
  createdAt: Date;
}

export function makeItems(n: number, offset = 0): Item[] {
  const base = Date.UTC(2024, 0, 1);
  const out: Item[] = [];
  for (let i = 1; i <= n; i++) {
    const id = i + offset;
    out.push({
      id,
      name: `name ${id}`,
      email: `user${id}@example.com`,
      score: id % 1000,
      createdAt: new Date(base + id * 60_000),
    });
  }
  return out;
}

/** SQLite stores DateTime as UTC text; this is the text every SQLite contender writes. */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Pseudo-random ids in 1..n, the same sequence for every contender. */
export function idSequence(count: number, n: number): number[] {
  const out = new Array<number>(count);
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = (x % n) + 1;
  }
  return out;
}

export function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`benchmark self-check failed: ${what}`);
}

/** The id of a row; of the first item of a list (all()); or the value itself (scalars()). */
export const idOf = (row: any): number => {
  const first = Array.isArray(row) ? row[0] : row;
  return Number(typeof first === 'object' && first !== null ? first.id : first);
};
