// Scenario migrate+sqlite, TypeScript as ESM: a config and a revision file as a user writes
// them, type-checked against the packed "import" types.
import { Column, Integer, MetaData, String, text } from '@athanor/core';
import { type AthanorConfig, type Operations, defineConfig, upgrade } from '@athanor/migrate';

const metadata = new MetaData();
export const config: AthanorConfig = defineConfig({ metadata, migrations: 'migrations', versionTable: 'athanor_version' });

export async function up(op: Operations): Promise<void> {
  await op.createTable('tags', { id: Column(Integer, { primaryKey: true }), label: Column(String(30)) });
  await op.addColumn('tags', 'note', Column(String(200)));
  await op.alterColumn('tags', 'label', { type: String(60), nullable: false, newName: 'name' });
  await op.batchAlterTable('tags', async (batch) => {
    await batch.dropColumn('note');
  });
  await op.execute(text("UPDATE tags SET name = 'x'"));
}

export async function run(): Promise<string[]> {
  const result = await upgrade(config, 'head', { url: 'sqlite:///app.db' });
  return result.heads;
}
