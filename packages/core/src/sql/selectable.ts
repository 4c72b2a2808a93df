/**
 * FROM-clause elements: the base class, columns that belong to a FROM item, aliases,
 * joins, subqueries, CTEs and LATERAL. Tables (schema/table.ts) extend `FromClause`.
 */
import { ArgumentError } from '../errors';
import type { TypeEngine } from '../types/type-engine';
import { type ColumnElement as CE, ColumnElement, toElement } from './column-element';
import { and } from './conjunctions';
import { ClauseElement, defineElement, newUid } from './element';

/** A columns collection: result key → column. */
export type ColumnCollection = Record<string, ColumnClause<any, any>>;

/** A foreign-key link between two FROM items, used to infer join conditions. */
export interface ForeignKeyLink {
  /** The referencing column (in this FROM item). */
  parent: ColumnClause<any, any>;
  /** The referenced column (in the other FROM item). */
  referred: ColumnClause<any, any>;
}

/** Anything that can stand in a FROM clause (a table, an alias, a join, a subquery): it has columns under `.c`. */
export abstract class FromClause<C extends ColumnCollection = ColumnCollection> extends ClauseElement {
  /** Identity for the cache key: two distinct tables or aliases never share SQL. */
  readonly uid = newUid();
  /** Columns by result key. */
  abstract readonly c: C;
  /** The name this FROM item is referred to by (table name or alias). */
  abstract readonly name: string;

  /** All columns in order. */
  get columns(): ColumnClause<any, any>[] {
    return Object.values(this.c);
  }

  /** The underlying table when this is a table or an alias of one (for foreign-key inference). */
  get baseTable(): FromClause | undefined {
    return undefined;
  }

  /** Foreign keys from this FROM item to `other` (both possibly aliases). */
  foreignKeyLinksTo(_other: FromClause): ForeignKeyLink[] {
    return [];
  }

  /** Maps a column of the underlying table to this FROM item's column (aliases). */
  correspondingColumn(column: ColumnClause<any, any>): ColumnClause<any, any> | undefined {
    for (const c of this.columns) if (c === column || (c.proxyOf && c.proxyOf === column)) return c;
    return undefined;
  }

  /** `table AS name`: the same columns under another name, for self-joins. */
  alias(name?: string): Alias<C> {
    return new Alias<C>(this, name ?? `${aliasBase(this.name || 'anon')}_${newUid()}`);
  }

  join<R extends FromClause>(right: R, on?: CE<any, any>, options: { isOuter?: boolean; full?: boolean } = {}): Join {
    return new Join(this, right, on ?? inferJoinCondition(this, right), options.isOuter ?? false, options.full ?? false);
  }
  outerJoin<R extends FromClause>(right: R, on?: CE<any, any>): Join {
    return this.join(right, on, { isOuter: true });
  }
  fullJoin<R extends FromClause>(right: R, on?: CE<any, any>): Join {
    return this.join(right, on, { isOuter: true, full: true });
  }
}

/** A column of a FROM item: `users.name`. `K` is its key, which may differ from its SQL name. */
export class ColumnClause<T = unknown, K extends string = string> extends ColumnElement<T, K> {
  readonly table: FromClause | undefined;
  /** The SQL name. */
  readonly name: string;
  readonly type: TypeEngine<any>;
  /** The result key and attribute name (`users.c[key]`). */
  readonly keyName: K;
  /** For an alias or subquery column, the column it stands for. */
  readonly proxyOf: ColumnClause<any, any> | undefined;

  constructor(table: FromClause | undefined, name: string, type: TypeEngine<any>, key?: K, proxyOf?: ColumnClause<any, any>) {
    super();
    this.table = table;
    this.name = name;
    this.type = type;
    this.keyName = (key ?? name) as K;
    this.proxyOf = proxyOf;
  }
  override get key(): string {
    return this.keyName;
  }
}
defineElement(ColumnClause, 'column', [
  ['table', 'ref'],
  ['name', 'value'],
  ['keyName', 'value'],
  ['type', 'type'],
]);

/** `table AS name`: the same columns under another name. */
export class Alias<C extends ColumnCollection = ColumnCollection> extends FromClause<C> {
  readonly element: FromClause;
  readonly name: string;
  readonly c: C;

  constructor(element: FromClause, name: string) {
    super();
    this.element = element;
    this.name = name;
    const c: ColumnCollection = {};
    for (const col of element.columns) c[col.key] = new ColumnClause(this, col.name, col.type, col.key, col.proxyOf ?? col);
    this.c = c as C;
  }
  override get baseTable(): FromClause | undefined {
    return this.element.baseTable ?? this.element;
  }
  override foreignKeyLinksTo(other: FromClause): ForeignKeyLink[] {
    return this.element.foreignKeyLinksTo(other).map((l) => ({ parent: this.correspondingColumn(l.parent)!, referred: l.referred }));
  }
}
defineElement(Alias, 'alias', [
  ['element', 'element'],
  ['name', 'value'],
]);

/** `left [LEFT OUTER | FULL OUTER] JOIN right ON onclause`. */
export class Join extends FromClause<ColumnCollection> {
  readonly name = '';
  constructor(
    readonly left: FromClause,
    readonly right: FromClause,
    readonly onclause: CE<any, any>,
    readonly isOuter: boolean,
    readonly full: boolean,
  ) {
    super();
  }
  get c(): ColumnCollection {
    return { ...this.left.c, ...this.right.c };
  }
  override foreignKeyLinksTo(other: FromClause): ForeignKeyLink[] {
    return [...this.left.foreignKeyLinksTo(other), ...this.right.foreignKeyLinksTo(other)];
  }
  override correspondingColumn(column: ColumnClause<any, any>): ColumnClause<any, any> | undefined {
    return this.left.correspondingColumn(column) ?? this.right.correspondingColumn(column);
  }
}
defineElement(Join, 'join', [
  ['left', 'element'],
  ['right', 'element'],
  ['onclause', 'element'],
  ['isOuter', 'flag'],
  ['full', 'flag'],
]);

/** Something with result columns that can be wrapped as a subquery (a SELECT or compound SELECT). */
export interface ReturnsRows extends ClauseElement {
  /** The result columns: key and type, in order. */
  resultColumns(): { key: string; type: TypeEngine<any> }[];
}

/** `(SELECT ...) AS name`. */
export class Subquery<C extends ColumnCollection = ColumnCollection> extends FromClause<C> {
  readonly element: ReturnsRows;
  readonly name: string;
  readonly c: C;
  constructor(element: ReturnsRows, name: string | undefined) {
    super();
    this.element = element;
    this.name = name ?? `anon_${this.uid}`;
    this.c = proxyColumns(this, element) as C;
  }
}
defineElement(Subquery, 'subquery', [
  ['element', 'element'],
  ['name', 'value'],
]);

/** `LATERAL (SELECT ...) AS name`: a subquery that may refer to FROM items to its left. */
export class Lateral<C extends ColumnCollection = ColumnCollection> extends Subquery<C> {}
defineElement(Lateral, 'lateral', [
  ['element', 'element'],
  ['name', 'value'],
]);

/** A common table expression: `WITH name AS (SELECT ...)`; recursive with `unionAll`. */
export class CTE<C extends ColumnCollection = ColumnCollection> extends FromClause<C> {
  readonly element: ReturnsRows;
  readonly name: string;
  readonly recursive: boolean;
  readonly c: C;
  constructor(element: ReturnsRows, name: string | undefined, recursive: boolean) {
    super();
    this.element = element;
    this.name = name ?? `anon_${this.uid}`;
    this.recursive = recursive;
    this.c = proxyColumns(this, element) as C;
  }
  /**
   * For a recursive CTE: the full body, `initial UNION ALL recursive-part`, where the
   * recursive part refers to this CTE. Returns a new CTE with the same name and columns.
   */
  unionAll(recursivePart: ReturnsRows & { unionAll?: unknown }): CTE<C> {
    return this.withBody((this.element as any).unionAll(recursivePart));
  }
  union(recursivePart: ReturnsRows): CTE<C> {
    return this.withBody((this.element as any).union(recursivePart));
  }
  /** For a recursive CTE: the anchor CTE the recursive part refers to. */
  anchor: CTE<any> | undefined;
  /** For an anchor: the CTE with the full recursive body. */
  completedBy: CTE<any> | undefined;

  private withBody(body: ReturnsRows): CTE<C> {
    // The recursive part refers to this (anchor) CTE's columns; both render as one WITH entry.
    const full = new CTE<C>(body, this.name, this.recursive);
    full.anchor = this;
    this.completedBy = full;
    return full;
  }
}
defineElement(CTE, 'cte', [
  ['element', 'element'],
  ['name', 'value'],
  ['recursive', 'flag'],
]);

function proxyColumns(owner: FromClause, element: ReturnsRows): ColumnCollection {
  const c: ColumnCollection = {};
  for (const { key, type } of element.resultColumns()) c[key] = new ColumnClause(owner, key, type, key);
  return c;
}

/** The ON clause implied by foreign keys between two FROM items; an error when none or several. */
export function inferJoinCondition(left: FromClause, right: FromClause): CE<boolean, any> {
  const links = [...left.foreignKeyLinksTo(right), ...right.foreignKeyLinksTo(left)];
  const describe = (f: FromClause) => f.name || 'the join';
  if (links.length === 0) {
    throw new ArgumentError(
      `Can't find any foreign key relationships between '${describe(left)}' and '${describe(right)}'; pass the ON clause explicitly: .join(${describe(right)}, a.eq(b)).`,
    );
  }
  // A composite foreign key yields several links with one constraint: all of them join.
  const constraints = new Set(links.map((l) => (l as any).constraint ?? l));
  if (constraints.size > 1) {
    throw new ArgumentError(
      `Can't infer the join between '${describe(left)}' and '${describe(right)}': more than one foreign key links them; pass the ON clause explicitly.`,
    );
  }
  const conds = links.map((l) => l.parent.eq(l.referred as any));
  return conds.length === 1 ? conds[0] : and(...conds);
}

export { toElement };

/**
 * The table name a generated alias starts with, cut to 40 UTF-8 bytes so that the alias
 * stays within every dialect's identifier limit (PostgreSQL: 63 bytes) with its number.
 */
function aliasBase(name: string): string {
  let bytes = 0;
  let end = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes > 40) break;
    end += ch.length;
  }
  return name.slice(0, end);
}
