/**
 * `relationship(Target, options)`: declared after both classes exist. How it joins the two
 * tables is decided at declaration (relationship-join.ts), so a relationship that cannot
 * work fails where it is written, not at the first flush.
 */
import { ArgumentError, type TableColumn } from '@athanor/core';
import { UnsupportedRelationshipError } from './errors';
import { type Mapper, declaredMapperOf } from './mapper';
import { type ColumnPair, type Direction, resolveJoin } from './relationship-join';

export type { ColumnPair } from './relationship-join';

export type CascadeName = 'save-update' | 'merge' | 'delete' | 'delete-orphan' | 'refresh-expire' | 'expunge' | 'all';

export interface RelationshipOptions {
  /** The name of the relationship on the target class that mirrors this one. */
  backPopulates?: string;
  /** SQLAlchemy's cascade string, e.g. `'all, delete-orphan'`. Default `'save-update, merge'`. */
  cascade?: string;
  /** A list (one-to-many) or a single object (many-to-one); inferred from the foreign key. */
  uselist?: boolean;
  /**
   * The column(s) holding the foreign key this relationship uses, when several could
   * (two columns referencing the same table): `relationship(Person, { foreignKeys: Message.c.senderId })`.
   * On the one-to-many side they are the target's columns: `relationship(Message, { foreignKeys: Message.c.senderId })`.
   */
  foreignKeys?: TableColumn<any, any> | readonly TableColumn<any, any>[];
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

export class Relationship {
  readonly cascade: ReadonlySet<string>;
  readonly target: Mapper;
  readonly direction: Direction;
  readonly pairs: ColumnPair[];
  readonly uselist: boolean;

  constructor(
    readonly name: string,
    readonly parent: Mapper,
    private readonly spec: RelationshipSpec<any>,
  ) {
    const where = `${parent.name}.${name}`;
    this.cascade = parseCascade(spec.options.cascade, where);
    this.target = declaredMapperOf(spec.target);
    if (this.target === parent) {
      throw new UnsupportedRelationshipError(
        `Relationship ${where}: self-referential relationships (table '${parent.table.name}' to itself) are not supported yet; ` +
          `read and write the foreign key column instead and query the related rows with select(${parent.name}).where(...).`,
      );
    }
    const fks = spec.options.foreignKeys;
    const join = resolveJoin(where, parent, this.target, fks === undefined ? undefined : Array.isArray(fks) ? fks : [fks]);
    this.direction = join.direction;
    this.pairs = join.pairs;
    this.uselist = spec.options.uselist ?? join.direction === 'oneToMany';
  }

  get backPopulates(): string | undefined {
    return this.spec.options.backPopulates;
  }
  /** The mirrored relationship on the target, when `backPopulates` names one. */
  get reverse(): Relationship | undefined {
    const b = this.backPopulates;
    return b === undefined ? undefined : this.target.relationships.get(b);
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
