/**
 * A throw-away project directory as a user has it: package.json, node_modules with the
 * @athanor packages (links to this workspace's built packages), athanor.config.ts, models
 * and migrations; `athanor(...)` runs the built command in it like `npx athanor ...` would.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const packages = join(__dirname, '..', '..');
export const BIN = join(packages, 'migrate', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Project {
  dir: string;
  write(path: string, text: string): void;
  athanor(...args: string[]): CliResult;
  /** Like athanor() but fails the test with the command's stderr when it exits non-zero. */
  ok(...args: string[]): string;
  remove(): void;
}

export function makeProject(url: string | undefined): Project {
  const dir = mkdtempSync(join(tmpdir(), 'athanor-migrate-'));
  mkdirSync(join(dir, 'node_modules', '@athanor'), { recursive: true });
  for (const p of ['core', 'orm', 'dialect-sqlite', 'dialect-postgres', 'dialect-mysql', 'migrate']) symlinkSync(join(packages, p), join(dir, 'node_modules', '@athanor', p), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const project: Project = {
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    athanor(...args) {
      const env = { ...process.env, ATHANOR_DATABASE_URL: url ?? '' };
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    ok(...args) {
      const r = project.athanor(...args);
      if (r.code !== 0) throw new Error(`athanor ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    },
    remove() {
      if (process.env.ATHANOR_KEEP_PROJECT) console.log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
  return project;
}

/** The statements of `--sql`/`--echo` output, without comments and transaction control. */
export function statementsOf(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(/;\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('--') && !/^(BEGIN|COMMIT)$/.test(s));
}
