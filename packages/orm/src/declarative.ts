/**
 * `declarativeBase()`: a MetaData plus `mapped()` (a class per table, to extend) and
 * `relationships()` (declared once both classes exist, so mutually referencing classes
 * type-check without decorators or circular-type errors).
 */
import { ArgumentError, type ColumnDefs, Constraint, Index, MetaData, Table, clauseElement, selectEntity } from '@athanor/core';
import { declareSubclass } from './inheritance-declaration';
import { MappedObject } from './mapped-object';
import { Registry, registryOf } from './configure';
import { type Mapper, declaredMapperOf, mapperOf, mapperOptionsOf } from './mapper';
import { type MappedOptions, checkDeferredNotKey, splitMappedOptions } from './mapper-options';
import { type ColumnPropertyHandles, type ColumnPropertySpec, declareColumnProperties } from './column-property';
import { type HybridHandles, type HybridKey, type HybridMap, declareHybrids } from './hybrid';
import { Relationship, RelationshipSpec } from './relationship';
import { defineRelationshipAccessor } from './relationship-accessor';
import { defineColumnAccessors } from './state/attributes';
import { attachState } from './state/instance-state';
import { keepShape } from './util/shape-anchors';
import type { AnyMappedClass, JoinedSubclassOptions, MappedClass, MappedJoinedSubclass, MappedParent, MappedSubclass, RelationshipMap, SubclassOptions } from './types';

/** Options of `declarativeBase()`: a MetaData to share, or the schema of a new one's tables. */
export interface DeclarativeBaseOptions {
  /** Use this MetaData instead of a new one. */
  metadata?: MetaData;
  /** Schema for the new MetaData's tables. */
  schema?: string;
}

/** What `declarativeBase()` returns: the MetaData of its classes and `mapped()` / `subclass()` to declare mapped classes. */
export interface DeclarativeBase {
  readonly metadata: MetaData;
  /** A class for table `tableName` with these columns: `class User extends Base.mapped('users', {...}) {}`. */
  mapped<const N extends string, D extends ColumnDefs>(tableName: N, columns: D, ...args: (Constraint | Index | MappedOptions<keyof D & string>)[]): MappedClass<N, D>;
  /**
   * A subclass sharing `parent`'s table (single-table inheritance):
   * `class Engineer extends Base.subclass(Employee, { polymorphicIdentity: 'engineer', columns: { skill: Column(String) } }) {}`.
   * Its columns are added to the table; the parent's `polymorphicOn` column holds `polymorphicIdentity` in its rows.
   */
  subclass<P extends MappedParent, const D extends ColumnDefs = {}>(parent: P, options: SubclassOptions<D>): MappedSubclass<P, D>;
  /**
   * A subclass with a table of its own (joined-table inheritance), whose primary key is a
   * foreign key to the parent table's: `Base.subclass(Employee, { polymorphicIdentity: 'engineer', table: 'engineer', columns: { id: Column(Integer, ForeignKey('employee.id'), { primaryKey: true }), ... } })`.
   */
  subclass<P extends MappedParent, const N extends string, const D extends ColumnDefs>(parent: P, options: JoinedSubclassOptions<N, D>): MappedJoinedSubclass<P, N, D>;
  /**
   * Maps these classes now. A subclass is otherwise mapped when first used, and a query of
   * its base meeting one of its rows before then raises: register subclasses at startup.
   */
  register(...classes: AnyMappedClass[]): void;
  /** Declares relationships of a mapped class; each name must be a `declare`d field of the matching type. */
  relationships<C extends AnyMappedClass>(cls: C, rels: RelationshipMap<InstanceType<C>>): void;
  /**
   * Declares column properties of a mapped class (attributes a SQL expression computes,
   * loaded with the object); each name must be a `declare`d field of the expression's type.
   * Returns the expressions, for `where()` and `orderBy()`.
   */
  columnProperties<C extends AnyMappedClass, K extends HybridKey<InstanceType<C>>>(cls: C, props: ColumnPropertyMap<InstanceType<C>, K>): ColumnPropertyHandles<InstanceType<C>, K>;
  /**
   * Declares hybrid properties and methods: `get`/`method` on instances, `expression` in SQL.
   * Each name must be a `declare`d field (a method's: a function type). Returns the
   * class-level expressions (a property's) and expression builders (a method's).
   */
  hybrids<C extends AnyMappedClass & { readonly c: unknown }, K extends HybridKey<InstanceType<C>>>(cls: C, specs: HybridMap<C, K>): HybridHandles<InstanceType<C>, K>;
  /**
   * Checks the declared relationships together (`backPopulates` names the mirrored side).
   * Runs by itself at first use after a declaration; call it to find mistakes at startup.
   */
  configure(): void;
}

/** `Base.columnProperties(User, {...})`: each name a `declare`d field, each expression of its type. */
export type ColumnPropertyMap<I, K extends keyof I> = { [P in K]: ColumnPropertySpec<I[P]> };

/** A declarative base: `Base.mapped(table, columns)` maps a class, `Base.metadata` collects the tables. */
export function declarativeBase(options: DeclarativeBaseOptions = {}): DeclarativeBase {
  const metadata = options.metadata ?? new MetaData(options.schema ? { schema: options.schema } : {});
  const registry = new Registry();
  return {
    metadata,
    configure: () => registry.configure(),
    subclass(parent: AnyMappedClass, options: SubclassOptions | JoinedSubclassOptions<string, ColumnDefs>) {
      return declareSubclass(registry, metadata, parent, options) as any;
    },
    register(...classes) {
      for (const cls of classes) mapperOf(cls);
    },
    mapped(tableName, columns, ...args) {
      const schemaItems = args.filter((a) => a instanceof Constraint || a instanceof Index) as (Constraint | Index)[];
      const optionObjects = args.filter((a) => !(a instanceof Constraint || a instanceof Index)) as Record<string, unknown>[];
      if (optionObjects.length > 1) throw new ArgumentError(`Base.mapped('${tableName}', ...): give the options in one object.`);
      const options = splitMappedOptions(tableName, Object.keys(columns), optionObjects[0] ?? {});
      const table = new Table(tableName, metadata, columns, ...schemaItems, options.table);
      checkDeferredNotKey(table, options.mapper);
      class Mapped extends MappedObject {
        static readonly table = table;
        static readonly c = table.c;
        static readonly [registryOf] = registry;
        static readonly [mapperOptionsOf] = options.mapper;
        static [clauseElement]() {
          return table;
        }
        static [selectEntity]() {
          return mapperOf(this).descriptor;
        }
        constructor(init?: Record<string, unknown>) {
          super();
          const mapper = mapperOf(new.target);
          const values = new Array(mapper.columns.length);
          attachState(this, mapper, values);
          if (!mapper.constructedShapeKept) {
            // One object of the class as constructors make them (the class's own constructor and
            // field initializers skipped), kept for its shape: util/shape-anchors.ts.
            mapper.constructedShapeKept = true;
            keepShape(Reflect.construct(Mapped, [], new.target));
          }
          if (mapper.hierarchy !== undefined) setDiscriminator(mapper, values, init);
          if (init === undefined) return;
          for (const k in init) {
            if (!Object.hasOwn(init, k)) continue;
            // A new object has no history to record: column values go straight to their slots.
            const i = mapper.columnIndex.get(k);
            if (i !== undefined) values[i] = init[k];
            else if (mapper.relationships.has(k)) (this as Record<string, unknown>)[k] = init[k];
            else if (mapper.hasColumnProperty(k)) throw new ArgumentError(`${mapper.name}: '${k}' is a column property (computed by SQL when the row is loaded); it cannot be given.`);
            else throw new ArgumentError(`${mapper.name}: '${k}' is not a column or relationship of table '${table.name}' (columns: ${mapper.columnKeys.join(', ')}).`);
          }
        }
      }
      defineColumnAccessors(Mapped.prototype, table.columns);
      return Mapped as unknown as MappedClass<any, any>;
    },
    relationships(cls, rels) {
      // Not mapperOf(): configuring now would check relationships whose other side is declared next.
      const mapper = declaredMapperOf(cls);
      for (const [name, spec] of Object.entries(rels as Record<string, unknown>)) {
        if (!(spec instanceof RelationshipSpec)) throw new ArgumentError(`${mapper.name}.relationships: '${name}' must be relationship(Target, {...}).`);
        if (mapper.columnKeys.includes(name)) throw new ArgumentError(`${mapper.name}: relationship '${name}' has the name of a column.`);
        const rel = new Relationship(name, mapper, spec);
        mapper.addRelationship(rel);
        defineRelationshipAccessor(cls.prototype, rel);
        registry.declared(mapper);
      }
    },
    columnProperties(cls, props) {
      return declareColumnProperties(declaredMapperOf(cls), cls.prototype, props as Record<string, unknown>) as any;
    },
    hybrids(cls, specs) {
      return declareHybrids(cls, specs as Record<string, unknown>) as any;
    },
  };
}

/** A new object of a hierarchy gets its class's discriminator value; another given value is refused. */
function setDiscriminator(mapper: Mapper, values: unknown[], init: Record<string, unknown> | undefined): void {
  const h = mapper.hierarchy!;
  const key = h.discriminator.key;
  const given = init?.[key];
  if (given !== undefined && given !== mapper.polymorphicIdentity) {
    throw new ArgumentError(`new ${mapper.name}(): ${key} is the discriminator, set to ${JSON.stringify(mapper.polymorphicIdentity)} for every ${mapper.name}; got ${JSON.stringify(given)}.`);
  }
  if (mapper.polymorphicIdentity !== undefined) values[h.discriminatorIndex] = mapper.polymorphicIdentity;
}
