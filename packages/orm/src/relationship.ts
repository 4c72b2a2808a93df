/**
 * `relationship(Target, options)`: declared after both classes exist, resolved on first use
 * from the foreign keys between the two tables (one-to-many when the target holds the
 * foreign key, many-to-one when the owner does).
 */
import { ArgumentError } from '@athanor/core';
import { type Mapper, mapperOf } from './mapper';

export type CascadeName = 'save-update' | 'merge' | 'delete' | 'delete-orphan' | 'refresh-expire' | 'expunge' | 'all';

export interface RelationshipOptions {
  /** The name of the relationship on the target class that mirrors this one. */
  backPopulates?: string;
  /** SQLAlchemy's cascade string, e.g. `'all, delete-orphan'`. Default `'save-update, merge'`. */
  cascade?: string;
  /** A list (one-to-many) or a single object (many-to-one); inferred from the foreign key. */
  uselist?: boolean;
}

type AnyClass = abstract new (...args: any) => object;

/** The declaration object; `T` is the target instance type (checked against the attribute's type). */
export class RelationshipSpec<T = unknown> {
  declare readonly __target: T;
  constructor(
    readonly target: AnyClass,
    readonly options: RelationshipOptions,
  ) {}
}

export function relationship<C extends AnyClass>(target: C, options: RelationshipOptions = {}): RelationshipSpec<InstanceType<C>> {
  if (typeof target !== 'function') throw new ArgumentError('relationship() takes the target mapped class as its first argument.');
  return new RelationshipSpec(target, options);
}

/** Both sides of one foreign-key column pair: `one` on the referenced side, `many` on the referencing side. */
export interface ColumnPair {
  one: string;
  many: string;
}

export class Relationship {
  private resolved: { target: Mapper; direction: 'oneToMany' | 'manyToOne'; pairs: ColumnPair[]; uselist: boolean } | undefined;
  readonly cascade: ReadonlySet<string>;

  constructor(
    readonly name: string,
    readonly parent: Mapper,
    private readonly spec: RelationshipSpec<any>,
  ) {
    this.cascade = parseCascade(spec.options.cascade, `${parent.name}.${name}`);
  }

  get backPopulates(): string | undefined {
    return this.spec.options.backPopulates;
  }
  get target(): Mapper {
    return this.resolve().target;
  }
  get direction(): 'oneToMany' | 'manyToOne' {
    return this.resolve().direction;
  }
  get pairs(): ColumnPair[] {
    return this.resolve().pairs;
  }
  get uselist(): boolean {
    return this.resolve().uselist;
  }
  /** The mirrored relationship on the target, when `backPopulates` names one. */
  get reverse(): Relationship | undefined {
    const b = this.backPopulates;
    return b === undefined ? undefined : this.target.relationships.get(b);
  }

  private resolve() {
    if (this.resolved) return this.resolved;
    const target = mapperOf(this.spec.target);
    const toParent = target.table.foreignKeyLinksTo(this.parent.table);
    const toTarget = target === this.parent ? [] : this.parent.table.foreignKeyLinksTo(target.table);
    let direction: 'oneToMany' | 'manyToOne';
    if (toParent.length && !toTarget.length) direction = 'oneToMany';
    else if (toTarget.length && !toParent.length) direction = 'manyToOne';
    else if (!toParent.length) {
      throw new ArgumentError(`Relationship ${this.parent.name}.${this.name}: no foreign key links tables '${this.parent.table.name}' and '${target.table.name}'; add a ForeignKey to one of them.`);
    } else {
      throw new ArgumentError(`Relationship ${this.parent.name}.${this.name}: foreign keys run both ways between '${this.parent.table.name}' and '${target.table.name}'; this version supports one direction per table pair.`);
    }
    const links = direction === 'oneToMany' ? toParent : toTarget;
    const pairs = links.map((l) => ({ one: l.referred.key as string, many: l.parent.key as string }));
    const uselist = this.spec.options.uselist ?? direction === 'oneToMany';
    this.resolved = { target, direction, pairs, uselist };
    return this.resolved;
  }
}

const ALL = ['save-update', 'merge', 'refresh-expire', 'expunge', 'delete'];
const KNOWN = new Set([...ALL, 'delete-orphan']);

function parseCascade(spec: string | undefined, where: string): Set<string> {
  const out = new Set<string>();
  for (const raw of (spec ?? 'save-update, merge').split(',')) {
    const c = raw.trim();
    if (!c) continue;
    if (c === 'all') for (const a of ALL) out.add(a);
    else if (KNOWN.has(c)) out.add(c);
    else throw new ArgumentError(`Relationship ${where}: unknown cascade '${c}'; use all, save-update, merge, delete, delete-orphan, refresh-expire or expunge.`);
  }
  return out;
}
