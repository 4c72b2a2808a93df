/**
 * @athanor/migrate — schema migrations (the `athanor` command) and its programmatic API:
 * `upgrade(config, 'head', { url })`, `downgrade(...)`, `autogenerate(...)`, `compareMetadata(...)`.
 *
 * @packageDocumentation
 */
import { type AthanorConfig, type ResolvedConfig, resolveConfig } from './config';
import { MigrateError } from './errors';
import { type AutogenerateResult, autogenerate as autogenerateFor } from './autogen/revision';
import { type RevisionModule, revisionsFromModules } from './revision/files';
import { type Project, type RunOptions, type RunResult, currentHeads, downgrade as runDowngrade, loadProject, upgrade as runUpgrade } from './runner/runner';

export { MigrateError, MigrationStepError } from './errors';
export { defineConfig, loadConfig, resolveConfig, databaseURL, type AthanorConfig, type ResolvedConfig } from './config';
export { Operations, type AlterColumnOptions, type AlterEnumOptions } from './ops/operations';
export { BatchOperations, type BatchOptions } from './ops/batch';
export type { ConstraintType, DialectKind, ForeignKeyOps, IndexElement } from './ops/ddl';
export type { RevisionModule } from './revision/files';
export { RevisionGraph, type RevisionNode } from './revision/graph';
export type { RunOptions, RunResult } from './runner/runner';
export type { Step } from './runner/plan';
export { compareMetadata, describeDiff, type DiffOp, type SchemaDiff } from './autogen/compare';
export type { AutogenerateResult } from './autogen/revision';
export { generateSource, type CodegenOptions } from './codegen/generate';

type ConfigArg = AthanorConfig | ResolvedConfig;

/** Options of the programmatic commands: the URL (else the config's), and revisions in memory instead of the folder. */
export interface ApiOptions extends Partial<RunOptions> {
  /** Where relative paths of the config resolve (default: the working directory). */
  root?: string;
  /** Revision modules to use instead of importing the migrations folder. */
  revisions?: readonly RevisionModule[];
}

const resolved = (c: ConfigArg, root = process.cwd()): ResolvedConfig => ('migrationsDir' in c ? c : resolveConfig(c, root));

async function prepare(config: ConfigArg, options: ApiOptions, what: string): Promise<{ project: Project; url: string }> {
  const c = resolved(config, options.root);
  const url = options.url ?? c.url;
  if (!url) throw new MigrateError(`${what}(): no url in the options or the config.`);
  const project = options.revisions ? { config: c, ...revisionsFromModules(options.revisions) } : await loadProject(c);
  return { project, url };
}

/** Applies revisions up to `target` (as `athanor upgrade <target>`); `{ sql: true }` renders instead. */
export async function upgrade(config: ConfigArg, target: string, options: ApiOptions = {}): Promise<RunResult> {
  const { project, url } = await prepare(config, options, 'upgrade');
  return runUpgrade(project, target, { ...options, url });
}

/** Undoes revisions down to `target` (as `athanor downgrade <target>`). */
export async function downgrade(config: ConfigArg, target: string, options: ApiOptions = {}): Promise<RunResult> {
  const { project, url } = await prepare(config, options, 'downgrade');
  return runDowngrade(project, target, { ...options, url });
}

/** The revisions the database records as applied (its heads). */
export async function current(config: ConfigArg, options: ApiOptions = {}): Promise<string[]> {
  const { project, url } = await prepare(config, options, 'current');
  return currentHeads(project, url);
}

/** Compares the config's metadata with the database: the differences and the `op` source of a revision making them. */
export async function autogenerate(config: ConfigArg, options: { url?: string; root?: string } = {}): Promise<AutogenerateResult> {
  const c = resolved(config, options.root);
  const url = options.url ?? c.url;
  if (!url) throw new MigrateError('autogenerate(): no url in the options or the config.');
  return autogenerateFor(c, url);
}
