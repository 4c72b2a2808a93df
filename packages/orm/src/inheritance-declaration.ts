/**
 * `Base.subclass(Parent, { polymorphicIdentity, columns, table? })`: a class to extend.
 * Without `table` its rows live in the parent's table (single-table inheritance) and its
 * columns are appended to that table; with `table` it has a table of its own whose primary
 * key references the parent's (joined-table inheritance). Its identity is declared in the
 * hierarchy before the extending class is mapped (on first use, or `Base.register()`), so
 * that a SELECT of the parent already knows it. One hierarchy uses one of the two forms;
 * concrete-table inheritance is refused with what to write instead.
 */
import { ArgumentError, type ColumnDefs, Index, type MetaData, Table, type TableColumn, UniqueConstraint, clauseElement, dmlRefusal } from '@athanor/core';
import type { Registry } from './configure';
import { inheritedKeyPairs, addPolymorphicTable } from './joined-inheritance';
import { type InheritanceSpec, type Mapper, declaredMapperOf, inheritanceOf, mapperOf } from './mapper';
import { defineColumnAccessors } from './state/attributes';
import type { AnyMappedClass, JoinedSubclassOptions, SubclassOptions } from './types';

const OPTION_KEYS = ['polymorphicIdentity', 'columns', 'table'];
type Options = SubclassOptions<ColumnDefs> | JoinedSubclassOptions<string, ColumnDefs>;

export function declareSubclass(registry: Registry, metadata: MetaData, parent: AnyMappedClass, options: Options): AnyMappedClass {
  const where = `Base.subclass(${parent?.name ?? String(parent)}, ...)`;
  if (typeof parent !== 'function') throw new ArgumentError(`${where}: the first argument must be a mapped class.`);
  checkOptions(where, options);
  const parentMapper = declaredMapperOf(parent);
  if (parentMapper.registry !== registry) throw new ArgumentError(`${where}: ${parent.name} belongs to another declarativeBase(); declare the subclass with that Base.`);
  const hierarchy = parentMapper.hierarchy;
  if (hierarchy === undefined) {
    throw new ArgumentError(
      `${where}: ${parentMapper.base.name} has no discriminator column; give Base.mapped('${parentMapper.base.table.name}', {...}, { polymorphicOn: '<column key>' }) so that each row names its class.`,
    );
  }
  const joined = options.table !== undefined;
  hierarchy.useForm(joined ? 'joined' : 'single', where);
  const identity = options.polymorphicIdentity;
  // Checked before anything changes: a refused declaration leaves the hierarchy as it was.
  const local = joined ? new Table(options.table!, metadata, options.columns ?? {}, parentMapper.table.schema !== undefined ? { schema: parentMapper.table.schema } : {}) : undefined;
  try {
    if (local !== undefined) inheritedKeyPairs(local, parentMapper.table, where);
    else checkSingleTableColumns(where, parentMapper.table, options.columns ?? {});
    hierarchy.declare(parentMapper, identity, where);
  } catch (e) {
    if (local !== undefined) metadata.removeTable(local);
    throw e;
  }
  const spec: InheritanceSpec = { parent, identity, joined };
  const Sub = class extends (parent as unknown as abstract new (...args: any) => object) {
    static readonly [inheritanceOf] = spec;
  };
  if (local !== undefined) {
    defineJoinedStatics(Sub, local, parent);
    // Every ancestor's SELECT now LEFT OUTER JOINs this table (declared before it is mapped).
    for (let m: Mapper | undefined = parentMapper; m !== undefined; m = m.parent) addPolymorphicTable(m, local, parentMapper.table);
    const offset = parentMapper.columns.length;
    local.columns.forEach((col, i) => {
      if (!parentMapper.columnIndex.has(col.key)) defineColumnAccessors(Sub.prototype, [col], offset + i);
    });
  } else {
    refuseTableWideDml(Sub);
    const added = appendColumns(parentMapper.table, options.columns ?? {});
    for (const m of hierarchy.mapperList) m.refreshColumns();
    if (added.length > 0) defineColumnAccessors(Sub.prototype, added, added[0].position);
  }
  return Sub as unknown as AnyMappedClass;
}

/**
 * A single-table subclass shares its table: `update(Engineer)` would name the table alone and
 * act on every class's rows. Core asks the class first (`dmlRefusal`) and raises this instead.
 */
function refuseTableWideDml(Sub: object): void {
  Object.defineProperty(Sub, dmlRefusal, {
    value(this: abstract new (...args: any) => object, statement: string): string {
      // Core names the statement ('insert', 'update', 'delete'); the function is delete_().
      const fn = statement === 'delete' ? 'delete_' : statement;
      const mapper = mapperOf(this);
      const hierarchy = mapper.hierarchy!;
      const base = hierarchy.base.name;
      const column = `${base}.c.${hierarchy.discriminator.key}`;
      const identity = JSON.stringify(mapper.polymorphicIdentity);
      const fix =
        fn === 'insert'
          ? `insert(${base}) with ${hierarchy.discriminator.key}: ${identity} in every row, or session.add(new ${mapper.name}({...}))`
          : `${fn}(${base}).where(${column}.eq(${identity}), ...) (${column}.in([...]) to include its subclasses), or change the objects in a Session`;
      return `${fn}(${mapper.name}): ${mapper.name} shares table '${hierarchy.base.table.name}' with the other classes of its single-table hierarchy, and ${statement === 'delete' ? 'a' : 'an'} ${statement.toUpperCase()} names the table alone: it would not be limited to ${mapper.name}'s rows. Use ${fix}.`;
    },
  });
}

/** A joined subclass stands for its own table, and for its tables joined in `join()`; `.c` has both tables' columns. */
function defineJoinedStatics(Sub: object, local: Table<any, any>, parent: AnyMappedClass): void {
  Object.defineProperty(Sub, 'table', { value: local });
  Object.defineProperty(Sub, 'c', { value: Object.freeze({ ...local.c, ...((parent as unknown as { c: object }).c) }) });
  Object.defineProperty(Sub, clauseElement, {
    value(this: abstract new (...args: any) => object) {
      return mapperOf(this).innerFrom;
    },
  });
}

function checkOptions(where: string, options: Options): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${where}: give the options { polymorphicIdentity: '...', columns: {...} }.`);
  for (const k of Object.keys(options)) {
    if (OPTION_KEYS.includes(k)) continue;
    if (k === 'concrete' || k === 'inherits' || k === 'tableName') {
      throw new ArgumentError(
        `${where}: option '${k}': concrete-table inheritance (a complete table per class) is not supported. ` +
          "Use single-table inheritance (columns: {...} added to the parent's table) or joined-table inheritance (table: '...' whose primary key is a foreign key to the parent's).",
      );
    }
    throw new ArgumentError(`${where}: unknown option '${k}'; the options are ${OPTION_KEYS.join(', ')}.`);
  }
  const identity = options.polymorphicIdentity;
  if (typeof identity !== 'string' && typeof identity !== 'number') {
    throw new ArgumentError(`${where}: polymorphicIdentity (the discriminator value of this class's rows) must be a string or a number; got ${identity === undefined ? 'none' : typeof identity}.`);
  }
  if (options.columns !== undefined && (typeof options.columns !== 'object' || options.columns === null)) throw new ArgumentError(`${where}: columns must be an object of Column(...) definitions.`);
  if (options.table !== undefined && (typeof options.table !== 'string' || options.table === '')) throw new ArgumentError(`${where}: table must be the name of the subclass's table.`);
}

function checkSingleTableColumns(where: string, table: Table<any, any>, defs: ColumnDefs): void {
  const c = table.c as Record<string, TableColumn<any, any>>;
  for (const [key, def] of Object.entries(defs)) {
    if (!def || typeof def !== 'object' || !('type' in def)) throw new ArgumentError(`${where}: '${key}' is not a column definition; write ${key}: Column(String, ...).`);
    if (c[key] !== undefined) throw new ArgumentError(`${where}: '${key}' is already a column of table '${table.name}'; each class of the hierarchy names its own columns.`);
    if (def.options.primaryKey) throw new ArgumentError(`${where}: '${key}' is marked primaryKey; a single-table subclass shares its parent's primary key.`);
    if (def.options.nullable === false && def.options.default === undefined && def.options.serverDefault === undefined) {
      throw new ArgumentError(`${where}: '${key}' is NOT NULL without a default; the other classes' rows in table '${table.name}' leave it NULL, so make it nullable or give it a default.`);
    }
  }
}

function appendColumns(table: Table<any, any>, defs: ColumnDefs): TableColumn<any, any>[] {
  const added: TableColumn<any, any>[] = [];
  for (const [key, def] of Object.entries(defs)) {
    const col = table.appendColumn(key, def);
    if (col.options.unique) table.addConstraint(new UniqueConstraint([col]));
    if (col.options.index) table.addIndex(new Index(undefined, [col]));
    added.push(col);
  }
  return added;
}
