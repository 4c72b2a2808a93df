/**
 * A mapper links a class to its table: column keys and positions, primary key, version
 * counter, relationships, and the entity descriptor through which `select(User)` loads
 * rows as instances.
 */
import { ArgumentError, type ColumnElement, type EntityDescriptor, type FromClause, type Table, type TableColumn, adaptToAlias } from '@athanor/core';
import { type ColumnDefaults, columnDefaults } from './column-defaults';
import type { ColumnProperty } from './column-property';
import { type ColumnPlan, buildColumnPlan } from './column-plan';
import { type Registry, registryOf } from './configure';
import { Listeners } from './listeners';
import type { MapperOptions } from './mapper-options';
import type { Relationship } from './relationship';
import { Hierarchy } from './inheritance';
import { type PolymorphicTable, joinedLayout, projection } from './joined-inheritance';
import type { TablePart } from './table-part';
import { type InstanceState, attachState } from './state/instance-state';
import { keepShape } from './util/shape-anchors';

/** What a row loader needs from its context (the Session implements it). */
export interface LoadContext {
  /**
   * The instance of a row's values; null when the entity has no row (an outer join's missing side).
   * `partial`: the row may leave slots unloaded (deferred columns), or fill ones an object lacks.
   */
  loadInstance(mapper: Mapper, values: unknown[], partial?: boolean): object | null;
}

/** Where a mapped class keeps its mapper options (a static of the class `Base.mapped()` returns). */
export const mapperOptionsOf = Symbol('athanor.orm.mapperOptions');

/** Where a class made by `Base.subclass()` keeps what it inherits from (a static). */
export const inheritanceOf = Symbol('athanor.orm.inheritance');

/** What `Base.subclass(Parent, { polymorphicIdentity })` declared. */
export interface InheritanceSpec {
  readonly parent: abstract new (...args: any) => object;
  readonly identity: unknown;
  /** A table of its own (joined-table inheritance), else the parent's (single-table). */
  readonly joined: boolean;
}

export class Mapper implements TablePart {
  columns: readonly TableColumn<any, any>[];
  /** Attribute names of the columns, in table order (the column keys). */
  columnKeys: readonly string[];
  /** Column key → position in the state's value slots. */
  columnIndex: ReadonlyMap<string, number>;
  readonly pkKeys: readonly string[];
  readonly pkIndexes: readonly number[];
  /** The tables its rows span, as the flush writes them: this mapper alone, or (joined-table inheritance) the parent's parts and its own table. */
  readonly parts: readonly TablePart[];
  /** The tables of `parts`, base first. */
  readonly tables: readonly Table<any, any>[];
  /** Its table's first value slot (as a table part). */
  readonly offset = 0;
  readonly inheritedKey: readonly (readonly [number, number])[] = [];
  /** Its tables joined (a joined-table subclass), else its table: what `join(Engineer)` joins. */
  readonly innerFrom: FromClause;
  /** Joined subclasses' tables LEFT OUTER JOINed to its SELECTs, and where their columns start. */
  readonly polymorphicTables: PolymorphicTable[] = [];
  /** Row class → where its value slots are in a row of this mapper's SELECT (polymorphic joined loading). */
  readonly projections = new Map<Mapper, number[]>();
  readonly relationships = new Map<string, Relationship>();
  /** Relationships loaded with every query of this class (`lazy: 'selectin' | 'joined'`), kept at declaration. */
  eagerRelationships: readonly Relationship[] = [];
  /** How `select(User)` selects and loads the entity (replaced when column properties are declared). */
  descriptor: EntityDescriptor<object | null>;
  /** Column properties, in declaration order; their slots follow the columns'. */
  readonly columnProperties: ColumnProperty[] = [];
  /** Columns not loaded by default (`deferred` mapper option), by slot. */
  readonly deferredSlots: ReadonlySet<number>;
  /**
   * The slots a default SELECT loads, and the plan for it; `undefined` when the mapper has no
   * deferred columns or column properties: rows are then the slots as they come.
   */
  defaultPlan: ColumnPlan | undefined = undefined;
  private readonly plans = new Map<string, ColumnPlan>();
  /** The version counter column's position (`versionIdCol`), or -1. */
  readonly versionIndex: number;
  readonly versionGenerator: (previous: unknown) => unknown;
  /** The columns an UPDATE or DELETE of one row matches on: the primary key, then the version counter. */
  readonly matchKeys: readonly string[];
  /** Mapper events (`listen(User, 'beforeInsert', ...)`). */
  readonly listeners = new Listeners();
  /** Inheritance (single-table): the hierarchy this mapper belongs to, or undefined (see inheritance.ts). */
  readonly hierarchy: Hierarchy | undefined;
  /** The mapper this one inherits from, or undefined. */
  readonly parent: Mapper | undefined;
  /** The root of its hierarchy (itself without inheritance): the identity map keys objects by it. */
  readonly base: Mapper;
  /** This class's discriminator value (`polymorphicIdentity`), or undefined. */
  readonly polymorphicIdentity: unknown;
  /** The mapped subclasses that inherit directly from this one. */
  readonly subclassMappers: Mapper[] = [];

  constructor(
    readonly cls: abstract new (...args: any) => object,
    readonly table: Table<any, any>,
    readonly registry: Registry,
    options: MapperOptions,
    inheritance?: { parent: Mapper; identity: unknown; joined: boolean },
  ) {
    const joined = inheritance?.joined ? joinedLayout(cls.name, inheritance.parent, table) : undefined;
    this.columns = joined ? joined.columns : table.columns;
    this.columnKeys = joined ? joined.columnKeys : this.columns.map((c) => c.key);
    this.columnIndex = joined ? joined.columnIndex : new Map(this.columnKeys.map((k, i) => [k, i]));
    this.parts = joined ? [...inheritance!.parent.parts, joined.part] : [this];
    this.innerFrom = joined ? joined.from : table;
    this.tables = this.parts.map((p) => p.table);
    this.parent = inheritance?.parent;
    this.base = inheritance ? inheritance.parent.base : this;
    this.polymorphicIdentity = inheritance ? inheritance.identity : options.polymorphicIdentity;
    this.hierarchy = inheritance ? inheritance.parent.hierarchy : options.polymorphicOn !== undefined ? new Hierarchy(this, options.polymorphicOn) : undefined;
    // A joined subclass's identity is its base row's key.
    this.pkKeys = joined ? inheritance!.parent.pkKeys : table.primaryKey.map((c) => c.key);
    this.pkIndexes = joined ? inheritance!.parent.pkIndexes : this.pkKeys.map((k) => this.columnIndex.get(k)!);
    if (this.pkKeys.length === 0) throw new ArgumentError(`Mapped class ${cls.name}: table '${table.name}' has no primary key; mark a column primaryKey: true.`);
    this.versionIndex = options.versionIdCol === undefined ? -1 : this.columnIndex.get(options.versionIdCol)!;
    this.versionGenerator = options.versionIdGenerator ?? ((v) => (typeof v === 'number' ? v + 1 : 1));
    this.matchKeys = this.versionIndex >= 0 ? [...this.pkKeys, this.columnKeys[this.versionIndex]] : this.pkKeys;
    this.deferredSlots = new Set((options.deferred ?? []).map((k) => this.columnIndex.get(k)!));
    const polymorphic = this.hierarchy !== undefined;
    this.descriptor = {
      name: cls.name,
      from: this.innerFrom,
      columns: this.columns,
      load: (values, context) => {
        // A hierarchy's row becomes an instance of the class its discriminator names.
        let m: Mapper = this;
        let own = values as unknown[];
        if (polymorphic) {
          m = this.mapperForRow(values);
          // Joined subclasses' tables widen the row: keep the row's class's slots.
          if (this.polymorphicTables.length > 0) own = projection(this, m).map((i) => values[i]);
        }
        if (context !== undefined && typeof (context as LoadContext).loadInstance === 'function') return (context as LoadContext).loadInstance(m, own);
        // Executed outside a session (plain conn.execute): a detached instance.
        const key = m.identityKey(own);
        if (key === undefined && m.noRow(own)) return null;
        return m.instanceFromRow(own, key).obj;
      },
    };
    byDescriptor.set(this.descriptor, this);
    if (inheritance) {
      inheritance.parent.subclassMappers.push(this);
      for (const rel of inheritance.parent.relationships.values()) this.relationships.set(rel.name, rel);
      this.eagerRelationships = inheritance.parent.eagerRelationships;
      this.hierarchy!.mapped(this);
    }
    if (this.deferredSlots.size > 0) {
      this.refuseInHierarchy('deferred columns');
      this.replanDefault();
    }
  }

  /** Deferred columns and column properties are not supported with inheritance yet: refused, not half-working. */
  private refuseInHierarchy(what: string): void {
    if (this.hierarchy !== undefined) throw new ArgumentError(`${this.name}: ${what} are not supported on a class of an inheritance hierarchy yet; map them on a class without polymorphicOn / Base.subclass().`);
  }

  /** The mapper of a row's class: the one its discriminator names, this one when there is none. */
  mapperForRow(values: readonly unknown[]): Mapper {
    const h = this.hierarchy;
    if (h === undefined) return this;
    const v = values[h.discriminatorIndex];
    if (v === null || v === undefined || v === this.polymorphicIdentity) return this;
    return h.mapperFor(v, this);
  }

  /** Whether this mapper's objects are `other`'s (the same mapper or one inheriting from it). */
  isa(other: Mapper): boolean {
    for (let m: Mapper | undefined = this; m !== undefined; m = m.parent) if (m === other) return true;
    return false;
  }

  /** Adds a relationship here and to every mapped subclass (they inherit it). */
  addRelationship(rel: Relationship): void {
    this.relationships.set(rel.name, rel);
    // A redeclared name replaces the previous relationship here too, eager or not.
    const others = this.eagerRelationships.filter((r) => r.name !== rel.name);
    this.eagerRelationships = rel.lazy === 'selectin' || rel.lazy === 'joined' ? [...others, rel] : others;
    for (const sub of this.subclassMappers) sub.addRelationship(rel);
  }

  /** Columns a subclass appended to this (shared) table after the mapper was made. */
  refreshColumns(): void {
    if (this.columns === this.table.columns) return;
    this.columns = this.table.columns;
    this.columnKeys = this.columns.map((c) => c.key);
    this.columnIndex = new Map(this.columnKeys.map((k, i) => [k, i]));
    (this.descriptor as { columns: readonly ColumnElement<any, any>[] }).columns = this.columns;
    this.defaultsCache = undefined;
    this.allColumnSlotsCache = undefined;
  }

  /** Value slots per instance: the columns, then the column properties. */
  get width(): number {
    return this.columns.length + this.columnProperties.length;
  }

  /** The slots a SELECT of the entity loads unless told otherwise. */
  get defaultSlots(): readonly number[] {
    return this.defaultPlan?.slots ?? this.allColumnSlots;
  }
  private get allColumnSlots(): readonly number[] {
    return (this.allColumnSlotsCache ??= this.columns.map((_, i) => i));
  }
  private allColumnSlotsCache: number[] | undefined;

  hasColumnProperty(name: string): boolean {
    return this.columnProperties.some((p) => p.name === name);
  }

  columnProperty(name: string): ColumnProperty | undefined {
    return this.columnProperties.find((p) => p.name === name);
  }

  /** The attribute name of a value slot (a column key or a column property's name). */
  slotName(slot: number): string {
    return slot < this.columns.length ? this.columnKeys[slot] : this.columnProperties[slot - this.columns.length].name;
  }

  /** The slot of a column key or column property name, or undefined. */
  slotOf(name: string): number | undefined {
    return this.columnIndex.get(name) ?? this.columnProperty(name)?.slot;
  }

  /** @internal adds a column property (Base.columnProperties); the default SELECT selects it unless deferred. */
  addColumnProperty(name: string, expression: ColumnElement<any, any>, deferred: boolean): ColumnProperty {
    this.refuseInHierarchy('column properties');
    // A subquery of the expression correlates to this table only: a query that also joins
    // the subquery's other tables (select(User).join(Address)) leaves them in its FROM.
    const prop = { name, expression: adaptToAlias(expression, this.table, this.table, { correlate: true }), slot: this.width, deferred };
    this.columnProperties.push(prop);
    this.plans.clear();
    this.replanDefault();
    return prop;
  }

  /** The plan loading exactly these slots (ascending), made once per set. */
  planFor(slots: readonly number[]): ColumnPlan {
    const key = slots.join(',');
    let plan = this.plans.get(key);
    if (plan === undefined) {
      this.plans.set(key, (plan = buildColumnPlan(this, slots)));
      byDescriptor.set(plan.descriptor, this);
    }
    return plan;
  }

  /** Whether every slot a default SELECT loads holds a value (an expired object is whole again). */
  defaultLoaded(values: readonly unknown[]): boolean {
    const slots = this.defaultSlots;
    for (let i = 0; i < slots.length; i++) if (values[slots[i]] === undefined) return false;
    return true;
  }

  private replanDefault(): void {
    const slots: number[] = [];
    for (let i = 0; i < this.columns.length; i++) if (!this.deferredSlots.has(i)) slots.push(i);
    for (const p of this.columnProperties) if (!p.deferred) slots.push(p.slot);
    this.defaultPlan = this.planFor(slots);
    this.descriptor = this.defaultPlan.descriptor;
  }

  /** Column defaults as the flush needs them (built on first flush). */
  get defaults(): ColumnDefaults {
    return (this.defaultsCache ??= columnDefaults(this.columns));
  }
  private defaultsCache: ColumnDefaults | undefined;

  get name(): string {
    return this.cls.name;
  }

  /** The identity key of a row's values (column slots), or undefined when a key column is null. */
  identityKey(values: readonly unknown[]): unknown {
    const idx = this.pkIndexes;
    if (idx.length === 1) {
      const v = values[idx[0]];
      return v === null ? undefined : v;
    }
    let out = '';
    for (let n = 0; n < idx.length; n++) {
      const v = values[idx[n]];
      if (v === undefined || v === null) return undefined;
      out += n === 0 ? String(v) : `\u0000${String(v)}`;
    }
    return out;
  }

  /** Every key column is NULL: an outer join found no row for this entity (SQLAlchemy's None). */
  noRow(values: readonly unknown[]): boolean {
    for (const i of this.pkIndexes) if (values[i] !== null && values[i] !== undefined) return false;
    return true;
  }

  /** The identity key of primary key values given in key column order. */
  identityKeyOfPk(pk: readonly unknown[]): unknown {
    if (pk.length === 1) return pk[0] === null ? undefined : pk[0];
    if (pk.some((v) => v === undefined || v === null)) return undefined;
    return pk.map(String).join('\u0000');
  }

  /** A new instance from a row, without calling the constructor (as SQLAlchemy does). */
  instanceFromRow(values: unknown[], key: unknown = this.identityKey(values)): InstanceState {
    const obj = new (this.blank ??= this.makeBlank())();
    const state = attachState(obj, this, values);
    state.key = key;
    return state;
  }

  /** @internal An object made by the mapped class's constructor is kept for its shape (util/shape-anchors.ts). */
  constructedShapeKept = false;

  /** Makes loaded objects of the class without running its constructor (see `blankConstructor`). */
  private blank: (new () => object) | undefined = undefined;

  /** The blank constructor, and one object made with it kept for its shape (util/shape-anchors.ts). */
  private makeBlank(): new () => object {
    const Blank = blankConstructor(this.cls);
    keepShape(attachState(new Blank(), this, []).obj);
    return Blank;
  }

  pkValues(state: InstanceState): unknown[] {
    return this.pkIndexes.map((i) => state.values[i]);
  }

  /** Column key → value, for messages and events. */
  describePk(values: readonly unknown[]): string {
    return this.pkKeys.map((k, n) => `${k}=${String(values[this.pkIndexes[n]])}`).join(', ');
  }
}

const registry = new WeakMap<object, Mapper>();
const byDescriptor = new WeakMap<object, Mapper>();

/** @internal another descriptor of `mapper`'s entity (a loader's variant of its SELECT): statements' slots resolve to the mapper. */
export function registerEntityDescriptor(descriptor: object, mapper: Mapper): void {
  byDescriptor.set(descriptor, mapper);
}

/** The mapper whose entity a statement's slot selects (undefined for other entities). */
export function mapperOfDescriptor(descriptor: object): Mapper | undefined {
  return byDescriptor.get(descriptor);
}

/** The mapper of a mapped class (created on first use, when every table exists), its base configured. */
export function mapperOf(cls: abstract new (...args: any) => object): Mapper {
  const m = declaredMapperOf(cls);
  if (!m.registry.configured) m.registry.configure();
  return m;
}

/** The mapper as declared so far, for the declarations themselves. */
export function declaredMapperOf(cls: abstract new (...args: any) => object): Mapper {
  let m = registry.get(cls);
  if (m) return m;
  const table = (cls as any).table as Table<any, any> | undefined;
  const base = (cls as any)[registryOf] as Registry | undefined;
  if (!table || !base) throw new ArgumentError(`${cls.name} is not a mapped class: extend Base.mapped('table', { ... }).`);
  const spec = (cls as any)[inheritanceOf] as InheritanceSpec | undefined;
  const inheritance = spec === undefined ? undefined : { parent: declaredMapperOf(spec.parent), identity: spec.identity, joined: spec.joined };
  m = new Mapper(cls, table, base, (cls as any)[mapperOptionsOf] ?? {}, inheritance);
  registry.set(cls, m);
  return m;
}

/** Whether `cls` already has its mapper (a subclass declaration must come before it is used). */
export function hasMapper(cls: abstract new (...args: any) => object): boolean {
  return registry.has(cls);
}

/**
 * A constructor that makes objects of `cls` without running `cls`'s constructor (loaded rows
 * bypass it, as in SQLAlchemy). Half the memory of `Object.create(cls.prototype)`: objects
 * made by a constructor get a shape sized to what they hold, Object.create's a default one
 * with room for four properties; loads make thousands of them.
 */
function blankConstructor(cls: abstract new (...args: any) => object): new () => object {
  const Blank = function (this: object) {} as unknown as new () => object;
  Blank.prototype = cls.prototype;
  return Blank;
}
