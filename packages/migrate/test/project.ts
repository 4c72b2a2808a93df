/**
 * A throw-away project directory as a user has it: package.json, node_modules with the
 * @athanor packages (links to this workspace's built packages), athanor.config.ts, models
 * and migrations; `athanor(...)` runs the built command in it like `npx athanor ...` would.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FreshDatabase } from './databases';
import { type Project, projectAt } from './command';

export { type CliResult, type Project, statementsOf } from './command';

const packages = join(__dirname, '..', '..');
export const BIN = join(packages, 'migrate', 'dist', 'cli.js');

export function makeProject(url: string | undefined): Project {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-migrate-'));
  mkdirSync(join(dir, 'node_modules', '@athanor'), { recursive: true });
  for (const p of ['core', 'orm', 'dialect-sqlite', 'dialect-postgres', 'dialect-mysql', 'migrate']) symlinkSync(join(packages, p), join(dir, 'node_modules', '@athanor', p), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  return projectAt(dir, [process.execPath, BIN], url);
}

/** The config of a project whose models are in models.ts and revisions in migrations/. */
export const MODELS_CONFIG = "import { metadata } from './models';\nexport default { metadata, migrations: 'migrations' };\n";

/** A project made by freshProject(): read its fields inside tests and hooks (they are set in beforeAll). */
export interface FreshProject {
  readonly project: Project;
  /** The fresh database's URL (the project's ATHANOR_DATABASE_URL). */
  readonly url: string;
}

/**
 * For the enclosing describe: a fresh database of `db` and a project on it with `models` as
 * models.ts and MODELS_CONFIG, made before its tests and removed (the database dropped) after.
 * A describe's own beforeAll declared after this call runs after it, with the project made.
 */
export function freshProject(db: { fresh(): Promise<FreshDatabase> }, models: string): FreshProject {
  let fresh: FreshDatabase | undefined;
  let project: Project | undefined;
  beforeAll(async () => {
    fresh = await db.fresh();
    project = makeProject(fresh.url);
    project.write('athanor.config.ts', MODELS_CONFIG);
    project.write('models.ts', models);
  });
  afterAll(async () => {
    project?.remove();
    await fresh?.drop();
  });
  return {
    get project() {
      return project!;
    },
    get url() {
      return fresh!.url;
    },
  };
}
