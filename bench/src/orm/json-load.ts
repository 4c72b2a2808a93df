/**
 * The JSON strategy measured beside the others (issue #15): 1,000 parents × 10 children
 * loaded as Athanor objects with `selectinload` (two queries), `joinedload` (one query, rows
 * folded) and `jsonload` (one query, the children aggregated as JSON by the database), with
 * the raw driver's two queries (parents, then children by key, grouped in JS) as the
 * baseline. SQLite on a file, and PostgreSQL in a schema of its own when it is reachable.
 * The children's foreign key is indexed (jsonload's correlated subqueries look children up by it).
 * Its own workload, apart from the ORM suite (no other ORM has a JSON strategy to compare).
 *
 *   pnpm --filter @athanor/bench exec node --expose-gc --import tsx src/orm/json-load.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, type Engine, ForeignKey, Integer, Text, createEngine, insert, select } from '@athanor/core';
import { athanorDialect as postgresDialect } from '@athanor/dialect-postgres';
import { athanorDialect as sqliteDialect } from '@athanor/dialect-sqlite';
import { Session, declarativeBase, joinedload, jsonload, relationship, selectinload } from '@athanor/orm';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PG_URL, connectOrSkip } from '../contenders/postgres';
import { type Contender, measure } from '../harness';

const PARENTS = 1000;
const CHILDREN = 10;
const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
const warmup = 2;

function model() {
  const Base = declarativeBase();
  class Parent extends Base.mapped('jb_parent', { id: Column(Integer, { primaryKey: true, autoincrement: false }), name: Column(Text, { nullable: false }) }) {
    declare children: Child[];
  }
  class Child extends Base.mapped('jb_child', {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    parentId: Column(Integer, ForeignKey('jb_parent.id'), { name: 'parent_id', nullable: false, index: true }),
    title: Column(Text, { nullable: false }),
  }) {}
  Base.relationships(Parent, { children: relationship(Child) });
  return { Base, Parent, Child };
}

async function seed(engine: Engine, m: ReturnType<typeof model>) {
  await m.Base.metadata.createAll(engine);
  await engine.begin(async (c) => {
    await c.execute(insert(m.Parent.table), Array.from({ length: PARENTS }, (_, i) => ({ id: i + 1, name: `parent ${i + 1}` })));
    const children = Array.from({ length: PARENTS * CHILDREN }, (_, i) => ({ id: i + 1, parentId: Math.floor(i / CHILDREN) + 1, title: `child ${i + 1}` }));
    await c.execute(insert(m.Child.table), children);
  });
}

type Raw = () => Promise<number> | number;

/** Athanor's three strategies, each a new session per sample; every one answers the number of children. */
function athanorContenders(engine: Engine, m: ReturnType<typeof model>, raw: Raw): Contender[] {
  const { Parent } = m;
  const run = (option: unknown) => async () => {
    const s = new Session(engine);
    try {
      const parents = (await s.scalars(select(Parent).options(option as never))).all();
      return parents.reduce((n, p) => n + p.children.length, 0);
    } finally {
      await s.close();
    }
  };
  return [
    { name: 'raw driver, two queries', run: raw },
    { name: 'athanor selectinload', run: run(selectinload(Parent, 'children')) },
    { name: 'athanor joinedload', run: run(joinedload(Parent, 'children')) },
    { name: 'athanor jsonload', run: run(jsonload(Parent, 'children')) },
  ];
}

async function check(contenders: Contender[]) {
  for (const c of contenders) {
    const n = await c.run();
    if (n !== PARENTS * CHILDREN) throw new Error(`${c.name} loaded ${String(n)} children, not ${PARENTS * CHILDREN}`);
  }
}

function group(parents: { id: number }[], children: { parent_id: number }[]): number {
  const byId = new Map<number, unknown[]>();
  for (const p of parents) byId.set(p.id, []);
  for (const c of children) byId.get(c.parent_id)!.push(c);
  let n = 0;
  for (const list of byId.values()) n += list.length;
  return n;
}

async function report(db: string, contenders: Contender[]) {
  await check(contenders);
  const stats = await measure(contenders, { rounds, warmup, opsPerSample: 1 });
  const base = stats[0].median;
  console.log(`\n${db}: ${PARENTS} parents × ${CHILDREN} children (median of ${rounds} rounds)`);
  console.log('| contender | ms | × raw |\n| --- | ---: | ---: |');
  for (const s of stats) console.log(`| ${s.name} | ${(s.median / 1000).toFixed(2)} | ${(s.median / base).toFixed(2)} |`);
}

async function sqlite() {
  const file = join(tmpdir(), `athanor_jsonbench_${process.pid}.db`);
  const m = model();
  const engine = createEngine(`sqlite:///${file}`, { dialect: sqliteDialect, poolSize: 1 });
  const db = new Database(file);
  try {
    await seed(engine, m);
    db.pragma('journal_mode = WAL');
    const parents = db.prepare('SELECT id, name FROM jb_parent');
    const raw = () => {
      const ps = parents.all() as { id: number }[];
      const ids = ps.map((p) => p.id);
      const children = db.prepare(`SELECT id, parent_id, title FROM jb_child WHERE parent_id IN (${ids.map(() => '?').join(', ')})`).all(ids);
      return group(ps, children as { parent_id: number }[]);
    };
    await report('SQLite (file)', athanorContenders(engine, m, raw));
  } finally {
    db.close();
    await engine.dispose();
    rmSync(file, { force: true });
  }
}

async function postgres() {
  const admin = await connectOrSkip(console.log);
  if (!admin) return;
  const schema = `athanor_jsonbench_${process.pid}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const options = `-c search_path=${schema}`;
  const m = model();
  const engine = createEngine(PG_URL, { dialect: postgresDialect, poolSize: 1, driverOptions: { options } });
  const c = new pg.Client({ connectionString: PG_URL, options });
  try {
    await seed(engine, m);
    await c.connect();
    await c.query('ANALYZE jb_parent; ANALYZE jb_child');
    const raw = async () => {
      const ps = (await c.query({ name: 'parents', text: 'SELECT id, name FROM jb_parent' })).rows;
      const children = await c.query({ name: 'children', text: 'SELECT id, parent_id, title FROM jb_child WHERE parent_id = ANY($1)', values: [ps.map((p) => p.id)] });
      return group(ps, children.rows);
    };
    await report('PostgreSQL', athanorContenders(engine, m, raw));
  } finally {
    await c.end().catch(() => undefined);
    await engine.dispose();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

await sqlite();
await postgres();
