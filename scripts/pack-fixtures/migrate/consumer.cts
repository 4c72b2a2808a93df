// Scenario migrate+sqlite, TypeScript as CommonJS: the "require" types of @athanor/migrate.
import { MetaData } from '@athanor/core';
import { type Operations, downgrade } from '@athanor/migrate';

export async function down(op: Operations): Promise<void> {
  await op.dropColumn('tags', 'note');
  await op.dropTable('tags');
}

export async function run(): Promise<string[]> {
  const result = await downgrade({ metadata: new MetaData() }, 'base', { url: 'sqlite:///app.db' });
  return result.heads;
}
