/**
 * What a test needs of a project in which it runs the `athanor` command, however the project
 * was made (linked to the workspace, or installed from the packed tarballs), and how it reads
 * the SQL that `--sql`/`--echo` print. No Node globals of CommonJS: the packaging test loads it as ESM.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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

/**
 * A Project over a directory: `command` is how the command starts there (argv before the
 * athanor arguments: the built cli.js, or `npx --no-install athanor`), with the database URL
 * in ATHANOR_DATABASE_URL as a user sets it.
 */
export function projectAt(dir: string, command: readonly string[], url: string | undefined): Project {
  const project: Project = {
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    athanor(...args) {
      const env = { ...process.env, ATHANOR_DATABASE_URL: url ?? '' };
      const r = spawnSync(command[0], [...command.slice(1), ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
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

/** The lines (trimmed) of upgrade()'s and downgrade()'s bodies in a generated revision file. */
export function revisionBodies(text: string): { up: string[]; down: string[] } {
  const body = (fn: string) => {
    const start = text.indexOf(`export async function ${fn}(op: Operations): Promise<void> {\n`);
    return text
      .slice(text.indexOf('\n', start) + 1, text.indexOf('\n}\n', start))
      .split('\n')
      .map((l) => l.trim());
  };
  return { up: body('upgrade'), down: body('downgrade') };
}
