/**
 * The order stage: rows, not tables, are ordered (SQLAlchemy's per-state actions when a
 * mapper depends on itself). A new row comes after the new rows it references; a deleted
 * row after the deleted rows that reference it. Rows form levels, and one level of one
 * mapper is one batch. A cycle is broken at a nullable foreign key, which is then written
 * by a second UPDATE (postUpdate); a cycle of NOT NULL keys is an error naming the fix.
 */
import { InvalidRequestError, topologicalSort, CycleError } from '@athanor/core';
import type { Mapper } from '../mapper';
import type { TablePart } from '../table-part';
import type { InstanceState } from '../state/instance-state';
import { type KeySync, keyOfValues, mapperKeyReferences, rowKey, tablesOf } from './plan';

/** Mappers with referenced tables first (cycles between tables are left to the row levels). */
export function mapperOrder(mappers: Iterable<Mapper>): Mapper[] {
  const list = [...new Set(mappers)];
  const edges = [];
  for (const a of list) for (const b of list) if (a !== b && references(b, a)) edges.push({ from: a, to: b });
  try {
    return topologicalSort(list, edges, (m) => m.name);
  } catch (e) {
    if (e instanceof CycleError) return list;
    throw e;
  }
}

/**
 * Of these mappers, those whose rows a row of any of them may reference: by any foreign key
 * (to a key or another unique column), a table's key to itself included. Their deletes wait
 * until the flush has written its other rows.
 */
export function referencedMappers(mappers: ReadonlySet<Mapper>): Set<Mapper> {
  const out = new Set<Mapper>();
  for (const a of mappers) {
    for (const b of mappers) {
      if (b.parts.some((bp) => a.parts.some((ap) => referencesPart(b, bp, ap)))) {
        out.add(a);
        break;
      }
    }
  }
  return out;
}

/** Whether a table of `b`'s rows has a foreign key to a table of `a`'s (a joined-table mapper's: not to the same table). */
function references(b: Mapper, a: Mapper): boolean {
  if (b.parts.length === 1 && a.parts.length === 1) return b.table.foreignKeyLinksTo(a.table).length > 0;
  return b.parts.some((bp) => a.parts.some((ap) => bp.table !== ap.table && referencesPart(b, bp, ap)));
}

/**
 * Whether `b`'s part `bp` has a foreign key to the table of `ap`. A joined subclass table's
 * key to its own base table joins the parts of one row: not a reference, though the base
 * table is another mapper's too when it shares it (Engineer and Manager under Employee).
 */
function referencesPart(b: Mapper, bp: TablePart, ap: TablePart): boolean {
  const links = bp.table.foreignKeyLinksTo(ap.table);
  if (links.length === 0) return false;
  const ownTable = b.parts.some((p) => p.table === ap.table);
  return links.some((link) => !(ownTable && bp.pkKeys.includes(link.parent.key)));
}

/** The mappers of `states` into `out` (rows of one mapper come in runs: one Set lookup per run, not per row). */
export function addMappersOf(states: Iterable<InstanceState>, out: Set<Mapper>): Set<Mapper> {
  let last: Mapper | undefined;
  for (const st of states) {
    if (st.mapper === last) continue;
    last = st.mapper;
    out.add(last);
  }
  return out;
}

/** The column of a key (of any of the object's tables), for its nullability. */
export function columnOf(m: Mapper, key: string): { readonly nullable: boolean } | undefined {
  return m.columns[m.columnIndex.get(key) ?? -1];
}

/** New rows in levels: each row after the new rows its foreign keys reference. */
export function insertLevels(inserts: readonly InstanceState[], syncs: KeySync[]): InstanceState[][] {
  const deps = new Map<InstanceState, KeySync[]>();
  const pending = syncs.length > 0 ? new Set(inserts) : undefined;
  for (const s of syncs) {
    if (pending === undefined) break;
    if (s.parent === s.child && !s.post && pending.has(s.child) && s.pairs.some((p) => s.child.values[s.child.mapper.columnIndex.get(p.one)!] === undefined)) {
      // A new row pointing at itself through a key the database makes: written by an UPDATE after its INSERT.
      if (!canBreak(s)) throw cycleError(s, 'insert');
      continue;
    }
    if (s.post || s.parent === null || !pending.has(s.child) || !pending.has(s.parent) || s.parent === s.child) continue;
    const list = deps.get(s.child);
    if (list) list.push(s);
    else deps.set(s.child, [s]);
  }
  addKeyValueDependencies(inserts, deps);
  return levels(inserts, deps, (s) => s.parent!, 'insert');
}

/** Foreign keys given as values (no relationship object) that name another new row's given key. */
function addKeyValueDependencies(inserts: readonly InstanceState[], deps: Map<InstanceState, KeySync[]>): void {
  // Only tables referenced by a table among the new rows can be a new row's parent.
  const mappers = addMappersOf(inserts, new Set());
  const referenced = new Set<unknown>();
  for (const m of mappers) for (const ref of mapperKeyReferences(m)) referenced.add(ref.referredTable);
  if (![...mappers].some((m) => tablesOf(m).some((t) => referenced.has(t)))) return;
  const byKey = new Map<string, InstanceState>();
  for (const st of inserts) {
    const key = st.mapper.identityKey(st.values);
    if (key !== undefined) for (const t of tablesOf(st.mapper)) byKey.set(rowKey(t, key), st);
  }
  if (byKey.size === 0) return;
  for (const st of inserts) {
    for (const fk of mapperKeyReferences(st.mapper)) {
      const values = fk.columns.map((k) => st.values[st.mapper.columnIndex.get(k)!]);
      if (values.some((v: unknown) => v === undefined || v === null)) continue;
      const target = fk.referredTable;
      const parent = byKey.get(rowKey(target, keyOfValues(values)));
      if (!parent || parent === st) continue;
      const sync: KeySync = { child: st, pairs: [], parent, rel: undefined as never, post: false };
      const list = deps.get(st);
      if (list) list.push(sync);
      else deps.set(st, [sync]);
    }
  }
}

/** Deleted rows in levels: each row after the deleted rows that reference it. */
export function deleteLevels(deletes: readonly InstanceState[], preNull: (child: InstanceState, columns: string[]) => boolean): InstanceState[][] {
  const byKey = new Map<string, InstanceState>();
  for (const st of deletes) for (const t of tablesOf(st.mapper)) byKey.set(rowKey(t, st.key), st);
  // parent → the deleted children that must go first
  const deps = new Map<InstanceState, KeySync[]>();
  for (const child of deletes) {
    for (const fk of mapperKeyReferences(child.mapper)) {
      const cols = [...fk.columns];
      const values = cols.map((k) => committedValue(child, k));
      if (values.some((v) => v === undefined || v === null)) continue;
      const target = fk.referredTable;
      const parent = byKey.get(rowKey(target, keyOfValues(values)));
      if (!parent) continue;
      if (parent === child) {
        // A row pointing at itself: InnoDB refuses its DELETE while the key is set, so a nullable one is cleared first.
        preNull(child, cols);
        continue;
      }
      const sync = { child: parent, pairs: [], parent: child, rel: undefined as never, post: false, columns: cols } as KeySync & { columns: string[] };
      const list = deps.get(parent);
      if (list) list.push(sync);
      else deps.set(parent, [sync]);
    }
  }
  return levels(deletes, deps, (s) => s.parent!, 'delete', (s) => preNull(s.parent!, (s as KeySync & { columns: string[] }).columns));
}

/** The value the row holds in the database (before this flush's change). */
export function committedValue(st: InstanceState, key: string): unknown {
  const c = st.committed;
  if (c !== undefined && key in c) return c[key];
  return st.values[st.mapper.columnIndex.get(key)!];
}

/**
 * Longest-path levels over `deps` (a node after every node it depends on). A back edge is a
 * cycle: `breakEdge` may break it (a nullable key written later), else it is an error.
 */
function levels(nodes: readonly InstanceState[], deps: Map<InstanceState, KeySync[]>, target: (s: KeySync) => InstanceState, what: string, breakEdge?: (s: KeySync) => boolean): InstanceState[][] {
  if (deps.size === 0) return nodes.length ? [nodes.slice()] : [];
  const level = new Map<InstanceState, number>();
  const visiting = new Set<InstanceState>();
  const visit = (n: InstanceState): number => {
    const known = level.get(n);
    if (known !== undefined) return known;
    visiting.add(n);
    let l = 0;
    for (const s of deps.get(n) ?? []) {
      const t = target(s);
      if (visiting.has(t)) {
        if (canBreak(s, breakEdge)) continue;
        throw cycleError(s, what);
      }
      l = Math.max(l, visit(t) + 1);
    }
    visiting.delete(n);
    level.set(n, l);
    return l;
  };
  // Iterative deepening would avoid recursion; trees deeper than the stack allows are rare.
  for (const n of nodes) visit(n);
  const out: InstanceState[][] = [];
  for (const n of nodes) (out[level.get(n)!] ??= []).push(n);
  return out.filter((l) => l !== undefined);
}

function canBreak(s: KeySync, breakEdge?: (s: KeySync) => boolean): boolean {
  if (breakEdge) return breakEdge(s);
  if (!s.rel || s.pairs.length === 0) return false;
  const nullable = s.pairs.every((p) => columnOf(s.child.mapper, p.many)?.nullable !== false);
  if (nullable) s.post = true;
  return nullable;
}

function cycleError(s: KeySync, what: string): InvalidRequestError {
  const where = s.rel ? `${s.rel.parent.name}.${s.rel.name}` : s.child.mapper.name;
  return new InvalidRequestError(
    `The flush cannot order these rows for ${what}: they reference each other through NOT NULL foreign keys (${where}). ` +
      'Make one of the foreign key columns nullable and mark its relationship postUpdate: true, so it is written by a second UPDATE.',
  );
}
