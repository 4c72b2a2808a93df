#!/usr/bin/env node
// Type-checking cost budget (issue: "a 50-table schema of 20-column tables and a realistic
// file of queries must type-check in a few seconds"). Generates such a schema and 200
// queries against it in a temp dir, runs `tsc --extendedDiagnostics`, prints time and
// instantiation counts.
//
//   node scripts/typecheck-budget.mjs            print the figures
//   node scripts/typecheck-budget.mjs --check    also fail (exit 1) when instantiations or types
//                                                grow more than 10% over the committed baseline
//                                                (scripts/typecheck-baseline.json); the test
//                                                command runs this. Wall time is printed, never
//                                                checked: it depends on the machine's load.
//   node scripts/typecheck-budget.mjs --write    record the current figures as the baseline
//                                                (after a deliberate change; say why in the commit)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const dir = mkdtempSync(join(tmpdir(), 'athanor-tsbudget-'));
const types = ['Integer', 'String(50)', 'Text', 'BigInteger', 'Boolean', 'DateTime', 'Numeric(10, 2)', 'Date', 'Float', 'JSON<{ a: number }>()'];
let schema = `import { Column, ForeignKey, MetaData, Table, Integer, String, Text, BigInteger, Boolean, DateTime, Numeric, Date, Float, JSON } from '@athanor/core';\nexport const metadata = new MetaData();\n`;
for (let t = 0; t < 50; t++) {
  schema += `export const t${t} = new Table('t${t}', metadata, {\n  id: Column(Integer, { primaryKey: true }),\n`;
  if (t > 0) schema += `  parentId: Column(Integer, ForeignKey('t${t - 1}.id'), { name: 'parent_id', nullable: false }),\n`;
  for (let c = 0; c < (t > 0 ? 18 : 19); c++) schema += `  c${c}: Column(${types[c % types.length]}${c % 3 === 0 ? ', { nullable: false }' : ''}),\n`;
  schema += '});\n';
}
let queries = `import { and, func, insert, select, update, desc } from '@athanor/core';\nimport * as s from './schema';\n`;
for (let q = 0; q < 200; q++) {
  const a = (q % 49) + 1;
  const b = a - 1;
  queries += `export const q${q} = select(s.t${a}.c.id, s.t${a}.c.c0, s.t${b}.c.c1, func.count(s.t${a}.c.c2).label('n'))
  .join(s.t${b}, s.t${a}.c.parentId.eq(s.t${b}.c.id))
  .where(and(s.t${a}.c.c0.gt(${q}), s.t${b}.c.c1.like('x%')))
  .groupBy(s.t${a}.c.id, s.t${a}.c.c0, s.t${b}.c.c1).orderBy(desc('n')).limit(10);
export const r${q}: { id: number; c0: number; c1: string | null; n: number } = {} as typeof q${q}.__row;
export const i${q} = insert(s.t${a}).values({ parentId: 1, c0: 1, c3: 'x', c6: '1.00', c9: { a: 1 }, c12: 2n, c15: new Date(), c18: 1.5 } as any);
export const u${q} = update(s.t${a}).values({ c1: 'y' }).where(s.t${a}.c.id.eq(${q}));
export const w${q} = select(s.t${a}).where(s.t${a}.c.id.in([1, 2, 3]));
`;
}
writeFileSync(join(dir, 'schema.ts'), schema);
writeFileSync(join(dir, 'queries.ts'), queries);
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true,
      types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
      paths: { '@athanor/core': [join(root, 'packages/core/src/index.ts')] },
    },
    files: ['schema.ts', 'queries.ts'],
  }),
);
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const started = Date.now();
let out;
try {
  out = execFileSync('node', [tsc, '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], { encoding: 'utf8' });
} catch (e) {
  console.error(`type errors in the generated program:\n${e.stdout}`);
  process.exit(1);
}
const wall = Date.now() - started;
const pick = (label) => out.split('\n').find((l) => l.startsWith(label))?.trim();
console.log(`50 tables x 20 columns, 200 queries x 4 statements: tsc wall ${wall} ms`);
for (const l of ['Check time', 'Total time', 'Instantiations', 'Types', 'Memory used']) console.log(`  ${pick(l)}`);
rmSync(dir, { recursive: true, force: true });

// Counts are deterministic for a given TypeScript version and source: a growth is a change
// in Athanor's types, not noise.
const counts = { instantiations: Number(pick('Instantiations').split(/\s+/).pop()), types: Number(pick('Types').split(/\s+/).pop()) };
const baselineFile = join(root, 'scripts', 'typecheck-baseline.json');
if (process.argv.includes('--write')) {
  writeFileSync(baselineFile, `${JSON.stringify({ typescript: tsVersion(), ...counts }, null, 2)}\n`);
  console.log(`baseline written to ${baselineFile}`);
} else if (process.argv.includes('--check')) {
  const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
  let over = false;
  for (const key of ['instantiations', 'types']) {
    const ratio = counts[key] / baseline[key];
    const line = `  ${key}: ${counts[key]} vs baseline ${baseline[key]} (${((ratio - 1) * 100).toFixed(1)}%)`;
    if (ratio > 1.1) {
      over = true;
      console.error(`${line}: more than 10% over the budget`);
    } else console.log(line);
  }
  if (over) {
    console.error('Type-check cost grew more than 10%: find the type that grew (tsc --generateTrace), or, if the growth is deliberate, record it with `node scripts/typecheck-budget.mjs --write`.');
    process.exit(1);
  }
}

function tsVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version;
}
