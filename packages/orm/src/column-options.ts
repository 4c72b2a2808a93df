/**
 * Column loading options for a statement (SQLAlchemy's `defer` / `undefer` / `load_only`):
 * `select(User).options(defer(User.c.bio))`. The session rewrites the statement before it
 * runs, selecting each entity through the load plan the options give it; a statement
 * without them runs as written.
 */
import { ArgumentError, type ColumnElement, InvalidRequestError, Select, type SelectItem, type StatementOption, TableColumn, isSelectableEntity } from '@athanor/core';
import { columnPropertyOfHandle } from './column-property';
import { type Mapper, mapperOfDescriptor } from './mapper';

/** A mapped column (`User.c.bio`) or a column property's handle (from `Base.columnProperties()`). */
export type LoadableAttribute = TableColumn<any, any> | ColumnElement<any, any>;

type Kind = 'defer' | 'undefer' | 'loadOnly';

/** One attribute an option names: a column of a table, or a column property of a mapper. */
interface Target {
  readonly column?: TableColumn<any, any>;
  readonly mapper?: Mapper;
  readonly name: string;
}

export class ColumnLoadOption implements StatementOption {
  readonly optionCacheKey: string;
  constructor(
    readonly kind: Kind,
    readonly targets: readonly Target[],
  ) {
    this.optionCacheKey = `orm.${kind}:${targets.map(describeTarget).join(',')}`;
  }

  describe(): string {
    return `${this.kind}(${this.targets.map(describeTarget).join(', ')})`;
  }

  /** Whether a target of this option belongs to `mapper`'s entity. */
  appliesTo(mapper: Mapper, target: Target): boolean {
    return target.mapper !== undefined ? target.mapper === mapper : target.column!.table === mapper.table;
  }
}

function describeTarget(t: Target): string {
  return t.column !== undefined ? `${t.column.table.name}.${t.name}` : `${t.mapper!.name}.${t.name}`;
}

function targetsOf(kind: Kind, attrs: readonly LoadableAttribute[]): Target[] {
  if (attrs.length === 0) throw new ArgumentError(`${kind}() needs at least one attribute, e.g. ${kind}(User.c.bio).`);
  return attrs.map((a) => {
    if (a instanceof TableColumn) {
      if (a.primaryKey && kind === 'defer') throw new ArgumentError(`defer(${a.table.name}.${a.key}): a primary key column is always loaded (it is the object's identity).`);
      return { column: a, name: a.key };
    }
    const prop = columnPropertyOfHandle(a);
    if (prop !== undefined) return { mapper: prop.mapper, name: prop.name };
    throw new ArgumentError(`${kind}() takes mapped columns (User.c.bio) or column property handles (from Base.columnProperties()); got another expression.`);
  });
}

/** Leaves these columns or column properties out of the entity's SELECT. */
export function defer(...attrs: LoadableAttribute[]): ColumnLoadOption {
  return new ColumnLoadOption('defer', targetsOf('defer', attrs));
}

/** Loads these deferred columns or column properties with the entity. */
export function undefer(...attrs: LoadableAttribute[]): ColumnLoadOption {
  return new ColumnLoadOption('undefer', targetsOf('undefer', attrs));
}

/** Loads only these columns of the entity (with its primary key and version counter); every other column and column property is deferred. */
export function loadOnly(...attrs: LoadableAttribute[]): ColumnLoadOption {
  return new ColumnLoadOption('loadOnly', targetsOf('loadOnly', attrs));
}

/** The statement's column loading options, or undefined when it has none (most statements: nothing allocated). */
export function columnOptionsOf(statement: unknown): ColumnLoadOption[] | undefined {
  const all = (statement as { statementOptions?: readonly unknown[] }).statementOptions;
  if (all === undefined || all.length === 0) return undefined;
  let out: ColumnLoadOption[] | undefined;
  for (const o of all) if (o instanceof ColumnLoadOption) (out ??= []).push(o);
  return out;
}

/** The statement with each mapped entity selected as its options say; unchanged when they change nothing. */
export function applyColumnOptions(statement: unknown, options: readonly ColumnLoadOption[]): unknown {
  if (!(statement instanceof Select)) throw new InvalidRequestError(`${options[0].describe()}: column loading options apply to select() statements.`);
  const used = new Set<Target>();
  const items: SelectItem[] = [];
  let entity = 0;
  let changed = false;
  for (const item of statement.items) {
    const mapper = isSelectableEntity(item) ? mapperOfDescriptor(statement.entitySlots[entity++].descriptor) : undefined;
    const slots = mapper === undefined ? undefined : slotsFor(mapper, options, used);
    if (mapper === undefined || slots === undefined) {
      items.push(item);
      continue;
    }
    // A plan selects one table's columns, without a hierarchy's discriminator criteria or joins: refused, not half-working.
    if (mapper.hierarchy !== undefined) throw new InvalidRequestError(`${options[0].describe()}: column loading options are not supported for ${mapper.name}, a class of an inheritance hierarchy, yet.`);
    items.push(mapper.planFor(slots).entity);
    changed = true;
  }
  for (const o of options) {
    for (const t of o.targets) {
      if (!used.has(t)) throw new InvalidRequestError(`${o.describe()}: the statement selects no entity that ${describeTarget(t)} belongs to; select the mapped class (select(User)) to use it.`);
    }
  }
  return changed ? statement.withOnlyColumns(...items) : statement;
}

/** The slots `mapper`'s entity loads under the options, or undefined when they are its default ones. */
function slotsFor(mapper: Mapper, options: readonly ColumnLoadOption[], used: Set<Target>): number[] | undefined {
  const slots = new Set(mapper.defaultSlots);
  for (const o of options) {
    const mine = o.targets.filter((t) => o.appliesTo(mapper, t));
    if (mine.length === 0) continue;
    const named = mine.map((t) => {
      used.add(t);
      const slot = mapper.slotOf(t.name);
      if (slot === undefined) throw new InvalidRequestError(`${o.describe()}: ${mapper.name} has no column or column property '${t.name}'.`);
      if (o.kind === 'defer' && slot === mapper.versionIndex) throw new InvalidRequestError(`${o.describe()}: '${t.name}' is ${mapper.name}'s version counter; every UPDATE needs its loaded value.`);
      return slot;
    });
    if (o.kind === 'defer') for (const s of named) slots.delete(s);
    else if (o.kind === 'undefer') for (const s of named) slots.add(s);
    else {
      slots.clear();
      for (const s of [...mapper.pkIndexes, ...(mapper.versionIndex >= 0 ? [mapper.versionIndex] : []), ...named]) slots.add(s);
    }
  }
  const out = [...slots].sort((a, b) => a - b);
  const current = mapper.defaultSlots;
  return out.length === current.length && out.every((s, i) => s === current[i]) ? undefined : out;
}
