/**
 * Relationships in statements. `rel(User, 'addresses')` is the class-level handle of a
 * relationship (SQLAlchemy's `User.addresses`): a function of the class and the name, not
 * a static property, because a class cannot type a static from the fields its subclass
 * `declare`s, and relationships are declared after both classes exist so that mutually
 * referencing classes type-check. The name is checked against the class's relationship
 * attributes, and the handle knows its target's type and whether it is a collection:
 *   select(User).join(rel(User, 'addresses'))                  JOIN along the foreign key
 *   select(User).where(rel(User, 'addresses').any(Address.c.email.like('%@x')))   EXISTS
 *   select(Address).where(rel(Address, 'user').has(User.c.name.eq('sandy')))
 *   select(Address).where(rel(Address, 'user').eq(sandy))      compares keys
 *   select(Address).where(withParent(sandy, rel(User, 'addresses')))
 */
import { ArgumentError, type ColumnElement, type HasJoinTarget, type JoinStep, type Table, and, joinTarget, not, or } from '@athanor/core';
import { mapperOf } from '../mapper';
import type { MappedObject } from '../mapped-object';
import type { Relationship } from '../relationship';
import type { AnyMappedClass, RelationshipTarget, InstanceTableName } from '../types';
import { AliasedClass } from './aliased';
import { type Side, checkOneTable, columnOf, columnValues, criteriaOn, equalsAll, existsAlong, joinSteps, subclassCriteria } from './relationship-sql';

type Predicate = ColumnElement<boolean, any> | ColumnElement<boolean | null, any>;
type AttributeName<I> = Exclude<keyof I, 'awaitableAttrs'> & string;

/** The instance type a class or an aliased class stands for. */
export type EntityInstance<S> = S extends AliasedClass<infer C, any> ? InstanceType<C> : S extends AnyMappedClass ? InstanceType<S> : never;

/** The relationship attributes of instances of type `I` (those holding mapped objects). */
export type RelationshipKey<I> = {
  [K in AttributeName<I>]: NonNullable<I[K]> extends MappedObject | readonly MappedObject[] ? K : never;
}[AttributeName<I>];

type IsCollection<V> = NonNullable<V> extends readonly unknown[] ? true : false;

/**
 * A relationship of class `P` to class `T` in statements; `Many` is true for a collection
 * (`any()`), false for a single object (`has()`, `eq()`, `ne()`).
 */
export class RelationshipHandle<P = unknown, T = unknown, Many extends boolean = boolean> implements HasJoinTarget {
  declare readonly __parent?: P;
  declare readonly __many?: Many;
  /** The target's table name (types only): `outerJoin(handle)` makes its columns nullable in rows. */
  declare readonly __joinTable?: InstanceTableName<T>;

  /** @internal */
  constructor(
    readonly relationship: Relationship,
    /** @internal the parent's table or alias. */
    readonly parent: Side,
    /** @internal the target's table or alias (`ofType()`). */
    readonly target: Side,
  ) {}

  /** `User.addresses`, as messages name it. */
  get path(): string {
    return `${this.relationship.parent.name}.${this.relationship.name}`;
  }

  /** The same relationship to an alias of its target: `join(rel(User, 'addresses').ofType(a))`. */
  ofType(target: AliasedClass<abstract new (...args: any) => T & MappedObject, string>): RelationshipHandle<P, T, Many> {
    if (!(target instanceof AliasedClass) || target.mapper !== this.relationship.target) {
      throw new ArgumentError(`rel(${this.parent.mapper.name}, '${this.relationship.name}').ofType(): pass aliased(${this.relationship.target.name}).`);
    }
    return new RelationshipHandle(this.relationship, this.parent, { mapper: target.mapper, from: target.alias });
  }

  /** The joins `select().join(handle)` adds (two through a many-to-many's association table). */
  [joinTarget](): readonly JoinStep[] {
    if (this.sameFrom()) {
      throw new ArgumentError(
        `join(${this.describe()}): the relationship joins '${this.parent.mapper.table.name}' to itself; join to an alias: ${this.describe()}.ofType(aliased(${this.relationship.target.name}, 'name')).`,
      );
    }
    return joinSteps(this.relationship, this.parent.from, this.target.from);
  }

  /** `EXISTS` a related object (matching `criterion`, written on the target's columns): for collections. */
  any(this: RelationshipHandle<P, T, true>, criterion?: Predicate): ColumnElement<boolean> {
    if (!this.relationship.uselist) throw new ArgumentError(`${this.describe()}.any(): ${this.path} is a single object; use has().`);
    return this.exists('any', criterion);
  }

  /** `EXISTS` the related object (matching `criterion`, written on the target's columns): for single objects. */
  has(this: RelationshipHandle<P, T, false>, criterion?: Predicate): ColumnElement<boolean> {
    if (this.relationship.uselist) throw new ArgumentError(`${this.describe()}.has(): ${this.path} is a collection; use any().`);
    return this.exists('has', criterion);
  }

  /**
   * The collection holds `obj` (SQLAlchemy's `contains`): the parent's key compared with
   * `obj`'s foreign key, no join; through a many-to-many's association table, which the
   * criterion adds to the FROM list.
   */
  contains(this: RelationshipHandle<P, T, true>, obj: T): ColumnElement<boolean> {
    const rel = this.relationship;
    const where = `${this.describe()}.contains()`;
    if (!rel.uselist) throw new ArgumentError(`${where}: ${this.path} is a single object; use eq().`);
    this.refuseCriteria('contains', 'any');
    const parent = this.parent.from;
    if (rel.secondary) {
      const sec = rel.secondary;
      const values = columnValues(obj as object, rel.target, rel.targetPairs.map((p) => p.one), where);
      return and(...rel.pairs.map((p) => columnOf(parent, p.one).eq(columnOf(sec, p.many))), equalsAll(rel.targetPairs.map((p) => columnOf(sec, p.many)), values));
    }
    const values = columnValues(obj as object, rel.target, rel.pairs.map((p) => p.many), where);
    return equalsAll(rel.pairs.map((p) => columnOf(parent, p.one)), values);
  }

  /** The related object is `obj` (its key compared with the foreign key, no join), or none for null. */
  eq(this: RelationshipHandle<P, T, false>, obj: T | null): ColumnElement<boolean> {
    const { local, values } = this.compared('eq', obj);
    if (values === undefined) {
      if (this.relationship.direction === 'oneToMany') return not(this.exists('eq', undefined));
      return and(...local.map((c) => c.isNull()));
    }
    return equalsAll(local, values) as ColumnElement<boolean>;
  }

  /**
   * The related object is not `obj`: a different key or none (NULL-safe, as SQLAlchemy:
   * `fk != :key OR fk IS NULL`); `ne(null)`: there is one.
   */
  ne(this: RelationshipHandle<P, T, false>, obj: T | null): ColumnElement<boolean> {
    const { local, values } = this.compared('ne', obj);
    if (values === undefined) {
      if (this.relationship.direction === 'oneToMany') return this.exists('ne', undefined);
      return or(...local.map((c) => c.isNotNull()));
    }
    return or(...local.map((c, i) => c.ne(values[i] as never)), ...local.map((c) => c.isNull()));
  }

  /** @internal */
  describe(): string {
    return `rel(${this.parent.mapper.name}, '${this.relationship.name}')`;
  }

  private sameFrom(): boolean {
    return this.parent.from === this.target.from;
  }

  private exists(op: string, criterion: Predicate | undefined): ColumnElement<boolean> {
    let target = this.target.from;
    if (this.sameFrom()) {
      // A table to itself: the related rows come from an alias, which a criterion on the
      // class's own columns cannot name (it would mean the outer row).
      if (criterion !== undefined) {
        throw new ArgumentError(
          `${this.describe()}.${op}(criterion): ${this.path} relates '${this.parent.mapper.table.name}' to itself, so a criterion on ${this.relationship.target.name}.c would name the outer row; ` +
            `alias the target and write the criterion on the alias: const child = aliased(${this.relationship.target.name}, 'child'); ${this.describe()}.ofType(child).${op}(child.c....).`,
        );
      }
      target = (this.target.mapper.table as Table<any, any>).alias(`${this.target.mapper.table.name}_1`);
    }
    return existsAlong(this.relationship, this.parent.from, target, criterion as ColumnElement<boolean | null, any> | undefined);
  }

  /** A custom primaryjoin's extra terms are on the target's table, which a key comparison does not name. */
  private refuseCriteria(op: string, instead: 'has' | 'any'): void {
    const rel = this.relationship;
    if (rel.criteria === undefined && rel.secondaryCriteria === undefined) return;
    throw new ArgumentError(
      `${this.describe()}.${op}(): ${this.path} has a custom join with terms beyond its key columns, which a key comparison cannot apply; use ${instead}(${rel.target.name}.c.… .eq(…)).`,
    );
  }

  /** The parent's columns compared by eq()/ne() and `obj`'s values for them (undefined for null). */
  private compared(op: string, obj: unknown): { local: ColumnElement<any, any>[]; values: unknown[] | undefined } {
    const rel = this.relationship;
    if (rel.uselist) throw new ArgumentError(`${this.describe()}.${op}(): ${this.path} is a collection; use any(), or withParent() from the other side.`);
    if (rel.secondary) throw new ArgumentError(`${this.describe()}.${op}(): ${this.path} goes through the association table '${rel.secondary.name}'; use has(${rel.target.name}.c.… .eq(…)).`);
    this.refuseCriteria(op, 'has');
    const manyToOne = rel.direction === 'manyToOne';
    const local = rel.pairs.map((p) => columnOf(this.parent.from, manyToOne ? p.many : p.one));
    if (obj === null || obj === undefined) return { local, values: undefined };
    const keys = rel.pairs.map((p) => (manyToOne ? p.one : p.many));
    return { local, values: columnValues(obj as object, rel.target, keys, `${this.describe()}.${op}()`) };
  }
}

/** The class or alias a handle starts from. */
type Source = AnyMappedClass | AliasedClass<any, any>;

function sideOf(source: Source): Side {
  if (source instanceof AliasedClass) return { mapper: source.mapper, from: source.alias };
  const mapper = mapperOf(source);
  return { mapper, from: mapper.table };
}

/** The relationship `name` of a mapped class (or of an alias of one), for statements. */
export function rel<S extends Source, K extends RelationshipKey<EntityInstance<S>>>(
  source: S,
  name: K,
): RelationshipHandle<EntityInstance<S>, RelationshipTarget<EntityInstance<S>[K]>, IsCollection<EntityInstance<S>[K]>> {
  if (typeof source !== 'function' && !(source instanceof AliasedClass)) throw new ArgumentError(`rel() takes a mapped class or aliased(Class); got ${source === null ? 'null' : typeof source}.`);
  const parent = sideOf(source);
  const relationship = parent.mapper.relationships.get(name);
  if (!relationship) {
    const known = [...parent.mapper.relationships.keys()].join(', ') || 'none declared';
    throw new ArgumentError(`rel(${parent.mapper.name}, '${name}'): ${parent.mapper.name} has no relationship '${name}' (relationships: ${known}).`);
  }
  const where = `rel(${parent.mapper.name}, '${name}')`;
  // A target of several tables is refused where it is joined (subclassCriteria): its base table alone is not it.
  checkOneTable(parent.mapper, where);
  const target: Side = { mapper: relationship.target, from: relationship.target.table };
  return new RelationshipHandle(relationship, parent, target) as never;
}

/**
 * The objects related to `parent` along `handle` (SQLAlchemy's `with_parent`):
 * `select(Address).where(withParent(sandy, rel(User, 'addresses')))`. A criterion on the
 * target's columns with `parent`'s key as a bound value; no join to the parent's table.
 */
export function withParent<P, T>(parent: P, handle: RelationshipHandle<P, T, boolean>): ColumnElement<boolean> {
  if (!(handle instanceof RelationshipHandle)) throw new ArgumentError('withParent(obj, handle): the handle is rel(Class, \'name\').');
  const rel = handle.relationship;
  const where = `withParent(obj, ${handle.describe()})`;
  const target = handle.target.from;
  if (rel.secondary) {
    const sec = rel.secondary;
    const values = columnValues(parent as object, rel.parent, rel.pairs.map((p) => p.one), where);
    const links = rel.targetPairs.map((p) => columnOf(target, p.one).eq(columnOf(sec, p.many)));
    return and(equalsAll(rel.pairs.map((p) => columnOf(sec, p.many)), values), ...links, criteriaOn(rel, rel.secondaryCriteria, target), subclassCriteria(rel, target));
  }
  const oneToMany = rel.direction === 'oneToMany';
  const values = columnValues(parent as object, rel.parent, rel.pairs.map((p) => (oneToMany ? p.one : p.many)), where);
  // A custom primaryjoin's extra terms (on the target's table) narrow the related rows too.
  return and(equalsAll(rel.pairs.map((p) => columnOf(target, oneToMany ? p.many : p.one)), values), criteriaOn(rel, rel.criteria, target), subclassCriteria(rel, target));
}

