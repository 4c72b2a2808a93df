import { MigrateError } from '../errors';

/** One revision file, as the graph sees it. */
export interface RevisionNode {
  id: string;
  /** Parents through `downRevision` (empty for a base). */
  down: readonly string[];
  /** Revisions that must be applied first though they are not parents (`dependsOn`). */
  dependsOn: readonly string[];
  branchLabels: readonly string[];
  message: string;
  file?: string;
}

/**
 * The revision graph: validated once (unknown parents, duplicate ids or labels, cycles), then
 * queried for heads, bases, ancestry and the order to apply or undo a set of revisions.
 */
export class RevisionGraph {
  private readonly nodes = new Map<string, RevisionNode>();
  private readonly childrenOf = new Map<string, string[]>();
  private readonly labels = new Map<string, string>();
  /** Revision ids in a fixed topological order: parents (and dependencies) first. */
  readonly order: readonly string[];

  constructor(revisions: readonly RevisionNode[]) {
    for (const r of revisions) {
      const seen = this.nodes.get(r.id);
      if (seen) throw new MigrateError(`Revision '${r.id}' is defined twice (${seen.file ?? '?'} and ${r.file ?? '?'}).`);
      this.nodes.set(r.id, r);
      this.childrenOf.set(r.id, []);
    }
    for (const r of revisions) {
      for (const d of [...r.down, ...r.dependsOn]) {
        if (!this.nodes.has(d)) throw new MigrateError(`Revision '${r.id}'${r.file ? ` (${r.file})` : ''} refers to '${d}', which no revision file defines.`);
      }
      for (const d of r.down) this.childrenOf.get(d)!.push(r.id);
      for (const label of r.branchLabels) {
        const other = this.labels.get(label);
        if (other) throw new MigrateError(`Branch label '${label}' is on both '${other}' and '${r.id}'.`);
        if (this.nodes.has(label)) throw new MigrateError(`Branch label '${label}' of '${r.id}' is also a revision id.`);
        this.labels.set(label, r.id);
      }
    }
    this.order = this.topologicalOrder();
  }

  get size(): number {
    return this.nodes.size;
  }

  get(id: string): RevisionNode {
    const n = this.nodes.get(id);
    if (!n) throw new MigrateError(`No revision '${id}'.`);
    return n;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  all(): RevisionNode[] {
    return this.order.map((id) => this.nodes.get(id)!);
  }

  children(id: string): readonly string[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** Revisions no other revision names as its down revision. */
  get heads(): string[] {
    return this.order.filter((id) => this.childrenOf.get(id)!.length === 0);
  }

  get bases(): string[] {
    return this.order.filter((id) => this.nodes.get(id)!.down.length === 0);
  }

  /** The revision carrying a branch label, if any. */
  labelled(label: string): string | undefined {
    return this.labels.get(label);
  }

  get branchLabels(): ReadonlyMap<string, string> {
    return this.labels;
  }

  /** A full id or a unique prefix of one. */
  resolveId(text: string): string {
    if (this.nodes.has(text)) return text;
    const matches = [...this.nodes.keys()].filter((id) => id.startsWith(text));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new MigrateError(`Revision prefix '${text}' is ambiguous: ${matches.sort().join(', ')}.`);
    throw new MigrateError(`No revision '${text}' (nor a branch label of that name).`);
  }

  /** `id` and everything it needs: down revisions and dependencies (unless `downOnly`), transitively. */
  ancestors(ids: Iterable<string>, inclusive = true, downOnly = false): Set<string> {
    const out = new Set<string>();
    const stack: string[] = [];
    for (const id of ids) {
      if (inclusive) out.add(id);
      stack.push(id);
    }
    while (stack.length) {
      const n = this.nodes.get(stack.pop()!)!;
      for (const d of downOnly ? n.down : [...n.down, ...n.dependsOn]) {
        if (!out.has(d)) {
          out.add(d);
          stack.push(d);
        }
      }
    }
    return out;
  }

  /** Everything that needs `id` (children and dependants, transitively); `id` itself when inclusive. */
  descendants(id: string, inclusive = true): Set<string> {
    const out = new Set<string>(inclusive ? [id] : []);
    for (const other of this.order) {
      if (other === id || out.has(other)) continue;
      const n = this.nodes.get(other)!;
      if ([...n.down, ...n.dependsOn].some((d) => d === id || out.has(d))) out.add(other);
    }
    return out;
  }

  /** The members of a set that no other member names as a down revision: what the version table stores. */
  headsOf(applied: ReadonlySet<string>): string[] {
    return this.order.filter((id) => applied.has(id) && !this.childrenOf.get(id)!.some((c) => applied.has(c)));
  }

  /** Parents first: Kahn's algorithm over down revisions and dependencies, ties by file order. */
  private topologicalOrder(): string[] {
    const pending = new Map<string, number>();
    for (const n of this.nodes.values()) pending.set(n.id, new Set([...n.down, ...n.dependsOn]).size);
    const dependants = new Map<string, string[]>();
    for (const n of this.nodes.values()) for (const d of new Set([...n.down, ...n.dependsOn])) (dependants.get(d) ?? dependants.set(d, []).get(d)!).push(n.id);
    const ready = [...pending].filter(([, k]) => k === 0).map(([id]) => id);
    const out: string[] = [];
    while (ready.length) {
      const id = ready.shift()!;
      out.push(id);
      for (const c of dependants.get(id) ?? []) {
        const left = pending.get(c)! - 1;
        pending.set(c, left);
        if (left === 0) ready.push(c);
      }
    }
    if (out.length < this.nodes.size) {
      const stuck = [...pending].filter(([, k]) => k > 0).map(([id]) => id);
      throw new MigrateError(`The revisions form a cycle; refusing to run. Revisions on or after it: ${stuck.join(', ')}. Fix their downRevision/dependsOn.`);
    }
    return out;
  }
}
