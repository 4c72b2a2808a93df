/**
 * @athanor/migrate — schema migrations (the `athanor` command) and its programmatic API:
 * `upgrade(config, 'head', { url })`, `downgrade(...)`, `autogenerate(...)`, `compareMetadata(...)`.
 */
import { type AthanorConfig, type ResolvedConfig, resolveConfig } from './config';
import { MigrateError } from './errors';
import { type RunOptions, type RunResult, downgrade as runDowngrade, loadProject, upgrade as runUpgrade } from './runner/runner';

export { MigrateError, MigrationStepError } from './errors';
export { defineConfig, loadConfig, resolveConfig, databaseURL, type AthanorConfig, type ResolvedConfig } from './config';
export { Operations, type AlterColumnOptions } from './ops/operations';
export { BatchOperations, type BatchOptions } from './ops/batch';
export type { ConstraintType, DialectKind, ForeignKeyOps, IndexElement } from './ops/ddl';
export type { RevisionModule } from './revision/files';
export { RevisionGraph, type RevisionNode } from './revision/graph';
export type { RunOptions, RunResult } from './runner/runner';
export type { Step } from './runner/plan';
export { compareMetadata, describeDiff, type DiffOp, type SchemaDiff } from './autogen/compare';
export { autogenerate, type AutogenerateResult } from './autogen/revision';
export { generateSource, type CodegenOptions } from './codegen/generate';

type ConfigArg = AthanorConfig | ResolvedConfig;

const resolved = (c: ConfigArg, root = process.cwd()): ResolvedConfig => ('migrationsDir' in c ? c : resolveConfig(c, root));

/** Applies revisions up to `target` (as `athanor upgrade <target>`). `options.url` falls back to the config's. */
export async function upgrade(config: ConfigArg, target: string, options: Partial<RunOptions> & { root?: string } = {}): Promise<RunResult> {
  const c = resolved(config, options.root);
  const url = options.url ?? c.url;
  if (!url) throw new MigrateError('upgrade(): no url in the options or the config.');
  return runUpgrade(await loadProject(c), target, { ...options, url });
}

/** Undoes revisions down to `target` (as `athanor downgrade <target>`). */
export async function downgrade(config: ConfigArg, target: string, options: Partial<RunOptions> & { root?: string } = {}): Promise<RunResult> {
  const c = resolved(config, options.root);
  const url = options.url ?? c.url;
  if (!url) throw new MigrateError('downgrade(): no url in the options or the config.');
  return runDowngrade(await loadProject(c), target, { ...options, url });
}
