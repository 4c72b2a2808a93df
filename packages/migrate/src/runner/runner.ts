import { type Connection, createEngine, type Engine } from '@athanor/core';
import type { ResolvedConfig } from '../config';
import { MigrateError, MigrationStepError } from '../errors';
import { DdlRenderer } from '../ops/ddl';
import { Operations } from '../ops/operations';
import type { SqlSink } from '../ops/sink';
import { type LoadedRevision, loadRevisions } from '../revision/files';
import type { RevisionGraph } from '../revision/graph';
import { upgradeTargets } from '../revision/target';
import { type Step, planDowngrade, planUpgrade, stampHeads } from './plan';
import { committedStatements, partialFailureNote, partialMarker, refuseWhilePartial } from './partial';
import { VersionTable } from './version-table';

/** Options of `upgrade()`/`downgrade()`: the database URL, offline SQL rendering (and the revision it starts from), and callbacks for each statement and progress line. */
export interface RunOptions {
  /** The database URL (the CLI resolves --url, ATHANOR_DATABASE_URL, then the config). */
  url: string;
  /** Offline: render the SQL instead of running it; `from` is where the database is ('base' when omitted). */
  sql?: boolean;
  from?: string;
  /** Every statement, online or offline, as it is run or rendered. */
  onStatement?: (sql: string) => void;
  /** One line per revision (with its time), and notes. */
  onProgress?: (line: string) => void;
}

/** What an upgrade or downgrade did: the steps taken, every statement run (or rendered), and the heads afterwards. */
export interface RunResult {
  steps: Step[];
  /** Every statement run (online) or rendered (offline), in order. */
  statements: string[];
  heads: string[];
}

const short = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '(base)');

/** A loaded project: config, revisions and graph. */
export interface Project {
  config: ResolvedConfig;
  graph: RevisionGraph;
  revisions: Map<string, LoadedRevision>;
}

export async function loadProject(config: ResolvedConfig): Promise<Project> {
  const { graph, revisions } = await loadRevisions(config.migrationsDir);
  return { config, graph, revisions };
}

/** Runs statements on a connection (online) or collects them (offline); both record them. */
class Recorder implements SqlSink {
  readonly statements: string[] = [];
  constructor(
    readonly connection: Connection | undefined,
    private readonly onStatement?: (sql: string) => void,
  ) {}
  get offline(): boolean {
    return this.connection === undefined;
  }
  /** The statement being run: what a failure names. */
  current: string | undefined;
  async run(sql: string): Promise<void> {
    this.current = sql;
    this.statements.push(sql);
    this.onStatement?.(sql);
    if (this.connection) await this.connection.execDriverSQL(sql);
    this.current = undefined;
  }
}

async function withEngine<T>(url: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine(url);
  try {
    return await fn(engine);
  } finally {
    await engine.dispose();
  }
}

/** Runs the steps of a plan, each in its own transaction, updating the version table in it. */
async function runSteps(project: Project, r: DdlRenderer, vt: VersionTable, sink: Recorder, steps: Step[], options: RunOptions): Promise<void> {
  const sqlite = r.kind === 'sqlite';
  if (r.kind === 'mysql' && steps.length && !options.sql) options.onProgress?.('note: MySQL/MariaDB commit each DDL statement implicitly: a failed revision can leave its earlier statements applied (the version table then still names the last complete revision and records what stayed: see `athanor current`).');
  for (const step of steps) {
    const rev = project.revisions.get(step.revision)!;
    const started = performance.now();
    const ops = new Operations(r, sink);
    const verb = step.direction === 'upgrade' ? `${short(step.headsBefore)} -> ${step.revision}` : `${step.revision} -> ${short(step.headsAfter)}`;
    if (options.sql) await sink.run(`-- ${step.direction} ${verb}: ${rev.message}`.replace(/\n/g, ' '));
    // SQLite: foreign keys are checked by statement; a table rebuild needs them off, outside a transaction.
    if (sqlite) await sink.run('PRAGMA foreign_keys = OFF');
    const conn = sink.connection;
    const stepStart = sink.statements.length;
    try {
      if (conn) await conn.begin();
      else await sink.run('BEGIN');
      try {
        await rev.module[step.direction](ops);
        await ops.flush();
        if (sqlite) await foreignKeyCheck(sink, step.revision);
        for (const s of vt.changeSQL(step.headsBefore, step.headsAfter)) await sink.run(s);
        sink.current = 'COMMIT';
        if (conn) await conn.commit();
        else await sink.run('COMMIT');
      } catch (error) {
        const failed = sink.current;
        if (conn?.inTransaction) await conn.rollback().catch(() => {});
        const note = conn && r.kind === 'mysql' ? await recordPartial(conn, vt, sink, stepStart, step.revision, short(step.headsBefore)) : '';
        throw new MigrationStepError(
          `${step.direction} of revision ${step.revision} (${rev.file}) failed${failed ? ` at: ${failed.replace(/\s+/g, ' ')}` : ''}: ${(error as Error)?.message ?? error}. ${note || `The version table is left at ${short(step.headsBefore)}.`}`,
          step.revision,
          failed,
          { cause: error },
        );
      }
    } finally {
      if (sqlite) await sink.run('PRAGMA foreign_keys = ON');
    }
    options.onProgress?.(`${step.direction} ${verb}, ${rev.message} (${(performance.now() - started).toFixed(0)} ms)`);
  }
}

/**
 * MySQL/MariaDB after a failed step: the statements that stayed committed are recorded as a
 * marker row in the version table; returns what the error must say ('' when none stayed).
 */
async function recordPartial(conn: Connection, vt: VersionTable, sink: Recorder, stepStart: number, revision: string, before: string): Promise<string> {
  // The failed statement was recorded before it ran: it is not among those that ran.
  const end = sink.current !== undefined && sink.statements.at(-1) === sink.current ? sink.statements.length - 1 : sink.statements.length;
  const committed = committedStatements(sink.statements.slice(stepStart, end));
  if (!committed.length) return '';
  await conn.execDriverSQL(vt.markSQL(partialMarker(revision, committed.length)));
  return partialFailureNote(revision, before, committed).trim();
}

async function foreignKeyCheck(sink: Recorder, revision: string): Promise<void> {
  if (!sink.connection) return;
  const { rows } = await sink.connection.execDriverSQL('PRAGMA foreign_key_check');
  if (rows.length) throw new MigrateError(`revision ${revision} leaves ${rows.length} row(s) violating foreign keys (first: table '${rows[0][0]}', rowid ${rows[0][1]}, refers to '${rows[0][2]}').`);
}

type Planner = (graph: RevisionGraph, target: string, heads: readonly string[]) => Step[];

async function migrate(project: Project, target: string, options: RunOptions, plan: Planner): Promise<RunResult> {
  return withEngine(options.url, async (engine) => {
    const r = new DdlRenderer(engine.dialect, (await project.config.metadata()).namingConvention);
    const vt = new VersionTable(project.config.versionTable, r);
    if (options.sql) {
      const sink = new Recorder(undefined, options.onStatement);
      const from = options.from ? project.graph.headsOf(project.graph.ancestors(upgradeTargets(project.graph, options.from, []))) : [];
      if (from.length === 0 && plan === planUpgrade) for (const s of vt.createSQL()) await sink.run(s);
      const steps = plan(project.graph, target, from);
      await runSteps(project, r, vt, sink, steps, options);
      return { steps, statements: sink.statements, heads: steps.at(-1)?.headsAfter ?? from };
    }
    return engine.connect(async (conn) => {
      const sink = new Recorder(conn, options.onStatement);
      if (!(await vt.exists(conn))) {
        for (const s of vt.createSQL()) await sink.run(s);
      }
      const heads = await vt.read(conn);
      const partial = await vt.readPartial(conn);
      for (const h of heads) if (!project.graph.has(h)) throw new MigrateError(`The version table holds '${h}', which no revision file in ${project.config.migrationsDir} defines.`);
      const steps = plan(project.graph, target, heads);
      if (partial.length && steps.length) throw refuseWhilePartial(partial);
      await runSteps(project, r, vt, sink, steps, options);
      return { steps, statements: sink.statements, heads: await vt.read(conn) };
    });
  });
}

/** `athanor upgrade <target>`: applies what the target needs and is not applied. */
export function upgrade(project: Project, target: string, options: RunOptions): Promise<RunResult> {
  return migrate(project, target, options, planUpgrade);
}

/** `athanor downgrade <target>`: undoes what was applied after the target. */
export function downgrade(project: Project, target: string, options: RunOptions): Promise<RunResult> {
  if (options.sql && !options.from) throw new MigrateError('downgrade --sql needs the range <from>:<to> (offline, the database cannot say where it is).');
  return migrate(project, target, options, planDowngrade);
}

/** Revisions a MySQL/MariaDB failure left partially applied ([] almost always). */
export async function partialRevisions(project: Project, url: string) {
  return withEngine(url, (engine) =>
    engine.connect(async (conn) => {
      const vt = new VersionTable(project.config.versionTable, new DdlRenderer(engine.dialect));
      return (await vt.exists(conn)) ? vt.readPartial(conn) : [];
    }),
  );
}

/** The heads recorded in the database ([] when nothing is applied or the table does not exist). */
export async function currentHeads(project: Project, url: string): Promise<string[]> {
  return withEngine(url, (engine) =>
    engine.connect(async (conn) => {
      const vt = new VersionTable(project.config.versionTable, new DdlRenderer(engine.dialect));
      return (await vt.exists(conn)) ? vt.read(conn) : [];
    }),
  );
}

/** `athanor stamp <target>`: records the target as applied without running anything. */
export async function stamp(project: Project, target: string, options: RunOptions): Promise<RunResult> {
  return withEngine(options.url, (engine) =>
    engine.connect(async (conn) => {
      const r = new DdlRenderer(engine.dialect);
      const vt = new VersionTable(project.config.versionTable, r);
      const sink = new Recorder(conn, options.onStatement);
      if (!(await vt.exists(conn))) for (const s of vt.createSQL()) await sink.run(s);
      const before = await vt.read(conn);
      const after = stampHeads(project.graph, target, before);
      const partial = await vt.readPartial(conn);
      await conn.begin(async () => {
        for (const s of vt.changeSQL(before, after)) await sink.run(s);
        // Stamping is how a partially applied revision is settled (partial.ts).
        if (partial.length) await sink.run(vt.clearPartialSQL());
      });
      return { steps: [], statements: sink.statements, heads: after };
    }),
  );
}
