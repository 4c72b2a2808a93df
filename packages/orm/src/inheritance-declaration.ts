/**
 * `Base.subclass(Parent, { polymorphicIdentity, columns })`: a class to extend whose rows
 * live in the parent's table (single-table inheritance). Its columns are appended to that
 * table, its identity declared in the hierarchy before the extending class is mapped (on
 * first use, or `Base.register()`), so that a SELECT of the parent already knows it.
 * Other inheritance forms are refused with what to write instead.
 */
import { ArgumentError, type ColumnDefs, Index, type Table, type TableColumn, UniqueConstraint } from '@athanor/core';
import type { Registry } from './configure';
import { type InheritanceSpec, declaredMapperOf, inheritanceOf } from './mapper';
import { defineColumnAccessors } from './state/attributes';
import type { AnyMappedClass, SubclassOptions } from './types';

const OPTION_KEYS = ['polymorphicIdentity', 'columns'];

export function declareSubclass(registry: Registry, parent: AnyMappedClass, options: SubclassOptions<ColumnDefs>): AnyMappedClass {
  const where = `Base.subclass(${parent?.name ?? String(parent)}, ...)`;
  if (typeof parent !== 'function') throw new ArgumentError(`${where}: the first argument must be a mapped class.`);
  checkOptions(where, options);
  const parentMapper = declaredMapperOf(parent);
  if (parentMapper.registry !== registry) throw new ArgumentError(`${where}: ${parent.name} belongs to another declarativeBase(); declare the subclass with that Base.`);
  const hierarchy = parentMapper.hierarchy;
  if (hierarchy === undefined) {
    throw new ArgumentError(
      `${where}: ${parentMapper.base.name} has no discriminator column; give Base.mapped('${parentMapper.table.name}', {...}, { polymorphicOn: '<column key>' }) so that each row names its class.`,
    );
  }
  const identity = options.polymorphicIdentity;
  hierarchy.declare(parentMapper, identity, where);
  const added = appendColumns(where, parentMapper.table, options.columns ?? {});
  for (const m of hierarchy.mapperList) m.refreshColumns();
  const spec: InheritanceSpec = { parent, identity };
  const Sub = class extends (parent as unknown as abstract new (...args: any) => object) {
    static readonly [inheritanceOf] = spec;
  };
  if (added.length > 0) defineColumnAccessors(Sub.prototype, added, added[0].position);
  return Sub as unknown as AnyMappedClass;
}

function checkOptions(where: string, options: SubclassOptions<ColumnDefs>): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${where}: give the options { polymorphicIdentity: '...', columns: {...} }.`);
  for (const k of Object.keys(options)) {
    if (OPTION_KEYS.includes(k)) continue;
    if (k === 'table' || k === 'tableName' || k === 'concrete' || k === 'inherits') {
      throw new ArgumentError(
        `${where}: option '${k}': a subclass with a table of its own (joined-table or concrete-table inheritance) is not supported; ` +
          'single-table inheritance is: its columns go in the parent\'s table (columns: {...}).',
      );
    }
    throw new ArgumentError(`${where}: unknown option '${k}'; the options are ${OPTION_KEYS.join(', ')}.`);
  }
  const identity = options.polymorphicIdentity;
  if (typeof identity !== 'string' && typeof identity !== 'number') {
    throw new ArgumentError(`${where}: polymorphicIdentity (the discriminator value of this class's rows) must be a string or a number; got ${identity === undefined ? 'none' : typeof identity}.`);
  }
  if (options.columns !== undefined && (typeof options.columns !== 'object' || options.columns === null)) throw new ArgumentError(`${where}: columns must be an object of Column(...) definitions.`);
}

function appendColumns(where: string, table: Table<any, any>, defs: ColumnDefs): TableColumn<any, any>[] {
  const c = table.c as Record<string, TableColumn<any, any>>;
  for (const [key, def] of Object.entries(defs)) {
    if (!def || typeof def !== 'object' || !('type' in def)) throw new ArgumentError(`${where}: '${key}' is not a column definition; write ${key}: Column(String, ...).`);
    if (c[key] !== undefined) throw new ArgumentError(`${where}: '${key}' is already a column of table '${table.name}'; each class of the hierarchy names its own columns.`);
    if (def.options.primaryKey) throw new ArgumentError(`${where}: '${key}' is marked primaryKey; a single-table subclass shares its parent's primary key.`);
    if (def.options.nullable === false && def.options.default === undefined && def.options.serverDefault === undefined) {
      throw new ArgumentError(`${where}: '${key}' is NOT NULL without a default; the other classes' rows in table '${table.name}' leave it NULL, so make it nullable or give it a default.`);
    }
  }
  const added: TableColumn<any, any>[] = [];
  for (const [key, def] of Object.entries(defs)) {
    const col = table.appendColumn(key, def);
    if (col.options.unique) table.addConstraint(new UniqueConstraint([col]));
    if (col.options.index) table.addIndex(new Index(undefined, [col]));
    added.push(col);
  }
  return added;
}
