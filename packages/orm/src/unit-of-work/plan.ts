/** The data shared by the flush stages: what the flush reads from the session and what it plans to write. */
import type { Connection } from '@athanor/core';
import type { Queries } from '../loading';
import type { Mapper } from '../mapper';
import type { ColumnPair, Relationship } from '../relationship';
import type { SessionObjects } from '../session/lifecycle';
import type { SessionTransaction } from '../session/transaction';
import type { InstanceState } from '../state/instance-state';

/** What the flush needs from the session. */
export interface FlushContext {
  readonly session: object;
  readonly objects: SessionObjects;
  readonly conn: Connection;
  readonly queries: Queries;
  /** The innermost transaction: it records what the flush did. */
  readonly tx: SessionTransaction;
  /** Runs after every statement succeeded, before the objects are finalised. */
  afterEmit(): void;
  /** Runs listener code (session calls that wait are refused inside). */
  fire(fn: () => void): void;
}

/**
 * A foreign-key copy: `child`'s columns take `parent`'s referenced values (or NULL), done
 * when the parent has its key (after its INSERT when it is new).
 */
export interface KeySync {
  readonly child: InstanceState;
  readonly pairs: readonly ColumnPair[];
  readonly parent: InstanceState | null;
  readonly rel: Relationship;
  /** Written by a second UPDATE after both rows exist (postUpdate, or a broken cycle). */
  post: boolean;
}

/** One association row of a many-to-many, by association column key. */
export interface AssociationRow {
  readonly rel: Relationship;
  /** The owner of `rel` and the target object. */
  readonly owner: InstanceState;
  readonly target: InstanceState;
}

export interface Plan {
  readonly inserts: InstanceState[];
  /** Persistent objects the flush may UPDATE (changed columns are computed at emit time). */
  readonly updates: InstanceState[];
  readonly deletes: Set<InstanceState>;
  readonly syncs: KeySync[];
  readonly links: AssociationRow[];
  readonly unlinks: AssociationRow[];
  /** Objects deleted with all their association rows of these relationships. */
  readonly unlinkAll: { rel: Relationship; owner: InstanceState }[];
  /** New object → the deleted object of the same row: an UPDATE instead of DELETE + INSERT. */
  readonly rowSwitches: Map<InstanceState, InstanceState>;
}

/** The mappers a flush touches, by table (to follow foreign keys from a row to its mapper). */
export function mappersByTable(states: Iterable<InstanceState>): Map<unknown, Mapper> {
  const out = new Map<unknown, Mapper>();
  for (const st of states) out.set(st.mapper.table, st.mapper);
  return out;
}

/** One foreign key of a table referencing another table's primary key, by column keys. */
export interface KeyReference {
  readonly columns: readonly string[];
  readonly referredTable: { readonly fullname: string };
}

const referenceCache = new WeakMap<object, KeyReference[]>();

/** The foreign keys of a table that reference a primary key (in key order), single-column and composite. */
export function keyReferences(table: any): KeyReference[] {
  let out = referenceCache.get(table);
  if (out) return out;
  out = [];
  for (const fk of table.foreignKeys as any[]) {
    if (!fk.isResolvable) continue;
    const ref = fk.column;
    const pk = ref.table.primaryKey;
    if (pk.length === 1 && pk[0] === ref) out.push({ columns: [fk.parent.key], referredTable: ref.table });
  }
  for (const fkc of table.foreignKeyConstraints as any[]) {
    const cols = fkc.columns as any[];
    const refs = fkc.targets.map((spec: string) => table.metadata.resolveColumn(spec, table.schema));
    if (refs.some((r: any) => !r)) continue;
    const pk = refs[0].table.primaryKey;
    if (pk.length === refs.length && pk.every((c: any, i: number) => c === refs[i])) out.push({ columns: cols.map((c) => c.key), referredTable: refs[0].table });
  }
  referenceCache.set(table, out);
  return out;
}

/** The tables an object's row spans (one, or a joined-table subclass's base's and its own). */
export function tablesOf(m: Mapper): readonly { readonly fullname: string }[] {
  return m.tables;
}

const mapperReferenceCache = new WeakMap<Mapper, KeyReference[]>();

/** The foreign keys of all of a mapper's tables, less a joined subclass table's key to its parent's (the same row). */
export function mapperKeyReferences(m: Mapper): KeyReference[] {
  if (m.parts.length === 1) return keyReferences(m.table);
  let out = mapperReferenceCache.get(m);
  if (out) return out;
  out = [];
  const own = new Set<unknown>(m.parts.map((p) => p.table));
  for (const part of m.parts) {
    for (const ref of keyReferences(part.table)) {
      const inherited = own.has(ref.referredTable) && ref.columns.length === part.pkKeys.length && ref.columns.every((k) => part.pkKeys.includes(k));
      if (!inherited) out.push(ref);
    }
  }
  mapperReferenceCache.set(m, out);
  return out;
}

/** One row among the tables of a flush: its table and identity key (a composite key's parts joined as identity keys join them). */
export function rowKey(table: { readonly fullname: string }, key: unknown): string {
  return `${table.fullname}\u0001${String(key)}`;
}

/** The identity key text of key column values (as `Mapper.identityKey` joins a composite key). */
export function keyOfValues(values: readonly unknown[]): string {
  return values.map(String).join('\u0000');
}
