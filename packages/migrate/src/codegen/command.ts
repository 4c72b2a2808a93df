import { MigrateError } from '../errors';
import type { CliIO } from '../commands/run';
export async function codegenCommand(_u: string, _o: { orm: boolean; out?: string }, _io: CliIO): Promise<number> {
  throw new MigrateError('codegen: not yet');
}
