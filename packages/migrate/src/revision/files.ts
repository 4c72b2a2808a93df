import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MigrateError } from '../errors';
import { importFile } from '../load-module';
import type { Operations } from '../ops/operations';
import { tsString, tsStringList } from '../source';
import { type RevisionNode, RevisionGraph } from './graph';

/** What a revision file exports. */
export interface RevisionModule {
  revision: string;
  downRevision: string | readonly string[] | null;
  branchLabels?: string | readonly string[];
  dependsOn?: string | readonly string[];
  message?: string;
  upgrade(op: Operations): void | Promise<void>;
  downgrade(op: Operations): void | Promise<void>;
}

export interface LoadedRevision extends RevisionNode {
  module: RevisionModule;
}

const REVISION_FILE = /^[^.].*\.(ts|mts|js|mjs)$/;

const asList = (v: string | readonly string[] | null | undefined): string[] => (v == null ? [] : typeof v === 'string' ? [v] : [...v]);

/** Checks one revision module and describes it for the graph; `where` names it in errors. */
export function revisionOf(mod: Record<string, any>, where: string): LoadedRevision {
  const problem =
    typeof mod.revision !== 'string' || !mod.revision
      ? "no string export 'revision'"
      : mod.downRevision === undefined
        ? "no export 'downRevision' (null for a first revision)"
        : typeof mod.upgrade !== 'function' || typeof mod.downgrade !== 'function'
          ? "'upgrade' and 'downgrade' must be exported functions"
          : undefined;
  if (problem) throw new MigrateError(`Revision ${where}: ${problem}.`);
  const m = mod as RevisionModule;
  return { id: m.revision, down: asList(m.downRevision), dependsOn: asList(m.dependsOn), branchLabels: asList(m.branchLabels), message: m.message ?? '', file: where, module: m };
}

/** A graph from revision modules given in memory (tests, tools): `upgrade(config, 'head', { revisions })`. */
export function revisionsFromModules(modules: readonly RevisionModule[]): { graph: RevisionGraph; revisions: Map<string, LoadedRevision> } {
  const revisions = new Map<string, LoadedRevision>();
  for (const [i, m] of modules.entries()) {
    const r = revisionOf(m as unknown as Record<string, any>, `#${i} ('${(m as RevisionModule).revision}')`);
    revisions.set(r.id, r);
  }
  return { graph: new RevisionGraph([...revisions.values()]), revisions };
}

/** Imports every revision file of the folder and builds the graph (refusing bad files by name). */
export async function loadRevisions(dir: string): Promise<{ graph: RevisionGraph; revisions: Map<string, LoadedRevision> }> {
  const revisions = new Map<string, LoadedRevision>();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => REVISION_FILE.test(f) && !f.endsWith('.d.ts')).sort() : [];
  for (const f of files) {
    const path = join(dir, f);
    let mod: Record<string, any>;
    try {
      mod = await importFile(path);
    } catch (error) {
      throw new MigrateError(`Revision file ${path} failed to load: ${(error as Error)?.message ?? error}`, { cause: error });
    }
    // A CommonJS-shaped module comes back with its exports under default.
    if (mod.revision === undefined && mod.default && typeof mod.default === 'object') mod = mod.default;
    const r = revisionOf(mod, `file ${path}`);
    r.file = path;
    revisions.set(r.id, r);
  }
  return { graph: new RevisionGraph([...revisions.values()]), revisions };
}

export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

export function slugOf(message: string): string {
  return (
    message
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'revision'
  );
}

export interface RevisionFileSpec {
  id: string;
  message: string;
  down: readonly string[];
  branchLabels?: readonly string[];
  dependsOn?: readonly string[];
  /** Imports the bodies need, from @athanor/core. */
  coreImports?: readonly string[];
  upgradeBody?: string;
  downgradeBody?: string;
}


/** The source text of a new revision file. */
export function renderRevisionFile(spec: RevisionFileSpec): string {
  const down = spec.down.length === 0 ? 'null' : spec.down.length === 1 ? tsString(spec.down[0]) : tsStringList(spec.down);
  const imports = [...new Set(spec.coreImports ?? [])].sort();
  const lines = [
    `/**`,
    ` * ${spec.message.replace(/\*\//g, '* /')}`,
    ` *`,
    ` * Revision: ${spec.id}`,
    ` * Revises: ${spec.down.join(', ') || '(base)'}`,
    ` * Created: ${new Date().toISOString()}`,
    ` */`,
    `import type { Operations } from '@athanor/migrate';`,
    ...(imports.length ? [`import { ${imports.join(', ')} } from '@athanor/core';`] : []),
    '',
    `export const revision = ${tsString(spec.id)};`,
    `export const downRevision: string | string[] | null = ${down};`,
    ...(spec.branchLabels?.length ? [`export const branchLabels = ${tsStringList(spec.branchLabels)};`] : []),
    ...(spec.dependsOn?.length ? [`export const dependsOn = ${tsStringList(spec.dependsOn)};`] : []),
    `export const message = ${tsString(spec.message)};`,
    '',
    `export async function upgrade(op: Operations): Promise<void> {`,
    spec.upgradeBody ?? '  // op.createTable(...), op.addColumn(...), ...',
    `}`,
    '',
    `export async function downgrade(op: Operations): Promise<void> {`,
    spec.downgradeBody ?? '  // undo upgrade(), in reverse order',
    `}`,
    '',
  ];
  return lines.join('\n');
}

/** Writes `<dir>/<id>_<slug>.ts` and returns its path relative to `root`. */
export function writeRevisionFile(dir: string, root: string, spec: RevisionFileSpec): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${spec.id}_${slugOf(spec.message)}.ts`);
  if (existsSync(path)) throw new MigrateError(`${path} exists already.`);
  writeFileSync(path, renderRevisionFile(spec));
  return relative(root, path) || path;
}
