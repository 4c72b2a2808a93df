/**
 * `pnpm bench` (or `tsx src/main.ts [--quick] [--only sqlite,postgres,mysql,compile,orm]`):
 * runs every workload, writes results/latest.json, results/latest.md and the docs chart
 * (a run with --only or --quick writes results/partial.json and partial.md instead).
 * `orm` is `orm-sqlite` plus `orm-postgres` (`pnpm --filter @athanor/bench bench:orm`);
 * `--orms athanor` runs only those ORMs (default athanor,mikro-orm,typeorm) against the raw drivers,
 * `--workloads get,flush-one` only those ORM workloads (get, fetch, flush-one, insert, update, selectin, joined, jsonload).
 * `--select-only --rounds 15`: only the select-by-primary-key workload of each database, in
 * more rounds (for comparing select rows on a busy machine); `--rounds` sets the ORM workloads'
 * rounds too (`--only orm --quick --workloads insert,update --rounds 15`: medians a busy machine
 * cannot swing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeCharts } from './chart';
import { compileWorkload } from './compile';
import { machineInfo } from './machine';
import { ORM_NAMES, type OrmRun } from './orm/suite';
import { targetsTable } from './orm/targets';
import { type Run, markdown } from './report';
import { sqliteSuite } from './suites/sqlite';
import type { WorkloadResult } from './types';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = (
  onlyArg > 0
    ? process.argv[onlyArg + 1].split(',')
    : ['compile', 'sqlite', 'sqlite-memory', 'postgres', 'mysql', 'orm']
).flatMap((g) => (g === 'orm' ? ['orm-sqlite', 'orm-postgres'] : [g]));
const log = (s: string) => console.error(`[bench] ${s}`);

const selectOnly = process.argv.includes('--select-only');
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? { rounds: Number(process.argv[roundsArg + 1]) } : {};
const local = {
  ...(quick
    ? { rounds: 3, warmup: 1, selectOps: 5_000, fetchReps: 2, rows: 10_000, updates: 1_000 }
    : { rounds: 5, warmup: 1, selectOps: 20_000, fetchReps: 3, rows: 10_000, updates: 1_000 }),
  selectOnly,
  ...rounds,
};
// Loopback round trips are ~50 µs: fewer selects keep a server run within minutes.
const server = {
  ...(quick
    ? { ...local, rounds: 2, selectOps: 500, fetchReps: 1 }
    : { ...local, rounds: 3, warmup: 1, selectOps: 2_000, fetchReps: 1 }),
  ...rounds,
};

const run: Run = { machine: machineInfo(), quick, databases: {} };
if (only.includes('compile')) {
  log('compile');
  run.databases.compile = [
    await compileWorkload({ rounds: local.rounds, warmup: local.warmup, ops: quick ? 2_000 : 10_000 }),
  ];
}
if (only.includes('sqlite')) run.databases.sqlite = await sqliteSuite(local, log);
if (only.includes('sqlite-memory')) {
  const { sqliteMemorySuite } = await import('./suites/sqlite-memory');
  run.databases['sqlite (in memory)'] = await sqliteMemorySuite(local, log);
}
if (only.includes('postgres')) {
  const { postgresSuite } = await import('./suites/postgres');
  const r = await postgresSuite(server, log);
  if (r) run.databases.postgresql = r;
}
if (only.includes('mysql')) {
  const { mysqlSuite } = await import('./suites/mysql');
  const r = await mysqlSuite(server, log);
  if (r) run.databases.mariadb = r;
}

const ormsArg = process.argv.indexOf('--orms');
const orms = ormsArg > 0 ? process.argv[ormsArg + 1].split(',') : [...ORM_NAMES];
const workloadsArg = process.argv.indexOf('--workloads');
const workloads = workloadsArg > 0 ? process.argv[workloadsArg + 1].split(',') : undefined;
const ormSizes = {
  ...(quick
    ? { rounds: 3, warmup: 1, gets: 2_000, rows: 10_000, fewLoaded: 10, parents: 1_000, workloads }
    : { rounds: 5, warmup: 1, gets: 10_000, rows: 10_000, fewLoaded: 10, parents: 1_000, workloads }),
  ...rounds,
};
// Loopback round trips: fewer gets, and in a quick run two rounds (a PostgreSQL flush of 10,000 rows takes seconds).
const serverOrmSizes = { ...ormSizes, gets: ormSizes.gets / 5, rounds: quick ? 2 : ormSizes.rounds, ...rounds };
const ormDatabases: Record<string, WorkloadResult[]> = {};
const ormFailures: string[] = [];
// An ORM failure (the ORM changes often) is reported loudly; the other workloads and groups still run.
async function ormGroup(key: string, suite: () => Promise<OrmRun | undefined>) {
  try {
    const r = await suite();
    if (r) ormDatabases[key] = run.databases[key] = r.results;
    ormFailures.push(...(r?.failures ?? []));
  } catch (e) {
    log(`!!! ${key} FAILED: ${(e as Error).stack ?? e}`);
    ormFailures.push(`${key}: ${(e as Error).message ?? e}`);
  }
  if (ormFailures.length) process.exitCode = 1;
}
if (only.includes('orm-sqlite')) {
  const { sqliteOrmSuite } = await import('./orm/sqlite');
  await ormGroup('orm: sqlite', () => sqliteOrmSuite(ormSizes, orms, log));
}
if (only.includes('orm-postgres')) {
  const { postgresOrmSuite } = await import('./orm/postgres');
  await ormGroup('orm: postgresql', () => postgresOrmSuite(serverOrmSizes, orms, log));
}

const results = new URL('../results/', import.meta.url);
mkdirSync(results, { recursive: true });
// A partial or quick run (the ORM group rerun after each change) leaves the published full results alone.
const full = !quick && onlyArg < 0 && !selectOnly && roundsArg < 0;
const stem = full ? 'latest' : 'partial';
writeFileSync(new URL(`${stem}.json`, results), `${JSON.stringify(run, null, 2)}\n`);
const ormTargets = Object.keys(ormDatabases).length
  ? `\n### ORM targets\n\nEach ORM's ratio in this run (✓/✗: Athanor against the target).\n\n${targetsTable(ormDatabases, orms)}\n`
  : '';
const failures = ormFailures.length
  ? `\n### ORM failures\n\n${ormFailures.map((f) => `- ${f}`).join('\n')}\n`
  : '';
const md = markdown(run) + ormTargets + failures;
writeFileSync(new URL(`${stem}.md`, results), md);
if (full) {
  writeCharts(run);
  // Only a full run (no --only, not --quick) updates the docs. The docs page keeps its prose; only the block between the markers is replaced.
  const page = new URL('../../apps/docs/benchmarks.md', import.meta.url);
  if (existsSync(page)) {
    const text = readFileSync(page, 'utf8');
    const re = /(<!-- results:start -->\n)[\s\S]*(<!-- results:end -->)/;
    if (re.test(text))
      writeFileSync(
        page,
        text.replace(re, (_m, start, end) => `${start}${md}\n${end}`),
      );
  }
}
console.log(md);
