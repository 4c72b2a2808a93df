import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConfigFile } from '../config';
import { MigrateError } from '../errors';

const CONFIG_TEMPLATE = `import { MetaData } from '@athanor/core';

// Point this at your models' MetaData, e.g. \`import { metadata } from './src/models';\`
const metadata = new MetaData();

export default {
  metadata,
  migrations: 'migrations',
  // url: 'sqlite:///app.db',          // or ATHANOR_DATABASE_URL, or --url
  // versionTable: 'athanor_version',
};
`;

/** `athanor init`: a config (unless one exists) and the migrations folder. Returns what it wrote. */
export function init(root: string): string[] {
  const written: string[] = [];
  const existing = findConfigFile(root);
  if (!existing) {
    writeFileSync(join(root, 'athanor.config.ts'), CONFIG_TEMPLATE);
    written.push('athanor.config.ts');
  }
  const dir = join(root, 'migrations');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    written.push('migrations/');
  }
  if (!written.length) throw new MigrateError(`Nothing to do: ${existing} and migrations/ exist already.`);
  return written;
}
