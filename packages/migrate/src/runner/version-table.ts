import { Column, type Connection, String as SqlString, inspect } from '@athanor/core';
import type { DdlRenderer } from '../ops/ddl';
import { PARTIAL_PREFIX, type PartialRevision, parsePartial } from './partial';

/** The version table: one row per applied head (several when branches are applied side by side). */
export class VersionTable {
  constructor(
    readonly name: string,
    private readonly r: DdlRenderer,
  ) {}

  createSQL(): string[] {
    const t = this.r.scratch().table(this.name, { version_num: Column(SqlString(64), { primaryKey: true }) });
    return this.r.createTable(t);
  }

  async exists(conn: Connection): Promise<boolean> {
    return (await inspect(conn).getTableNames()).includes(this.name);
  }

  private async values(conn: Connection): Promise<string[]> {
    const { rows } = await conn.execDriverSQL(`SELECT version_num FROM ${this.r.table(this.name)}`);
    return rows.map((r) => String(r[0])).sort();
  }

  /** The applied heads. */
  async read(conn: Connection): Promise<string[]> {
    return (await this.values(conn)).filter((v) => !v.startsWith(PARTIAL_PREFIX));
  }

  /** Revisions a MySQL/MariaDB failure left partially applied (see partial.ts). */
  async readPartial(conn: Connection): Promise<PartialRevision[]> {
    return (await this.values(conn)).map(parsePartial).filter((p): p is PartialRevision => p !== undefined);
  }

  markSQL(marker: string): string {
    return `INSERT INTO ${this.r.table(this.name)} (${this.r.quote('version_num')}) VALUES (${this.r.literal(marker.slice(0, 64))})`;
  }

  clearPartialSQL(): string {
    return `DELETE FROM ${this.r.table(this.name)} WHERE ${this.r.quote('version_num')} LIKE ${this.r.literal(`${PARTIAL_PREFIX}%`)}`;
  }

  /** The statements turning the stored heads `from` into `to`. */
  changeSQL(from: readonly string[], to: readonly string[]): string[] {
    const t = this.r.table(this.name);
    const col = this.r.quote('version_num');
    const gone = from.filter((x) => !to.includes(x));
    const added = to.filter((x) => !from.includes(x));
    if (gone.length === 1 && added.length === 1) return [`UPDATE ${t} SET ${col} = ${this.r.literal(added[0])} WHERE ${col} = ${this.r.literal(gone[0])}`];
    return [
      ...gone.map((g) => `DELETE FROM ${t} WHERE ${col} = ${this.r.literal(g)}`),
      ...added.map((a) => `INSERT INTO ${t} (${col}) VALUES (${this.r.literal(a)})`),
    ];
  }
}
