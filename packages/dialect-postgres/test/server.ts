/**
 * The PostgreSQL server the live tests use, and whether it answers. Decided synchronously
 * (a child process) because jest registers tests before anything async can run.
 */
import { spawnSync } from 'node:child_process';
import { createEngine, type Engine, type EngineOptions, type MetaData, text } from '@athanor/core';

export const URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const script = `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
export const available =
  spawnSync(process.execPath, ['-e', script, URL], { cwd: __dirname, timeout: 10000 }).status === 0;

/** `describe` when the server answers; otherwise one loud line and `describe.skip` — or a failure with CI=true. */
export function liveDescribe(what: string): typeof describe {
  if (available) return describe;
  if (process.env.CI === 'true')
    throw new Error(`PostgreSQL at ${URL} is unreachable (CI=true): ${what} cannot be skipped.`);
  console.warn(
    `!!! PostgreSQL ${what} SKIPPED: cannot reach ${URL}. Start it with \`pnpm db:start\` (or set ATHANOR_PG_URL). !!!`,
  );
  return describe.skip as unknown as typeof describe;
}

/**
 * For one describe block: an engine whose tables live in their own schema, created (with
 * `metadata`'s tables) before the tests and dropped, with everything in it, after them.
 * Call inside the block; the returned function gives the engine inside tests.
 */
export function engineInOwnSchema(schema: string, metadata: MetaData, options?: EngineOptions): () => Engine {
  let engine: Engine;
  beforeAll(async () => {
    engine = createEngine(URL, options);
    await engine.connect((c) => c.execute(text(`CREATE SCHEMA ${schema}`)));
    await metadata.createAll(engine);
  });
  afterAll(async () => {
    if (!available) return;
    try {
      await engine.connect((c) => c.execute(text(`DROP SCHEMA ${schema} CASCADE`)));
    } finally {
      await engine.dispose();
    }
  });
  return () => engine;
}
