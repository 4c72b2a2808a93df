/** Static types of revision files and `op`: what a user writes compiles, misuse does not. */
import { Column, Integer, MetaData, String, Table, text } from '@athanor/core';
import { type AthanorConfig, type BatchOperations, type DialectKind, type Operations, type RevisionModule, type RunResult, defineConfig, upgrade } from '@athanor/migrate';
import { type Equal, expectType } from './assert';

declare const op: Operations;

export const rev: RevisionModule = {
  revision: 'a1',
  downRevision: ['b1', 'c1'],
  branchLabels: 'feature',
  async upgrade(o) {
    await o.createTable('tags', { id: Column(Integer, { primaryKey: true }), label: Column(String(30)) });
    await o.addColumn('tags', 'note', Column(String(200)));
    await o.alterColumn('tags', 'label', { type: String(60), nullable: false, serverDefault: null, newName: 'name', comment: 'shown' });
    await o.execute(text('SELECT 1'));
    await o.bulkInsert(new Table('tags', new MetaData(), { id: Column(Integer, { primaryKey: true }) }), [{ id: 1 }]);
    await o.batchAlterTable('tags', async (batch) => {
      expectType<Equal<typeof batch, BatchOperations>>(true);
      await batch.dropColumn('note');
    });
  },
  downgrade: async () => {},
};

expectType<Equal<typeof op.dialect, DialectKind>>(true);
expectType<Equal<DialectKind, 'sqlite' | 'postgresql' | 'mysql'>>(true);
expectType<Equal<ReturnType<typeof op.dropTable>, Promise<void>>>(true);

// @ts-expect-error a column is a Core Column(), not a type
op.addColumn('tags', 'x', String(10));
// @ts-expect-error alterColumn's options are checked: 'nulable' is not one
op.alterColumn('tags', 'x', { nulable: true });
// @ts-expect-error dropConstraint's type is one of four words
op.dropConstraint('x', 't', { type: 'fk' });
// @ts-expect-error a revision file's downRevision is a string, a list or null
export const bad: RevisionModule = { revision: 'x', downRevision: 1, upgrade: async () => {}, downgrade: async () => {} };

const config: AthanorConfig = defineConfig({ metadata: new MetaData(), migrations: 'migrations' });
// @ts-expect-error metadata is required
defineConfig({ migrations: 'migrations' });
export const result: Promise<RunResult> = upgrade(config, 'head', { url: 'sqlite://', revisions: [rev] });
