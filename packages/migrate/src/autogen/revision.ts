import type { ResolvedConfig } from '../config';
import { MigrateError } from '../errors';
import type { Project } from '../runner/runner';
import type { CliIO } from '../commands/run';
export async function autogenerateRevision(_c: ResolvedConfig, _u: string, _p: Project, _d: string[]): Promise<{ upgradeBody?: string }> {
  throw new MigrateError('autogenerate: not yet');
}
export const autogenerate = autogenerateRevision;
export async function checkCommand(_c: ResolvedConfig, _u: string, _io: CliIO): Promise<number> {
  throw new MigrateError('check: not yet');
}
