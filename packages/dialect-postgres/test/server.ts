/** The PostgreSQL server the live tests use, and whether it answers (the shared probe in @athanor/testing). */
import { createEngine, type Engine, type EngineOptions, type MetaData, text } from '@athanor/core';
import { liveServer } from '@athanor/testing';

export const URL = process.env.ATHANOR_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const server = liveServer('PostgreSQL', URL, 'ATHANOR_PG_URL');
export const available = server.available;

/** `describe` when the server answers; otherwise one loud line and `describe.skip` — or a failure when servers are required. */
export function liveDescribe(what: string): typeof describe {
  return server.describe(`PostgreSQL ${what}`) as unknown as typeof describe;
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
