/**
 * `aliased(User, 'manager')`: the mapped class under another name in a statement
 * (SQLAlchemy's AliasedClass), for self-joins and several joins to one class. Its `.c`
 * are the alias's columns; selected, it loads instances of the class (identity-mapped as
 * usual), held in the row under the alias name.
 */
import { type Alias, ArgumentError, type EntityDescriptor, type Table, clauseElement, selectEntity } from '@athanor/core';
import { aliasedEntity } from '../column-plan';
import { type Mapper, mapperOf } from '../mapper';
import type { AnyMappedClass, InstanceTableName } from '../types';

/** The columns type of a mapped class (`User.c`). */
type ColumnsOf<C> = C extends { readonly c: infer K } ? K : never;
/** The table type of a mapped class (`User.table`). */
type TableOf<C> = C extends { readonly table: infer T } ? T : never;

/** A mapped class under another name in a statement, from `aliased(Cls)`: for self-joins and several joins to one class. */
export class AliasedClass<C extends AnyMappedClass = AnyMappedClass, N extends string = string> {
  declare readonly __entityValue?: InstanceType<C>;
  declare readonly __entityName?: N;
  /** The aliased table's name (types only): an outer join to it makes this entity nullable in rows. */
  declare readonly __joinTable?: InstanceTableName<InstanceType<C>>;
  /** The class this aliases. */
  readonly cls: C;
  /** The alias of the class's table (`FROM user_account AS manager`). */
  readonly alias: Alias<any>;
  /** The alias's columns, by column key, typed as the class's. */
  readonly c: ColumnsOf<C>;
  /** @internal */
  readonly mapper: Mapper;
  private readonly descriptor: EntityDescriptor<InstanceType<C>>;

  constructor(cls: C, name: string | undefined) {
    this.cls = cls;
    this.mapper = mapperOf(cls);
    // An alias of one table would drop a subclass's discriminator criteria or a joined class's other tables.
    if (this.mapper.descriptor.where !== undefined || this.mapper.descriptor.from !== this.mapper.table) {
      throw new ArgumentError(`aliased(${this.mapper.name}): an inheritance subclass (or a class with joined-table subclasses) cannot be aliased yet; alias the base of a single-table hierarchy, or query the class itself.`);
    }
    const table = this.mapper.table as Table<any, any>;
    this.alias = name === undefined ? table.alias() : table.alias(name);
    this.c = this.alias.c as ColumnsOf<C>;
    const { columns, load } = aliasedEntity(this.mapper, this.alias);
    this.descriptor = { name: name ?? this.mapper.name, from: this.alias, columns, load: load as EntityDescriptor<InstanceType<C>>['load'] };
  }

  /** The table the alias stands for. */
  get table(): TableOf<C> {
    return this.mapper.table as TableOf<C>;
  }
  /** The row key of this entity: the alias name, or the class name when none was given. */
  get name(): string {
    return this.descriptor.name;
  }

  [clauseElement](): Alias<any> {
    return this.alias;
  }
  [selectEntity](): EntityDescriptor<InstanceType<C>> {
    return this.descriptor;
  }
}

/**
 * `aliased(User)` or `aliased(User, 'manager')`. The name is the SQL alias and the row key
 * (`row.manager`); without one the SQL alias is generated and the row key is the class name,
 * so name it when the class itself is in the same select.
 */
export function aliased<C extends AnyMappedClass, const N extends string = string>(cls: C, name?: N): AliasedClass<C, N> {
  if (typeof cls !== 'function') throw new ArgumentError(`aliased() takes a mapped class; got ${cls === null ? 'null' : typeof cls}.`);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ArgumentError(`aliased(${cls.name}, name): the name must be a non-empty string.`);
  return new AliasedClass(cls, name);
}
