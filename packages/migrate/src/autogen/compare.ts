export interface SchemaDiff {
  ops: unknown[];
}
export async function compareMetadata(): Promise<SchemaDiff> {
  return { ops: [] };
}
