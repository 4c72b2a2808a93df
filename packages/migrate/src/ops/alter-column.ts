import { type ClauseElement, Column, Integer, type TypeArg, toType } from '@athanor/core';
import { MigrateError } from '../errors';
import type { DdlRenderer } from './ddl';

export type ServerDefault = string | number | boolean | ClauseElement;

/** `op.alterColumn(table, column, options)`: what changes, and (MySQL, offline) what the column is now. */
export interface AlterColumnOptions {
  type?: TypeArg<any>;
  nullable?: boolean;
  /** A new default; null drops it. */
  serverDefault?: ServerDefault | null;
  newName?: string;
  /** A new comment; null drops it. */
  comment?: string | null;
  /** The column as it is (MySQL restates a column in full; read from the database when online). */
  existingType?: TypeArg<any>;
  existingNullable?: boolean;
  existingServerDefault?: ServerDefault | null;
  existingComment?: string | null;
  /** PostgreSQL: the USING expression converting old values on a type change, e.g. `"price"::numeric`. */
  using?: string;
  schema?: string;
}

const has = (o: AlterColumnOptions, k: keyof AlterColumnOptions) => Object.hasOwn(o, k) && o[k] !== undefined;

/** The SQL of a default as it appears after DEFAULT (Core's rendering, through a throw-away column). */
function defaultSQL(r: DdlRenderer, value: ServerDefault): string {
  const t = r.scratch().table('t', { x: Column(Integer, { serverDefault: value as any, nullable: true }) });
  const spec = r.columnSpec(t.columns[0]);
  const at = spec.indexOf(' DEFAULT ');
  return spec.slice(at + ' DEFAULT '.length);
}

export function alterColumnSQL(r: DdlRenderer, table: string, column: string, o: AlterColumnOptions): string[] {
  const known = ['type', 'nullable', 'serverDefault', 'newName', 'comment', 'existingType', 'existingNullable', 'existingServerDefault', 'existingComment', 'using', 'schema'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new MigrateError(`alterColumn('${table}', '${column}'): unknown option '${k}' (known: ${known.join(', ')}).`);
  const changes = ['type', 'nullable', 'serverDefault', 'newName', 'comment'].filter((k) => Object.hasOwn(o, k) && (o as any)[k] !== undefined);
  if (changes.length === 0) throw new MigrateError(`alterColumn('${table}', '${column}'): nothing to change; give type, nullable, serverDefault, newName or comment.`);
  if (r.kind === 'postgresql') return postgres(r, table, column, o);
  if (r.kind === 'mysql') return mysql(r, table, column, o);
  if (changes.length === 1 && has(o, 'newName')) return [`ALTER TABLE ${r.table(table, o.schema)} RENAME COLUMN ${r.quote(column)} TO ${r.quote(o.newName!)}`];
  throw new MigrateError(
    `SQLite cannot ALTER COLUMN ${changes.filter((c) => c !== 'newName').join('/')} of '${table}.${column}': do it inside op.batchAlterTable('${table}', (batch) => batch.alterColumn('${column}', {...})), which rebuilds the table keeping its rows.`,
  );
}

function postgres(r: DdlRenderer, table: string, column: string, o: AlterColumnOptions): string[] {
  const t = r.table(table, o.schema);
  const col = r.quote(column);
  const out: string[] = [];
  if (has(o, 'type')) {
    const typeName = r.compiler().typeName(toType(o.type!));
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${col} TYPE ${typeName}${o.using ? ` USING ${o.using}` : ''}`);
  }
  if (has(o, 'nullable')) out.push(`ALTER TABLE ${t} ALTER COLUMN ${col} ${o.nullable ? 'DROP' : 'SET'} NOT NULL`);
  if (Object.hasOwn(o, 'serverDefault') && o.serverDefault !== undefined) {
    out.push(o.serverDefault === null ? `ALTER TABLE ${t} ALTER COLUMN ${col} DROP DEFAULT` : `ALTER TABLE ${t} ALTER COLUMN ${col} SET DEFAULT ${defaultSQL(r, o.serverDefault)}`);
  }
  if (Object.hasOwn(o, 'comment') && o.comment !== undefined) out.push(`COMMENT ON COLUMN ${t}.${col} IS ${o.comment === null ? 'NULL' : r.literal(o.comment)}`);
  if (has(o, 'newName')) out.push(`ALTER TABLE ${t} RENAME COLUMN ${col} TO ${r.quote(o.newName!)}`);
  return out;
}

/** MySQL/MariaDB restate the whole column (MODIFY/CHANGE) for a type, nullability or comment change. */
function mysql(r: DdlRenderer, table: string, column: string, o: AlterColumnOptions): string[] {
  const t = r.table(table, o.schema);
  const restate = has(o, 'type') || has(o, 'nullable') || (Object.hasOwn(o, 'comment') && o.comment !== undefined);
  if (!restate) {
    const out: string[] = [];
    if (Object.hasOwn(o, 'serverDefault') && o.serverDefault !== undefined) {
      out.push(`ALTER TABLE ${t} ALTER COLUMN ${r.quote(column)} ${o.serverDefault === null ? 'DROP DEFAULT' : `SET DEFAULT ${defaultSQL(r, o.serverDefault)}`}`);
    }
    if (has(o, 'newName')) out.push(`ALTER TABLE ${t} RENAME COLUMN ${r.quote(column)} TO ${r.quote(o.newName!)}`);
    return out;
  }
  const missing = (['existingType', 'existingNullable', 'existingServerDefault', 'existingComment'] as const).filter((k) => !Object.hasOwn(o, k));
  const needed = missing.filter((k) => !(k === 'existingType' && has(o, 'type')) && !(k === 'existingNullable' && has(o, 'nullable')) && !(k === 'existingServerDefault' && Object.hasOwn(o, 'serverDefault')) && !(k === 'existingComment' && Object.hasOwn(o, 'comment')));
  if (needed.length) {
    throw new MigrateError(
      `alterColumn('${table}', '${column}') on MySQL/MariaDB restates the whole column (MODIFY COLUMN) and needs what is not changing: give ${needed.join(', ')} (null for no default/comment). Online they are read from the database.`,
    );
  }
  const type = o.type ?? o.existingType!;
  const nullable = o.nullable ?? o.existingNullable!;
  const serverDefault = Object.hasOwn(o, 'serverDefault') && o.serverDefault !== undefined ? o.serverDefault : o.existingServerDefault;
  const comment = Object.hasOwn(o, 'comment') && o.comment !== undefined ? o.comment : o.existingComment;
  const name = o.newName ?? column;
  const col = r.scratch().table(table, { [name]: Column(type, { nullable, ...(serverDefault != null ? { serverDefault: serverDefault as any } : {}) }) }).columns[0];
  const spec = `${r.columnSpec(col)}${comment ? ` COMMENT ${r.literal(comment)}` : ''}`;
  return [o.newName ? `ALTER TABLE ${t} CHANGE COLUMN ${r.quote(column)} ${spec}` : `ALTER TABLE ${t} MODIFY COLUMN ${spec}`];
}
