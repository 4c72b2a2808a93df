/**
 * `declarativeBase()`: a MetaData plus `mapped()` (a class per table, to extend) and
 * `relationships()` (declared once both classes exist, so mutually referencing classes
 * type-check without decorators or circular-type errors).
 */
import { ArgumentError, type ColumnDefs, Constraint, Index, MetaData, Table, clauseElement, selectEntity } from '@athanor/core';
import { MappedObject } from './mapped-object';
import { Registry, registryOf } from './configure';
import { declaredMapperOf, mapperOf, mapperOptionsOf } from './mapper';
import { type MappedOptions, splitMappedOptions } from './mapper-options';
import { Relationship, RelationshipSpec } from './relationship';
import { defineRelationshipAccessor } from './relationship-accessor';
import { defineColumnAccessors } from './state/attributes';
import { attachState } from './state/instance-state';
import type { AnyMappedClass, MappedClass, RelationshipMap } from './types';

export interface DeclarativeBaseOptions {
  /** Use this MetaData instead of a new one. */
  metadata?: MetaData;
  /** Schema for the new MetaData's tables. */
  schema?: string;
}

export interface DeclarativeBase {
  readonly metadata: MetaData;
  /** A class for table `tableName` with these columns: `class User extends Base.mapped('users', {...}) {}`. */
  mapped<const N extends string, D extends ColumnDefs>(tableName: N, columns: D, ...args: (Constraint | Index | MappedOptions<keyof D & string>)[]): MappedClass<N, D>;
  /** Declares relationships of a mapped class; each name must be a `declare`d field of the matching type. */
  relationships<C extends AnyMappedClass>(cls: C, rels: RelationshipMap<InstanceType<C>>): void;
  /**
   * Checks the declared relationships together (`backPopulates` names the mirrored side).
   * Runs by itself at first use after a declaration; call it to find mistakes at startup.
   */
  configure(): void;
}

export function declarativeBase(options: DeclarativeBaseOptions = {}): DeclarativeBase {
  const metadata = options.metadata ?? new MetaData(options.schema ? { schema: options.schema } : {});
  const registry = new Registry();
  return {
    metadata,
    configure: () => registry.configure(),
    mapped(tableName, columns, ...args) {
      const schemaItems = args.filter((a) => a instanceof Constraint || a instanceof Index) as (Constraint | Index)[];
      const optionObjects = args.filter((a) => !(a instanceof Constraint || a instanceof Index)) as Record<string, unknown>[];
      if (optionObjects.length > 1) throw new ArgumentError(`Base.mapped('${tableName}', ...): give the options in one object.`);
      const options = splitMappedOptions(tableName, Object.keys(columns), optionObjects[0] ?? {});
      const table = new Table(tableName, metadata, columns, ...schemaItems, options.table);
      const width = table.columns.length;
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
          const values = new Array(width);
          attachState(this, mapper, values);
          if (init === undefined) return;
          for (const k in init) {
            if (!Object.hasOwn(init, k)) continue;
            // A new object has no history to record: column values go straight to their slots.
            const i = mapper.columnIndex.get(k);
            if (i !== undefined) values[i] = init[k];
            else if (mapper.relationships.has(k)) (this as Record<string, unknown>)[k] = init[k];
            else throw new ArgumentError(`${mapper.name}: '${k}' is not a column or relationship of table '${table.name}' (columns: ${mapper.columnKeys.join(', ')}).`);
          }
        }
      }
      defineColumnAccessors(Mapped.prototype, table);
      return Mapped as unknown as MappedClass<any, any>;
    },
    relationships(cls, rels) {
      // Not mapperOf(): configuring now would check relationships whose other side is declared next.
      const mapper = declaredMapperOf(cls);
      for (const [name, spec] of Object.entries(rels as Record<string, unknown>)) {
        if (!(spec instanceof RelationshipSpec)) throw new ArgumentError(`${mapper.name}.relationships: '${name}' must be relationship(Target, {...}).`);
        if (mapper.columnKeys.includes(name)) throw new ArgumentError(`${mapper.name}: relationship '${name}' has the name of a column.`);
        const rel = new Relationship(name, mapper, spec);
        mapper.relationships.set(name, rel);
        defineRelationshipAccessor(cls.prototype, rel);
        registry.declared(mapper);
      }
      mapper.eagerRelationships = [...mapper.relationships.values()].filter((r) => r.lazy === 'selectin' || r.lazy === 'joined');
    },
  };
}
