/**
 * The options `relationship(Target, {...})` takes, and their checks at declaration: an
 * option this version does not have, or a value it cannot honour, is refused with the fix,
 * never ignored.
 */
import { ArgumentError, type ColumnElement, type Table, TableColumn, UnaryExpression } from '@athanor/core';

/** A cascade of `relationship({ cascade })`: which session operations on the parent reach its related objects (`'all'` is the usual set). */
export type CascadeName = 'save-update' | 'merge' | 'delete' | 'delete-orphan' | 'refresh-expire' | 'expunge' | 'all';

/**
 * How a relationship loads when the statement names no loader option for it:
 * - `'select'` (default): a plain read of an unloaded relationship raises; `await obj.awaitableAttrs.rel` loads it (explicit IO only).
 * - `'raise'`: as `'select'`, and `awaitableAttrs` refuses too: only loader options and `session.refresh(obj, ['rel'])` load it.
 * - `'selectin'` / `'joined'`: loaded with every query of the owner's class, as if `selectinload` / `joinedload` were given.
 * - `'noload'`: never loaded; reads as empty (`[]` or `null`); objects appended to it are still saved.
 * - `'writeOnly'`: a write-only collection (write-only.ts): `add()`/`remove()` queued for the flush and `select()`, never loaded.
 */
export type LazyStrategy = 'select' | 'raise' | 'selectin' | 'joined' | 'noload' | 'writeOnly';

type Columns = TableColumn<any, any> | readonly TableColumn<any, any>[];
/** An ORDER BY item of the target's table: a column, or `desc(column)` / `column.desc()`. */
export type RelationshipOrderItem = TableColumn<any, any> | ColumnElement<any>;
/** A join condition written in Core, or a function returning it (called once, at declaration). */
export type JoinCondition = ColumnElement<boolean | null> | (() => ColumnElement<boolean | null>);

/** Options of `relationship(Target, options)`: backPopulates, secondary, cascade, lazy, orderBy, joins. */
export interface RelationshipOptions {
  /** The name of the relationship on the target class that mirrors this one. */
  backPopulates?: string;
  /** SQLAlchemy's cascade string, e.g. `'all, delete-orphan'`. Default `'save-update, merge'`. */
  cascade?: string;
  /** A list (one-to-many) or a single object (many-to-one); `uselist: false` on the one-to-many side makes a one-to-one. */
  uselist?: boolean;
  /**
   * The column(s) holding the foreign key this relationship uses, when several could
   * (two columns referencing the same table): `relationship(Person, { foreignKeys: Message.c.senderId })`.
   * On the one-to-many side they are the target's columns: `relationship(Message, { foreignKeys: Message.c.senderId })`.
   */
  foreignKeys?: Columns;
  /**
   * Many-to-many: the association table whose rows link the two sides
   * (`relationship(Tag, { secondary: postTags })`); the flush inserts and deletes its rows.
   */
  secondary?: Table<any, any>;
  /**
   * Self-referential many-to-one: the referenced ("remote") column(s), e.g.
   * `relationship(Node, { remoteSide: Node.c.id })` for `parent`; without it a relationship
   * of a table to itself is one-to-many (`children`).
   */
  remoteSide?: Columns;
  /**
   * Rows that point at each other (A.favourite → B, B.owner → A): this relationship's foreign
   * key is written by a second UPDATE after both rows exist, and set to NULL before a DELETE.
   */
  postUpdate?: boolean;
  /**
   * The join condition in Core, instead of the one the foreign keys imply:
   * `and(eq(User.c.id, Address.c.userId), Address.c.active.eq(true))`. Each `eq` between a
   * column of each side is a foreign-key pair (written by the flush); every other term is a
   * criterion on the target (or, with `secondary`, the association) table, applied by the loaders.
   */
  primaryjoin?: JoinCondition;
  /** Many-to-many: the join from the association table to the target, as `primaryjoin` (self-referential many-to-many needs both). */
  secondaryjoin?: JoinCondition;
  /** The order of a collection's members, applied by every loader: a target column, `desc(col)`, or a list. */
  orderBy?: RelationshipOrderItem | readonly RelationshipOrderItem[];
  /** Only for reading: the flush never writes it, and changing it raises. */
  viewonly?: boolean;
  /**
   * Trust the database's `ON DELETE CASCADE` / `SET NULL`: deleting the owner does not read
   * its unloaded children (loaded ones are still deleted or nulled); `'all'`: loaded children
   * are not touched either.
   */
  passiveDeletes?: boolean | 'all';
  /** The loading strategy when a statement names none (see LazyStrategy). */
  lazy?: LazyStrategy;
  /**
   * A self-referential `lazy: 'selectin'`/`'joined'` relationship loads level after level
   * until a level is empty; `joinDepth` stops it after that many levels.
   */
  joinDepth?: number;
}

const OPTIONS: readonly (keyof RelationshipOptions)[] = [
  'backPopulates',
  'cascade',
  'uselist',
  'foreignKeys',
  'secondary',
  'remoteSide',
  'postUpdate',
  'primaryjoin',
  'secondaryjoin',
  'orderBy',
  'viewonly',
  'passiveDeletes',
  'lazy',
  'joinDepth',
];

/** Options this version does not have are refused, not ignored. */
export function checkOptions(options: RelationshipOptions, where: string): void {
  for (const key of Object.keys(options)) {
    if ((OPTIONS as readonly string[]).includes(key)) continue;
    throw new ArgumentError(`Relationship ${where}: unknown option '${key}'; the options are ${OPTIONS.join(', ')}.`);
  }
  if (options.viewonly === true) {
    for (const k of ['cascade', 'backPopulates', 'postUpdate', 'passiveDeletes'] as const) {
      if (options[k] !== undefined) {
        throw new ArgumentError(`Relationship ${where}: a viewonly relationship is never written, so '${k}' has no meaning on it; remove '${k}' or viewonly.`);
      }
    }
  }
  if (options.joinDepth !== undefined && !(Number.isInteger(options.joinDepth) && options.joinDepth > 0)) {
    throw new ArgumentError(`Relationship ${where}: joinDepth takes a positive integer (levels to load); got ${String(options.joinDepth)}.`);
  }
  if (options.passiveDeletes === 'all' && /\b(delete|delete-orphan|all)\b/.test(options.cascade ?? '')) {
    throw new ArgumentError(
      `Relationship ${where}: passiveDeletes: 'all' leaves the children to the database, which conflicts with the delete cascade '${options.cascade}'; use passiveDeletes: true with the delete cascade, or drop delete from the cascade.`,
    );
  }
  if (options.passiveDeletes !== undefined && options.passiveDeletes !== true && options.passiveDeletes !== false && options.passiveDeletes !== 'all') {
    throw new ArgumentError(`Relationship ${where}: passiveDeletes takes true, false or 'all'; got ${String(options.passiveDeletes)}.`);
  }
}

const LAZY: readonly LazyStrategy[] = ['select', 'raise', 'selectin', 'joined', 'noload', 'writeOnly'];

export function parseLazy(lazy: LazyStrategy | undefined, where: string): LazyStrategy {
  if (lazy === undefined) return 'select';
  if (!LAZY.includes(lazy)) throw new ArgumentError(`Relationship ${where}: unknown lazy '${String(lazy)}'; use ${LAZY.map((l) => `'${l}'`).join(', ')}.`);
  return lazy;
}

const ALL = ['save-update', 'merge', 'refresh-expire', 'expunge', 'delete'];
const KNOWN = new Set([...ALL, 'delete-orphan']);

export function parseCascade(spec: string | undefined, where: string, viewonly: boolean): Set<string> {
  const out = new Set<string>();
  if (viewonly) return out;
  for (const raw of (spec ?? 'save-update, merge').split(',')) {
    const c = raw.trim();
    if (!c) continue;
    if (c === 'all') for (const a of ALL) out.add(a);
    else if (KNOWN.has(c)) out.add(c);
    else throw new ArgumentError(`Relationship ${where}: unknown cascade '${c}'; use all, save-update, merge, delete, delete-orphan, refresh-expire or expunge.`);
  }
  return out;
}

export interface OrderItem {
  /** The target column's key. */
  key: string;
  descending: boolean;
}

/** `orderBy` as target column keys: the loaders render them on the table or on a join's alias. */
export function parseOrderBy(spec: RelationshipOptions['orderBy'], target: Table<any, any>, where: string): OrderItem[] {
  if (spec === undefined) return [];
  const items = (Array.isArray(spec) ? spec : [spec]) as unknown[];
  return items.map((item) => {
    let col = item;
    let descending = false;
    if (item instanceof UnaryExpression && item.operator === undefined && (item.modifier === 'DESC' || item.modifier === 'ASC')) {
      col = item.element;
      descending = item.modifier === 'DESC';
    }
    if (!(col instanceof TableColumn) || col.table !== target) {
      throw new ArgumentError(
        `Relationship ${where}: orderBy takes columns of the target table '${target.name}' (or desc(column)), e.g. orderBy: [${target.name}.c.${target.columns[0]?.key ?? 'id'}]; got ${describeItem(item)}.`,
      );
    }
    return { key: col.key as string, descending };
  });
}

function describeItem(x: unknown): string {
  if (x instanceof TableColumn) return `column '${(x.table as Table<any, any>).name}.${x.name}'`;
  return typeof x === 'string' ? `the string '${x}' (pass the column object)` : 'an expression that is not a column';
}
