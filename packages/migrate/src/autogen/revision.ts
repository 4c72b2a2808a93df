import { createEngine } from '@athanor/core';
import type { CliIO } from '../commands/run';
import type { ResolvedConfig } from '../config';
import { MigrateError } from '../errors';
import { DdlRenderer } from '../ops/ddl';
import { type Project, loadProject } from '../runner/runner';
import { VersionTable } from '../runner/version-table';
import { type SchemaDiff, compareMetadata, describeDiff } from './compare';
import { type RenderedRevision, renderDiff } from './render';

/** What `autogenerate()` returns: the revision source rendered from the differences, and the differences themselves. */
export interface AutogenerateResult extends RenderedRevision {
  diff: SchemaDiff;
}

/**
 * Compares the config's metadata with the database and renders the difference as `op` calls.
 * `expectHeads`: the revisions the new one will follow; the database must be at exactly those
 * (else the comparison would include changes an unapplied revision already makes).
 */
export async function autogenerate(config: ResolvedConfig, url: string, expectHeads?: readonly string[]): Promise<AutogenerateResult> {
  const metadata = await config.metadata();
  const engine = createEngine(url);
  try {
    return await engine.connect(async (conn) => {
      const r = new DdlRenderer(engine.dialect);
      const vt = new VersionTable(config.versionTable, r);
      if (expectHeads) {
        const at = (await vt.exists(conn)) ? await vt.read(conn) : [];
        const want = [...expectHeads].sort();
        if (at.join(',') !== want.join(',')) {
          throw new MigrateError(`The database is at ${at.join(', ') || 'base'}, not at ${want.join(', ') || 'base'}: run \`athanor upgrade ${want.length > 1 ? 'heads' : want[0] ?? 'head'}\` first, so the comparison sees only what the new revision must do.`);
        }
      }
      const diff = await compareMetadata(metadata, conn, { exclude: [config.versionTable] });
      return { ...renderDiff(diff, engine.dialect.createCompiler(), r.kind), diff };
    });
  } finally {
    await engine.dispose();
  }
}

/** `revision --autogenerate`: the bodies and imports of the new file. */
export async function autogenerateRevision(config: ResolvedConfig, url: string, _project: Project, down: string[]): Promise<RenderedRevision> {
  const { upgradeBody, downgradeBody, coreImports } = await autogenerate(config, url, down);
  return { upgradeBody, downgradeBody, coreImports };
}

/** `athanor check`: 0 when the database (at head) matches the metadata, 1 with the list of differences. */
export async function checkCommand(config: ResolvedConfig, url: string, io: CliIO): Promise<number> {
  const project = await loadProject(config);
  const { diff } = await autogenerate(config, url, project.graph.heads);
  if (!diff.ops.length) {
    io.out('No differences between the models and the database.');
    return 0;
  }
  for (const op of diff.ops) io.out(describeDiff(op));
  io.err(`athanor: ${diff.ops.length} difference(s) between the models and the database: run \`athanor revision --autogenerate -m "..."\``);
  return 1;
}
