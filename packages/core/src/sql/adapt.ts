/**
 * Re-targeting an expression written against a table onto an alias of it (SQLAlchemy's
 * ClauseAdapter): `adaptToAlias(concat(users.first, users.last), users, u2)` is
 * `concat(u2.first, u2.last)`. Subqueries are adapted too, so a correlated subquery written
 * against the table correlates with the alias. Parts that do not change are shared.
 */

export interface AdaptOptions {
  /**
   * Each subquery that refers to the table, and says nothing of its own correlation, is
   * correlated to the alias only (`.correlate(alias)`): its other tables stay in its own
   * FROM even when the enclosing query joins them too. The alias may be the table itself.
   */
  correlate?: boolean;
}
import { ArgumentError } from '../errors';
import type { ClauseElement } from './element';
import type { ColumnClause, FromClause } from './selectable';

/** The same expression written against `alias` instead of `table` (subqueries included); unchanged parts are shared. */
export function adaptToAlias<E extends ClauseElement>(element: E, table: FromClause, alias: FromClause, options: AdaptOptions = {}): E {
  return new Adapter(table, alias, options.correlate === true).adapt(element) as E;
}

class Adapter {
  /** Set when the subtree being adapted refers to the table (read by the enclosing select). */
  referred = false;
  constructor(
    readonly table: FromClause,
    readonly alias: FromClause,
    readonly correlate: boolean,
  ) {}

  adapt(el: ClauseElement): ClauseElement {
    if (el.kind === 'column') {
      const col = el as ColumnClause;
      if (col.table !== this.table) return el;
      this.referred = true;
      const replacement = (this.alias.c as Record<string, ClauseElement>)[col.key];
      if (replacement === undefined) throw new ArgumentError(`adaptToAlias(): '${this.alias.name}' has no column '${col.key}'.`);
      return replacement;
    }
    if (el === this.table) {
      this.referred = true;
      return this.alias;
    }
    if (el.kind !== 'select') return this.adaptFields(el);
    const outer = this.referred;
    this.referred = false;
    let out = this.adaptFields(el);
    const sel = out as unknown as { correlateFroms?: readonly FromClause[]; correlateExceptFroms?: readonly FromClause[] };
    // Its correlation lists name FROM items (values, not child elements): the table there is the alias too.
    const correlation: Record<string, unknown> = {};
    for (const key of ['correlateFroms', 'correlateExceptFroms'] as const) {
      const list = sel[key];
      if (list?.includes(this.table)) correlation[key] = list.map((f) => (f === this.table ? this.alias : f));
    }
    if (this.correlate && this.referred && sel.correlateFroms === undefined && sel.correlateExceptFroms === undefined) correlation.correlateFroms = [this.alias];
    if (Object.keys(correlation).length > 0) out = withFields(out, { ...correlation, memoResultColumns: undefined });
    this.referred ||= outer;
    return out;
  }

  private adaptFields(el: ClauseElement): ClauseElement {
    const adapt = (c: ClauseElement) => this.adapt(c);
    let changes: Record<string, unknown> | undefined;
    for (const [name, kind] of el.fields) {
      const v = (el as any)[name];
      if (v === undefined || v === null) continue;
      let next: unknown = v;
      if (kind === 'element') next = adapt(v);
      else if (kind === 'elements') next = mapChanged(v as ClauseElement[], adapt);
      else if (kind === 'pairs') next = mapChanged(v as [unknown, ClauseElement][], (p) => replacePair(p, adapt));
      else if (kind === 'rows') next = mapChanged(v as (readonly [unknown, ClauseElement][])[], (row) => mapChanged(row, (p) => replacePair(p, adapt)));
      if (next !== v) (changes ??= {})[name] = next;
    }
    if (changes === undefined) return el;
    // A select memoizes its result columns: a changed copy computes its own.
    if (el.kind === 'select') changes.memoResultColumns = undefined;
    return withFields(el, changes);
  }
}

function withFields(el: ClauseElement, changes: Record<string, unknown>): ClauseElement {
  return (el as unknown as { withFields(c: Record<string, unknown>): ClauseElement }).withFields(changes);
}

function replacePair(p: [unknown, ClauseElement], adapt: (c: ClauseElement) => ClauseElement): [unknown, ClauseElement] {
  const c = adapt(p[1]);
  return c === p[1] ? p : [p[0], c];
}

/** The list mapped, or the same list when no item changed. */
function mapChanged<T>(list: readonly T[], fn: (x: T) => T): readonly T[] {
  let out: T[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const next = fn(list[i]);
    if (next !== list[i] && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(next);
  }
  return out ?? list;
}
