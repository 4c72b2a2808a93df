import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { MetaData } from '@athanor/core';
import { MigrateError } from './errors';
import { importFile } from './load-module';

/** What `athanor.config.ts` exports by default. */
export interface AthanorConfig {
  url?: string;
  metadata: MetaData | (() => MetaData | Promise<MetaData>);
  /** The revisions folder, relative to the config file (default 'migrations'). */
  migrations?: string;
  /** The table recording the applied revisions (default 'athanor_version'). */
  versionTable?: string;
}

/** A config file loaded and its paths resolved. */
export interface ResolvedConfig {
  root: string;
  file: string | undefined;
  url: string | undefined;
  migrationsDir: string;
  versionTable: string;
  metadata(): Promise<MetaData>;
}

export const CONFIG_FILES = ['athanor.config.ts', 'athanor.config.mts', 'athanor.config.mjs', 'athanor.config.js'];

/** Types a config in the user's `athanor.config.ts`: `export default defineConfig({ metadata })`. */
export function defineConfig(config: AthanorConfig): AthanorConfig {
  return config;
}

export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const p = join(root, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Checks and resolves a config object (from a file or given directly by a program). */
export function resolveConfig(config: AthanorConfig, root: string, file?: string): ResolvedConfig {
  if (config === null || typeof config !== 'object') throw new MigrateError(`${file ?? 'config'}: the default export must be an object { metadata, migrations?, url?, versionTable? }.`);
  const { metadata } = config;
  if (!(metadata instanceof MetaData) && typeof metadata !== 'function') {
    throw new MigrateError(`${file ?? 'config'}: 'metadata' must be a MetaData or a function returning one (got ${metadata === undefined ? 'nothing' : typeof metadata}).`);
  }
  const dir = config.migrations ?? 'migrations';
  const versionTable = config.versionTable ?? 'athanor_version';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(versionTable)) throw new MigrateError(`versionTable '${versionTable}': use letters, digits and underscores only.`);
  return {
    root,
    file,
    url: config.url,
    migrationsDir: isAbsolute(dir) ? dir : resolve(root, dir),
    versionTable,
    async metadata() {
      const md = typeof metadata === 'function' ? await metadata() : metadata;
      if (!(md instanceof MetaData)) throw new MigrateError(`${file ?? 'config'}: the 'metadata' function returned ${typeof md}, not a MetaData (is @athanor/core installed twice?).`);
      return md;
    },
  };
}

/** Loads `athanor.config.{ts,mts,mjs,js}` from `root`. */
export async function loadConfig(root: string): Promise<ResolvedConfig> {
  const file = findConfigFile(root);
  if (!file) throw new MigrateError(`No athanor.config.ts (or .mjs/.js) in ${root}: run \`npx athanor init\` to write one.`);
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (error) {
    throw new MigrateError(`${file} failed to load: ${(error as Error)?.message ?? error}`, { cause: error });
  }
  const config = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
  if (config === undefined) throw new MigrateError(`${file} has no default export: write \`export default { metadata, migrations: 'migrations' }\`.`);
  return resolveConfig(config as AthanorConfig, root, file);
}

/** The database URL: `--url`, else ATHANOR_DATABASE_URL, else the config's. */
export function databaseURL(config: ResolvedConfig, cliURL?: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = cliURL ?? (env.ATHANOR_DATABASE_URL || undefined) ?? config.url;
  if (!url) throw new MigrateError('No database URL: pass --url, set ATHANOR_DATABASE_URL, or give `url` in athanor.config.ts.');
  return url;
}
