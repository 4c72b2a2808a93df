/**
 * `createAll`/`dropAll` around the tables' sequences: CREATE SEQUENCE before the tables
 * whose defaults call it, DROP SEQUENCE after them, in the same transaction where the
 * bind allows. `checkFirst` becomes `IF NOT EXISTS` / `IF EXISTS` (PostgreSQL 9.5+, MariaDB).
 */
import { CreateSequence, DropSequence } from '../sql/ddl';
import type { ClauseElement } from '../sql/element';
import type { MetaData, SchemaRunner } from './metadata';
import type { Table } from './table';

type SchemaOptions = { checkFirst?: boolean; tables?: Table<any, any>[] };

/** What a `Connection` offers beyond `SchemaRunner` (structural: the schema layer does not import the engine). */
interface RunnerConnection extends SchemaRunner {
  readonly inTransaction: boolean;
  execute(statement: ClauseElement): Promise<unknown>;
  begin<T>(fn: (conn: RunnerConnection) => Promise<T>): Promise<T>;
}

/** What an `Engine` offers beyond `SchemaRunner`. */
interface RunnerEngine extends SchemaRunner {
  begin<T>(fn: (conn: RunnerConnection) => Promise<T>): Promise<T>;
}

const isConnection = (bind: SchemaRunner): bind is RunnerConnection => typeof (bind as any).execute === 'function';
const isEngine = (bind: SchemaRunner): bind is RunnerEngine => typeof (bind as any).begin === 'function';

export async function runSchemaWithSequences(bind: SchemaRunner, op: 'createAll' | 'dropAll', metadata: MetaData, options: SchemaOptions): Promise<void> {
  const tables = options.tables ? metadata.sortTables(options.tables) : metadata.sortedTables;
  const sequences = metadata.sequencesOf(tables);
  // No sequence (the common case), or a runner that only knows runSchemaOperation: the tables alone.
  if (!sequences.length || !(isConnection(bind) || isEngine(bind))) return bind.runSchemaOperation(op, metadata, options);
  const ifFlag = options.checkFirst ?? false;
  const run = async (conn: RunnerConnection) => {
    if (op === 'createAll') for (const seq of sequences) await conn.execute(new CreateSequence(seq, ifFlag));
    await conn.runSchemaOperation(op, metadata, options);
    if (op === 'dropAll') for (const seq of sequences) await conn.execute(new DropSequence(seq, ifFlag));
  };
  if (isConnection(bind)) return bind.inTransaction ? run(bind) : bind.begin(run);
  return (bind as RunnerEngine).begin(run);
}
