/**
 * The history scenario (history-scenario.ts) on SQLite (file), PostgreSQL and MariaDB, in a
 * project whose node_modules link this workspace's built packages: the quick loop while
 * developing. The packaging test runs the same steps on a project installed from the packed
 * tarballs through `npx athanor` (scripts/pack-test.mjs, scenario migrate-history).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type FreshDatabase, describeEach } from './databases';
import { HISTORY_STEPS, type HistoryContext, writeHistory } from './history-scenario';
import { type Project, makeProject } from './project';

jest.setTimeout(300_000);

const root = join(__dirname, '..', '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tsx = require.resolve('tsx', { paths: [join(__dirname, '..')] });

describeEach((db) => {
  let fresh: FreshDatabase;
  let spare: FreshDatabase;
  let project: Project;
  let ctx: HistoryContext;

  beforeAll(async () => {
    fresh = await db.fresh();
    spare = await db.fresh();
    project = makeProject(fresh.url);
    ctx = {
      dialect: db.name,
      url: fresh.url,
      spareUrl: spare.url,
      project,
      typecheck: (dir) => {
        const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
        return r.stdout + r.stderr;
      },
      runTypeScript: (dir, file, env) => spawnSync(process.execPath, ['--import', tsx, file], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } }),
    };
    writeHistory(ctx);
  });
  afterAll(async () => {
    project?.remove();
    await fresh?.drop();
    await spare?.drop();
  });

  // The steps build on each other (each starts where the previous one left the database).
  for (const [name, step] of HISTORY_STEPS) test(name, async () => step(ctx));
});
