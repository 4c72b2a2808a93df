import { databaseURL, findConfigFile, loadConfig } from '../config';
import { MigrateError } from '../errors';
import { loadRevisions, newRevisionId, writeRevisionFile } from '../revision/files';
import { resolveRevision, singleHead } from '../revision/target';
import { currentHeads, downgrade, loadProject, partialRevisions, stamp, upgrade } from '../runner/runner';
import { branches, describeRevision, history, line } from './describe';
import { init } from './scaffold';

export interface CliValues {
  message?: string;
  autogenerate?: boolean;
  head?: string;
  'branch-label'?: string[];
  'depends-on'?: string[];
  'rev-id'?: string;
  sql?: boolean;
  url?: string;
  verbose?: boolean;
  orm?: boolean;
  out?: string;
  echo?: boolean;
}

export interface CliIO {
  cwd: string;
  out(line: string): void;
  err(line: string): void;
}

function one(args: readonly string[], command: string, what: string): string {
  if (args.length !== 1) throw new MigrateError(`\`athanor ${command}\` takes one ${what} (got ${args.length ? args.join(' ') : 'none'}).`);
  return args[0];
}

/** Runs one command; resolves to the exit code (errors reject and the CLI prints one line). */
export async function runCommand(command: string, args: string[], v: CliValues, io: CliIO): Promise<number> {
  if (command === 'init') {
    for (const w of init(io.cwd)) io.out(`wrote ${w}`);
    return 0;
  }
  if (command === 'codegen' && !findConfigFile(io.cwd)) {
    // codegen reads a database; it needs no project, only a URL.
    const url = v.url ?? (process.env.ATHANOR_DATABASE_URL || undefined);
    if (!url) throw new MigrateError('codegen needs a database: pass --url or set ATHANOR_DATABASE_URL (or run it next to athanor.config.ts).');
    const { codegenCommand } = await import('../codegen/command');
    return codegenCommand(url, { orm: v.orm ?? false, out: v.out, versionTable: 'athanor_version' }, io);
  }
  const config = await loadConfig(io.cwd);
  const url = () => databaseURL(config, v.url);
  const echo = v.echo ? (sql: string) => io.out(`${sql};\n`) : undefined;
  switch (command) {
    case 'revision':
    case 'merge': {
      if (!v.message) throw new MigrateError(`\`athanor ${command}\` needs -m <message>.`);
      const { graph } = await loadRevisions(config.migrationsDir);
      let down: string[];
      if (command === 'merge') {
        if (args.length < 2) throw new MigrateError('`athanor merge -m <message> <rev> <rev>...` needs at least two revisions (see `athanor heads`).');
        down = [...new Set(args.map((a) => resolveRevision(graph, a)))];
      } else if (v.head) down = v.head === 'base' ? [] : [resolveRevision(graph, v.head)];
      else down = graph.size ? [singleHead(graph)] : [];
      const id = v['rev-id'] ?? newRevisionId();
      if (graph.has(id)) throw new MigrateError(`Revision '${id}' exists already.`);
      let bodies = {};
      if (v.autogenerate) {
        const { autogenerateRevision } = await import('../autogen/revision');
        bodies = await autogenerateRevision(config, url(), await loadProject(config), down);
      }
      const path = writeRevisionFile(config.migrationsDir, config.root, {
        id,
        message: v.message,
        down,
        branchLabels: v['branch-label'],
        dependsOn: v['depends-on']?.map((d) => resolveRevision(graph, d)),
        ...bodies,
      });
      io.out(path);
      return 0;
    }
    case 'upgrade':
    case 'downgrade': {
      let target = one(args, command, 'target');
      let from: string | undefined;
      if (target.includes(':')) {
        if (!v.sql) throw new MigrateError(`A range '${target}' is for offline mode: add --sql.`);
        [from, target] = target.split(':');
        from ||= 'base';
      }
      const project = await loadProject(config);
      const sqlOut = v.sql ? (sql: string) => io.out(sql.startsWith('--') ? sql : `${sql};\n`) : echo;
      const run = command === 'upgrade' ? upgrade : downgrade;
      const result = await run(project, target, { url: url(), sql: v.sql, from, onStatement: sqlOut, onProgress: io.err });
      if (!result.steps.length) io.err(`nothing to ${command}: the database is at ${result.heads.join(', ') || 'base'}`);
      return 0;
    }
    case 'stamp': {
      const project = await loadProject(config);
      const result = await stamp(project, one(args, command, 'target'), { url: url(), onStatement: echo });
      io.err(`stamped ${result.heads.join(', ') || 'base'}`);
      return 0;
    }
    case 'current': {
      const project = await loadProject(config);
      const heads = await currentHeads(project, url());
      if (!heads.length) io.out('(base)');
      for (const h of heads) io.out(project.graph.has(h) ? line(project.graph, h, heads) : `${h} (unknown revision)`);
      for (const p of await partialRevisions(project, url())) io.out(`${p.revision} (partially applied: ${p.committed} statement(s) committed before it failed; settle it with \`athanor stamp\`)`);
      return 0;
    }
    case 'heads': {
      const { graph } = await loadRevisions(config.migrationsDir);
      for (const h of graph.heads) io.out(line(graph, h));
      return 0;
    }
    case 'branches': {
      const { graph } = await loadRevisions(config.migrationsDir);
      for (const b of branches(graph)) io.out(b);
      return 0;
    }
    case 'history': {
      const { graph } = await loadRevisions(config.migrationsDir);
      for (const l of history(graph, v.verbose ?? false)) io.out(l);
      return 0;
    }
    case 'show': {
      const { graph } = await loadRevisions(config.migrationsDir);
      io.out(describeRevision(graph, resolveRevision(graph, one(args, command, 'revision'))));
      return 0;
    }
    case 'check': {
      const { checkCommand } = await import('../autogen/revision');
      return checkCommand(config, url(), io);
    }
    case 'codegen': {
      const { codegenCommand } = await import('../codegen/command');
      return codegenCommand(url(), { orm: v.orm ?? false, out: v.out, versionTable: config.versionTable }, io);
    }
    default:
      throw new MigrateError(`Unknown command '${command}'. Run \`athanor --help\` for the list.`);
  }
}
