/**
 * `relationship(Target, options)`: declared after both classes exist. How it joins the two
 * tables is decided at declaration (relationship-join.ts), so a relationship that cannot
 * work fails where it is written, not at the first flush.
 */
import { ArgumentError, type ColumnElement, Table, type TableColumn } from '@athanor/core';
import { BackPopulatesError } from './errors';
import { type Mapper, declaredMapperOf } from './mapper';
import { type CustomJoin, conditionOf, resolvePrimaryjoin, resolveSecondaryJoins } from './relationship-condition';
import { type ColumnPair, type Direction, type RelationshipJoin, resolveJoin, resolveSecondary } from './relationship-join';
import { type LazyStrategy, type OrderItem, type RelationshipOptions, checkOptions, parseCascade, parseLazy, parseOrderBy } from './relationship-options';

export type { ColumnPair } from './relationship-join';

export type { CascadeName, LazyStrategy, RelationshipOptions } from './relationship-options';

type AnyClass = abstract new (...args: any) => object;

/** The declaration object; `T` is the target instance type (checked against the attribute's type). */
export class RelationshipSpec<T = unknown> {
  declare readonly __target: T;
  constructor(
    readonly target: AnyClass,
    readonly options: RelationshipOptions,
  ) {}
}

/** A relationship to another mapped class, declared with `Base.relationships(Cls, { name: relationship(Target, options) })`. */
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
  /** The default loading strategy (`lazy:`). */
  readonly lazy: LazyStrategy;
  readonly viewonly: boolean;
  readonly passiveDeletes: boolean | 'all';
  readonly orderBy: readonly OrderItem[];
  /** Levels a self-referential eager default loads (undefined: until a level is empty). */
  readonly joinDepth: number | undefined;
  /** Terms of `primaryjoin` beyond the key pairs: a criterion on the target table, applied by the loaders. */
  readonly criteria: ColumnElement<boolean> | undefined;
  /** Many-to-many: terms of the joins beyond the key pairs on the association table. */
  readonly secondaryCriteria: ColumnElement<boolean> | undefined;

  constructor(
    readonly name: string,
    readonly parent: Mapper,
    private readonly spec: RelationshipSpec<any>,
  ) {
    const where = `${parent.name}.${name}`;
    checkOptions(spec.options, where);
    const o = spec.options;
    this.viewonly = o.viewonly === true;
    this.cascade = parseCascade(o.cascade, where, this.viewonly);
    this.target = declaredMapperOf(spec.target);
    this.postUpdate = o.postUpdate === true;
    this.lazy = parseLazy(o.lazy, where);
    this.passiveDeletes = o.passiveDeletes ?? false;
    this.orderBy = parseOrderBy(o.orderBy, this.target.table, where);
    this.joinDepth = o.joinDepth;
    const list = (x: unknown) => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);
    const secondary = o.secondary;
    if (secondary !== undefined && !(secondary instanceof Table)) throw new ArgumentError(`Relationship ${where}: secondary takes the association Table object.`);
    this.secondary = secondary;
    let join: CustomJoin | RelationshipJoin;
    if (o.primaryjoin !== undefined || o.secondaryjoin !== undefined) join = customJoin(where, parent, this.target, o);
    else if (secondary !== undefined) join = { direction: 'manyToMany', ...resolveSecondary(where, parent, this.target, secondary) };
    else join = resolveJoin(where, parent, this.target, list(o.foreignKeys), list(o.remoteSide));
    this.direction = join.direction;
    this.pairs = join.pairs;
    this.targetPairs = 'targetPairs' in join ? join.targetPairs : [];
    if ('criteria' in join) {
      this.criteria = join.criteria;
      this.secondaryCriteria = join.secondaryCriteria;
    }
    this.uselist = o.uselist ?? join.direction !== 'manyToOne';
    if (this.lazy === 'writeOnly' && !this.uselist) {
      throw new ArgumentError(`Relationship ${where}: lazy: 'writeOnly' is for collections (one-to-many, many-to-many); this relationship holds one object.`);
    }
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
    if (reverse.viewonly) {
      throw new BackPopulatesError(`${where}: backPopulates '${name}' names ${other}, a viewonly relationship (never written); drop backPopulates, or make ${other} writable.`);
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

/** The pairs and criteria of a custom `primaryjoin` (and, with `secondary`, `secondaryjoin`). */
function customJoin(where: string, parent: Mapper, target: Mapper, o: RelationshipOptions): CustomJoin {
  const cols = (x: unknown) => (x === undefined ? undefined : ((Array.isArray(x) ? x : [x]) as TableColumn<any, any>[]));
  if (o.secondary === undefined) {
    if (o.secondaryjoin !== undefined) throw new ArgumentError(`Relationship ${where}: secondaryjoin is for a many-to-many; give the association table with secondary.`);
    return resolvePrimaryjoin(where, parent.table, target.table, conditionOf(o.primaryjoin!, 'primaryjoin', where), cols(o.foreignKeys), cols(o.remoteSide));
  }
  if (o.primaryjoin === undefined || o.secondaryjoin === undefined) {
    throw new ArgumentError(`Relationship ${where}: a many-to-many with a custom join needs both primaryjoin (owner to '${o.secondary.name}') and secondaryjoin ('${o.secondary.name}' to target).`);
  }
  return resolveSecondaryJoins(where, parent.table, target.table, o.secondary, conditionOf(o.primaryjoin, 'primaryjoin', where), conditionOf(o.secondaryjoin, 'secondaryjoin', where));
}
