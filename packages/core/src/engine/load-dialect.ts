import { createRequire } from 'node:module';
import { NoSuchModuleError } from '../errors';
import type { DialectPlugin } from './plugin';

const PACKAGES: Record<string, string> = {
  sqlite: '@athanor/dialect-sqlite',
  postgresql: '@athanor/dialect-postgres',
  mysql: '@athanor/dialect-mysql',
};

const registry = new Map<string, DialectPlugin>();

/** Registers a dialect plugin under a URL scheme (third-party dialects, or to avoid package lookup). */
export function registerDialect(name: string, plugin: DialectPlugin): void {
  registry.set(name, plugin);
}

declare const module: { require?: (id: string) => any } | undefined;

/**
 * Finds the dialect package for a URL scheme: a registered plugin, else the installed
 * `@athanor/dialect-*` package (resolved from this package, then from the application's
 * working directory, which is where pnpm users have it). Core never imports a dialect statically.
 */
export function loadDialect(name: string): DialectPlugin {
  const registered = registry.get(name);
  if (registered) return registered;
  const pkg = PACKAGES[name];
  if (!pkg) throw new NoSuchModuleError(`No dialect for '${name}'. Known: ${Object.keys(PACKAGES).join(', ')}; or registerDialect('${name}', plugin).`);
  const loaders: ((id: string) => any)[] = [];
  // CommonJS (and jest, whose module.require honours its module mapping) first; then the
  // ESM build's own location; then the application's directory (pnpm's strict layout).
  if (typeof module !== 'undefined' && typeof module?.require === 'function') {
    const req = module.require.bind(module);
    loaders.push(req);
  }
  try {
    loaders.push(createRequire(import.meta.url));
  } catch {
    // No import.meta in this build: the loaders around it suffice.
  }
  loaders.push(createRequire(`${process.cwd()}/`));
  let lastError: unknown;
  for (const load of loaders) {
    try {
      const mod = load(pkg);
      const plugin: DialectPlugin | undefined = mod.athanorDialect ?? mod.default?.athanorDialect;
      if (plugin) {
        registry.set(name, plugin);
        return plugin;
      }
    } catch (e) {
      lastError = e;
      if ((e as any)?.code !== 'MODULE_NOT_FOUND' && (e as any)?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  throw new NoSuchModuleError(`The ${name} dialect is not installed: run \`npm install ${pkg}\` (it brings its driver).`, { cause: lastError });
}
