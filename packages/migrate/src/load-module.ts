import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

let registered = false;

/**
 * Imports a config or revision file as written: TypeScript runs without a build step through
 * tsx's loader, registered once for the process (not tsx's namespaced `tsImport`: that would
 * load a second copy of @athanor/core, whose MetaData and Tables the migration code could not
 * recognise). `.mjs`/`.js` files pass through the loader unchanged.
 */
export async function importFile(path: string): Promise<Record<string, unknown>> {
  if (!registered && /\.[mc]?tsx?$/.test(path)) {
    register();
    registered = true;
  }
  // A query makes a re-import after the file changed (a new revision written) load the new text.
  return (await import(`${pathToFileURL(path).href}`)) as Record<string, unknown>;
}
