/**
 * `relationship(Target, options)`: declared after both classes exist. How it joins the two
 * tables is decided at declaration (relationship-join.ts), so a relationship that cannot
 * work fails where it is written, not at the first flush.
 */
import { ArgumentError, Table, type TableColumn } from '@athanor/core';
import { BackPopulatesError } from './errors';
import { type Mapper, declaredMapperOf } from './mapper';
import { type ColumnPair, type Direction, resolveJoin, resolveSecondary } from './relationship-join';

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
  /**
   * Many-to-many: the association table whose rows link the two sides
   * (`relationship(Tag, { secondary: postTags })`); the flush inserts and deletes its rows.
   */
  secondary?: Table<any, any>;
  /**
   * Self-referential many-to-one: the referenced ("remote") column(s), e.g.
   * `relationship(Node, { remoteSide: Node.c.id })` for `parent`; without it a relationship
   * of a table to itself is one-to-many (`children`).
   */
  remoteSide?: TableColumn<any, any> | readonly TableColumn<any, any>[];
  /**
   * Rows that point at each other (A.favourite → B, B.owner → A): this relationship's foreign
   * key is written by a second UPDATE after both rows exist, and set to NULL before a DELETE.
   */
  postUpdate?: boolean;
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
  /** Many-to-many: the association table and its pairs towards the target (`one`: target column, `many`: association column). */
  readonly secondary: Table<any, any> | undefined;
  readonly targetPairs: ColumnPair[];
  readonly postUpdate: boolean;

  constructor(
    readonly name: string,
    readonly parent: Mapper,
    private readonly spec: RelationshipSpec<any>,
  ) {
    const where = `${parent.name}.${name}`;
    checkOptions(spec.options, where);
    this.cascade = parseCascade(spec.options.cascade, where);
    this.target = declaredMapperOf(spec.target);
    this.postUpdate = spec.options.postUpdate === true;
    const list = (x: unknown) => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);
    const secondary = spec.options.secondary;
    if (secondary !== undefined) {
      if (!(secondary instanceof Table)) throw new ArgumentError(`Relationship ${where}: secondary takes the association Table object.`);
      const join = resolveSecondary(where, parent, this.target, secondary);
      this.secondary = secondary;
      this.direction = 'manyToMany';
      this.pairs = join.pairs;
      this.targetPairs = join.targetPairs;
      this.uselist = spec.options.uselist ?? true;
      return;
    }
    this.secondary = undefined;
    this.targetPairs = [];
    const join = resolveJoin(where, parent, this.target, list(spec.options.foreignKeys), list(spec.options.remoteSide));
    this.direction = join.direction;
    this.pairs = join.pairs;
    this.uselist = spec.options.uselist ?? join.direction === 'oneToMany';
  }

  /** A relationship of a table to itself (a tree, a manager). */
  get selfReferential(): boolean {
    return this.target === this.parent;
  }

  get backPopulates(): string | undefined {
    return this.spec.options.backPopulates;
  }
  /** At configure time (both sides declared): `backPopulates` names a relationship of the target that mirrors this one. */
  checkBackPopulates(): void {
    const name = this.backPopulates;
    if (name === undefined) return;
    const where = `Relationship ${this.parent.name}.${this.name}`;
    const other = `${this.target.name}.${name}`;
    const reverse = this.target.relationships.get(name);
    if (!reverse) {
      const known = [...this.target.relationships.keys()].join(', ') || 'none declared';
      throw new BackPopulatesError(
        `${where}: backPopulates '${name}' names no relationship of ${this.target.name} (its relationships: ${known}). ` +
          `Fix the name, or declare that side: Base.relationships(${this.target.name}, { ${name}: relationship(${this.parent.name}, { backPopulates: '${this.name}' }) }).`,
      );
    }
    if (reverse.target !== this.parent) {
      throw new BackPopulatesError(`${where}: backPopulates '${name}' names ${other}, a relationship to ${reverse.target.name}, not to ${this.parent.name}.`);
    }
    if (reverse.backPopulates !== undefined && reverse.backPopulates !== this.name) {
      throw new BackPopulatesError(`${where}: ${other} has backPopulates '${reverse.backPopulates}', not '${this.name}'; the two sides must name each other.`);
    }
    const cols = (r: Relationship) => (r.secondary ? [...r.pairs, ...r.targetPairs].map((p) => p.many).sort() : r.pairs.map((p) => p.many)).join(', ');
    if (reverse.secondary !== this.secondary || cols(reverse) !== cols(this)) {
      throw new BackPopulatesError(
        `${where}: ${other} joins on ${cols(reverse)} but this side on ${cols(this)}; give both sides the same foreignKeys.`,
      );
    }
  }

  /** The mirrored relationship on the target, when `backPopulates` names one. */
  get reverse(): Relationship | undefined {
    const b = this.backPopulates;
    return b === undefined ? undefined : this.target.relationships.get(b);
  }
}

const OPTIONS = ['backPopulates', 'cascade', 'uselist', 'foreignKeys', 'secondary', 'remoteSide', 'postUpdate'];

/** Options this version does not have are refused, not ignored. */
function checkOptions(options: RelationshipOptions, where: string): void {
  for (const key of Object.keys(options)) {
    if (OPTIONS.includes(key)) continue;
    throw new ArgumentError(`Relationship ${where}: unknown option '${key}'; the options are ${OPTIONS.join(', ')}.`);
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
