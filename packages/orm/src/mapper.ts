/**
 * A mapper links a class to its table: column keys, primary key, relationships, and the
 * entity descriptor through which `select(User)` loads rows as instances.
 */
import { ArgumentError, type EntityDescriptor, type Table, type TableColumn } from '@athanor/core';
import { type ColumnDefaults, columnDefaults } from './column-defaults';
import { type Registry, registryOf } from './configure';
import type { Relationship } from './relationship';
import { attachState } from './state';

/** What a row loader needs from its context (the Session implements it). */
export interface LoadContext {
  loadInstance(mapper: Mapper, values: readonly unknown[]): object;
}

export class Mapper {
  readonly columns: readonly TableColumn<any, any>[];
  /** Attribute names of the columns, in table order (the column keys). */
  readonly columnKeys: readonly string[];
  readonly pkKeys: readonly string[];
  readonly relationships = new Map<string, Relationship>();
  readonly descriptor: EntityDescriptor<object>;

  constructor(
    readonly cls: abstract new (...args: any) => object,
    readonly table: Table<any, any>,
    readonly registry: Registry,
  ) {
    this.columns = table.columns;
    this.columnKeys = this.columns.map((c) => c.key);
    this.pkKeys = table.primaryKey.map((c) => c.key);
    if (this.pkKeys.length === 0) throw new ArgumentError(`Mapped class ${cls.name}: table '${table.name}' has no primary key; mark a column primaryKey: true.`);
    this.descriptor = {
      name: cls.name,
      from: table,
      columns: this.columns,
      load: (values, context) => {
        if (isLoadContext(context)) return context.loadInstance(this, values);
        // Executed outside a session (plain conn.execute): a detached instance.
        return this.instanceFromRow(values);
      },
    };
  }

  /** Column defaults as the flush needs them (built on first flush). */
  get defaults(): ColumnDefaults {
    return (this.defaultsCache ??= columnDefaults(this.columns));
  }
  private defaultsCache: ColumnDefaults | undefined;

  get name(): string {
    return this.cls.name;
  }

  identityKey(values: Record<string, unknown>): string | undefined {
    const parts: string[] = [];
    for (const k of this.pkKeys) {
      const v = values[k];
      if (v === undefined || v === null) return undefined;
      parts.push(String(v));
    }
    return `${this.table.fullname}\u0000${parts.join('\u0000')}`;
  }

  /** A new instance from a row, without calling the constructor (as SQLAlchemy does). */
  instanceFromRow(values: readonly unknown[]): object {
    const obj = Object.create(this.cls.prototype) as Record<string, unknown>;
    const state = attachState(obj, this);
    this.columnKeys.forEach((k, i) => {
      obj[k] = values[i];
    });
    state.committed = this.snapshot(obj);
    state.key = this.identityKey(obj);
    return obj;
  }

  snapshot(obj: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.columnKeys) out[k] = (obj as Record<string, unknown>)[k];
    return out;
  }

  pkValues(obj: object): unknown[] {
    return this.pkKeys.map((k) => (obj as Record<string, unknown>)[k]);
  }
}

function isLoadContext(x: unknown): x is LoadContext {
  return typeof x === 'object' && x !== null && typeof (x as LoadContext).loadInstance === 'function';
}

const registry = new WeakMap<object, Mapper>();

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
  if (!table) throw new ArgumentError(`${cls.name} is not a mapped class: extend Base.mapped('table', { ... }).`);
  const base = (cls as any)[registryOf] as Registry | undefined;
  if (!base) throw new ArgumentError(`${cls.name} is not a mapped class: extend Base.mapped('table', { ... }).`);
  m = new Mapper(cls, table, base);
  registry.set(cls, m);
  return m;
}
