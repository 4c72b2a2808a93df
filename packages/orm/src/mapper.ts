/**
 * A mapper links a class to its table: column keys and positions, primary key, version
 * counter, relationships, and the entity descriptor through which `select(User)` loads
 * rows as instances.
 */
import { ArgumentError, type EntityDescriptor, type Table, type TableColumn } from '@athanor/core';
import { type ColumnDefaults, columnDefaults } from './column-defaults';
import { type Registry, registryOf } from './configure';
import { Listeners } from './listeners';
import type { MapperOptions } from './mapper-options';
import type { Relationship } from './relationship';
import { type InstanceState, attachState } from './state/instance-state';

/** What a row loader needs from its context (the Session implements it). */
export interface LoadContext {
  loadInstance(mapper: Mapper, values: unknown[]): object;
}

/** Where a mapped class keeps its mapper options (a static of the class `Base.mapped()` returns). */
export const mapperOptionsOf = Symbol('athanor.orm.mapperOptions');

export class Mapper {
  readonly columns: readonly TableColumn<any, any>[];
  /** Attribute names of the columns, in table order (the column keys). */
  readonly columnKeys: readonly string[];
  /** Column key → position in the state's value slots. */
  readonly columnIndex: ReadonlyMap<string, number>;
  readonly pkKeys: readonly string[];
  readonly pkIndexes: readonly number[];
  readonly relationships = new Map<string, Relationship>();
  /** Relationships loaded with every query of this class (`lazy: 'selectin' | 'joined'`), kept at declaration. */
  eagerRelationships: readonly Relationship[] = [];
  readonly descriptor: EntityDescriptor<object>;
  /** The version counter column's position (`versionIdCol`), or -1. */
  readonly versionIndex: number;
  readonly versionGenerator: (previous: unknown) => unknown;
  /** The columns an UPDATE or DELETE of one row matches on: the primary key, then the version counter. */
  readonly matchKeys: readonly string[];
  /** Mapper events (`listen(User, 'beforeInsert', ...)`). */
  readonly listeners = new Listeners();

  constructor(
    readonly cls: abstract new (...args: any) => object,
    readonly table: Table<any, any>,
    readonly registry: Registry,
    options: MapperOptions,
  ) {
    this.columns = table.columns;
    this.columnKeys = this.columns.map((c) => c.key);
    this.columnIndex = new Map(this.columnKeys.map((k, i) => [k, i]));
    this.pkKeys = table.primaryKey.map((c) => c.key);
    this.pkIndexes = this.pkKeys.map((k) => this.columnIndex.get(k)!);
    if (this.pkKeys.length === 0) throw new ArgumentError(`Mapped class ${cls.name}: table '${table.name}' has no primary key; mark a column primaryKey: true.`);
    this.versionIndex = options.versionIdCol === undefined ? -1 : this.columnIndex.get(options.versionIdCol)!;
    this.versionGenerator = options.versionIdGenerator ?? ((v) => (typeof v === 'number' ? v + 1 : 1));
    this.matchKeys = this.versionIndex >= 0 ? [...this.pkKeys, this.columnKeys[this.versionIndex]] : this.pkKeys;
    this.descriptor = {
      name: cls.name,
      from: table,
      columns: this.columns,
      load: (values, context) => {
        if (context !== undefined && typeof (context as LoadContext).loadInstance === 'function') return (context as LoadContext).loadInstance(this, values as unknown[]);
        // Executed outside a session (plain conn.execute): a detached instance.
        return this.instanceFromRow(values as unknown[]).obj;
      },
    };
    byDescriptor.set(this.descriptor, this);
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

  /** The identity key of primary key values given in key column order. */
  identityKeyOfPk(pk: readonly unknown[]): unknown {
    if (pk.length === 1) return pk[0] === null ? undefined : pk[0];
    if (pk.some((v) => v === undefined || v === null)) return undefined;
    return pk.map(String).join('\u0000');
  }

  /** A new instance from a row, without calling the constructor (as SQLAlchemy does). */
  instanceFromRow(values: unknown[], key: unknown = this.identityKey(values)): InstanceState {
    const obj = Object.create(this.cls.prototype) as object;
    const state = attachState(obj, this, values);
    state.key = key;
    return state;
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
  m = new Mapper(cls, table, base, (cls as any)[mapperOptionsOf] ?? {});
  registry.set(cls, m);
  return m;
}
