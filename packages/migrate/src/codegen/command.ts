import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MetaData, createEngine, reflectMetadata } from '@athanor/core';
import type { CliIO } from '../commands/run';
import { DdlRenderer } from '../ops/ddl';
import { generateSource } from './generate';

/** `athanor codegen [--orm] [--out file]`: the database's tables as TypeScript (stdout without --out). */
export async function codegenCommand(url: string, options: { orm: boolean; out?: string; versionTable: string }, io: CliIO): Promise<number> {
  const engine = createEngine(url);
  try {
    const md = new MetaData();
    await reflectMetadata(md, engine, { only: (n) => n !== options.versionTable && !n.startsWith('_athanor_batch_') });
    const tables = md.sortedTables.filter((t) => t.schema === undefined);
    const source = generateSource(tables, engine.dialect.createCompiler(), new DdlRenderer(engine.dialect).kind, { orm: options.orm });
    if (options.out) {
      writeFileSync(resolve(io.cwd, options.out), source);
      io.err(`wrote ${options.out} (${tables.length} table${tables.length === 1 ? '' : 's'})`);
    } else io.out(source.trimEnd());
    return 0;
  } finally {
    await engine.dispose();
  }
}
