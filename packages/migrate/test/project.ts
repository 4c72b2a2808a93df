/**
 * A throw-away project directory as a user has it: package.json, node_modules with the
 * @athanor packages (links to this workspace's built packages), athanor.config.ts, models
 * and migrations; `athanor(...)` runs the built command in it like `npx athanor ...` would.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
