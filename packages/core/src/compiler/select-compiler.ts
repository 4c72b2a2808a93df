/** SELECT, compound SELECT, FROM items (tables, aliases, joins, subqueries, CTEs), correlation. */
import { ArgumentError, InvalidRequestError, UnsupportedCompilationError } from '../errors';
import type { Table } from '../schema/table';
import type { ColumnElement } from '../sql/column-element';
import { type CompoundSelect, type Exists, type ResultKeyReference, type ScalarSelect, Select, collectFromsInto } from '../sql/select';
import type { Alias, CTE, FromClause, Join, Lateral, Subquery } from '../sql/selectable';
import { Prec } from '../sql/precedence';
import { selectsAtMostOneRow } from './at-most-one-row';
import type { CompileContext } from './base-compiler';
import { JsonCompiler } from './json-compiler';

export abstract class SelectCompiler extends JsonCompiler {
  visitSelect(el: Select<any>, ctx: CompileContext): string {
    this.statementDepth++;
    const top = this.statementDepth === 1;
    if (top) {
      this.topResultColumns = el.resultColumns();
      this.topEntitySlots = el.entitySlots;
      this.statementOptions = el.statementOptions;
    }
    const froms = this.selectFroms(el);
    if (top) this.topAtMostOneRow = selectsAtMostOneRow(el, froms);
    this.enclosingFroms.push(froms);
    try {
      let s = 'SELECT ';
      if (el.distinctOnClauses.length) s += this.distinctOn(el.distinctOnClauses, ctx);
      else if (el.isDistinct) s += 'DISTINCT ';
      s += this.columnsClause(el, ctx);
      if (froms.length) {
        const fromCtx = ctx.asFrom ? ctx : { ...ctx, asFrom: true };
        s += ' FROM ';
        for (let i = 0; i < froms.length; i++) s += (i ? ', ' : '') + this.process(froms[i], fromCtx);
      }
      else s += this.emptyFrom();
      if (el.asOfSystemTimeValue !== undefined) s += this.asOfSystemTime(el, froms.length > 0, top);
      s += this.whereWithEntityCriteria(el, ctx);
      if (el.groupByClauses.length) s += ` GROUP BY ${el.groupByClauses.map((g) => this.process(g, ctx)).join(', ')}`;
      if (el.havingClause) s += ` HAVING ${this.process(el.havingClause, ctx)}`;
      s += this.orderLimit(el.orderByClauses, el.limitClause, el.offsetClause, ctx);
      if (el.forUpdateOptions) s += this.forUpdate(el, ctx);
      return s;
    } finally {
      this.enclosingFroms.pop();
      this.statementDepth--;
    }
  }

  /** ` WHERE ...`: the statement's criteria ANDed with those its entities always apply (inline literals: cache-safe constants). */
  private whereWithEntityCriteria(el: Select<any>, ctx: CompileContext): string {
    let where = el.whereClause ? this.process(el.whereClause, ctx) : '';
    if (!el.entitySlots.some((slot) => slot.descriptor.where !== undefined)) return where === '' ? '' : ` WHERE ${where}`;
    // An OR is grouped before an AND is added to it.
    if (el.whereClause !== undefined && el.whereClause.precedence < Prec.and) where = `(${where})`;
    for (const slot of el.entitySlots) {
      const criteria = slot.descriptor.where;
      if (criteria === undefined) continue;
      const extra = this.process(criteria, { ...ctx, literalBinds: true });
      where = where === '' ? extra : `${where} AND ${extra}`;
    }
    return where === '' ? '' : ` WHERE ${where}`;
  }

  /** `DISTINCT ON (...)`: PostgreSQL overrides. */
  protected distinctOn(_clauses: readonly ColumnElement<any, any>[], _ctx: CompileContext): string {
    return this.unsupported('DISTINCT ON (select().distinctOn())');
  }

  /** ` AS OF SYSTEM TIME ...` after the FROM list: CockroachDB's compiler overrides; everywhere else it is refused. */
  protected asOfSystemTime(_el: Select<any>, _hasFrom: boolean, _topLevel: boolean): string {
    const flavor = this.dialect.flavor === undefined ? '' : ` (${this.dialect.flavor})`;
    throw new UnsupportedCompilationError(
      `select().asOfSystemTime() is CockroachDB's AS OF SYSTEM TIME; the '${this.dialect.name}' dialect${flavor} has no way to read as of a past time. Connect with cockroachdb:// (or postgresql://...?flavor=cockroachdb) to a CockroachDB cluster, or leave the option out.`,
    );
  }

  /** What follows a SELECT without FROM (`FROM DUAL` on old MySQL). */
  protected emptyFrom(): string {
    return '';
  }

  protected columnsClause(el: Select<any>, ctx: CompileContext): string {
    const cols = el.resultColumns();
    // Entity columns keep their natural names (no AS); no set needed when there are none.
    let entityCols: Set<number> | undefined;
    if (el.entitySlots.length) {
      entityCols = new Set<number>();
      for (const slot of el.entitySlots) for (let i = 0; i < slot.count; i++) entityCols.add(slot.start + i);
    }
    let s = '';
    for (let i = 0; i < cols.length; i++) {
      const { key, element } = cols[i];
      const inner = (element as any).kind === 'label' ? (element as any).element : element;
      const rendered = this.process(inner, ctx);
      const natural = (inner as any).kind === 'column' ? (inner as any).name : undefined;
      if (i) s += ', ';
      s += entityCols?.has(i) || natural === key ? rendered : `${rendered} AS ${this.quote(key)}`;
    }
    return s;
  }

  protected orderLimit(
    orderBy: readonly ColumnElement<any, any>[],
    limit: ColumnElement<any, any> | undefined,
    offset: ColumnElement<any, any> | undefined,
    ctx: CompileContext,
  ): string {
    let s = '';
    if (orderBy.length) s += ` ORDER BY ${orderBy.map((o) => this.process(o, ctx)).join(', ')}`;
    if (limit || offset) s += this.limitOffset(limit, offset, ctx);
    return s;
  }

  /** `LIMIT n OFFSET m`; dialects override the syntax. */
  protected limitOffset(limit: ColumnElement<any, any> | undefined, offset: ColumnElement<any, any> | undefined, ctx: CompileContext): string {
    let s = '';
    if (limit) s += ` LIMIT ${this.process(limit, ctx)}`;
    if (offset) s += ` OFFSET ${this.process(offset, ctx)}`;
    return s;
  }

  protected forUpdate(el: Select<any>, ctx: CompileContext): string {
    const o = el.forUpdateOptions!;
    let s = o.read ? ' FOR SHARE' : ' FOR UPDATE';
    const of = o.of === undefined ? [] : Array.isArray(o.of) ? o.of : [o.of as FromClause];
    if (of.length) s += ` OF ${of.map((f) => this.quote(f.name)).join(', ')}`;
    if (o.nowait) s += ' NOWAIT';
    if (o.skipLocked) s += ' SKIP LOCKED';
    void ctx;
    return s;
  }

  /**
   * The FROM list: explicit FROM items, then those implied by the columns and WHERE that no
   * explicit item (or join) covers, minus those an enclosing query provides (correlation).
   */
  protected selectFroms(el: Select<any>): FromClause[] {
    const explicit = el.fromClauses;
    const out = explicit.slice();
    let implied: FromClause[];
    if (explicit.length === 0) implied = el.derivedFroms();
    else {
      const covered = new Set<FromClause>();
      for (const f of explicit) coverage(f, covered);
      implied = [];
      for (const f of el.derivedFroms()) if (!covered.has(f) && !out.includes(f)) implied.push(f);
    }
    // Auto-correlation: in a nested SELECT, drop FROM items the enclosing queries have.
    if (this.enclosingFroms.length) {
      const outer = new Set<FromClause>();
      for (const level of this.enclosingFroms) for (const f of level) coverage(f, outer);
      const correlate = el.correlateFroms ? new Set(el.correlateFroms) : undefined;
      const except = el.correlateExceptFroms ? new Set(el.correlateExceptFroms) : undefined;
      const kept = implied.filter((f) => !(correlate ? correlate.has(f) : outer.has(f) && !except?.has(f)));
      if (kept.length || explicit.length || correlate || except) return out.concat(kept);
      // As SQLAlchemy: a lone FROM item is not auto-correlated (`SELECT max(id) FROM t` inside
      // a query on t means the whole table); several that would all go leave no FROM at all,
      // and rendering them uncorrelated would silently answer another question.
      if (implied.length > 1) throw noFromsLeft(implied);
      return out.concat(implied);
    }
    return out.concat(implied);
  }

  visitCompoundSelect(el: CompoundSelect<any>, ctx: CompileContext): string {
    this.statementDepth++;
    const top = this.statementDepth === 1;
    if (top) this.topResultColumns = el.resultColumns();
    try {
      if ((el.keyword === 'INTERSECT ALL' || el.keyword === 'EXCEPT ALL') && !this.dialect.capabilities.select.intersectExceptAll) {
        this.unsupported(el.keyword);
      }
      const parts = el.selects.map((s) => this.compoundMember(s as Select<any>, ctx));
      return parts.join(` ${el.keyword} `) + this.orderLimit(el.orderByClauses, el.limitClause, el.offsetClause, ctx);
    } finally {
      this.statementDepth--;
    }
  }

  /** A member of a compound select: parenthesised when it has its own ORDER BY/LIMIT. */
  protected compoundMember(s: Select<any>, ctx: CompileContext): string {
    const inner = this.process(s, ctx);
    const needsParens = s.orderByClauses.length > 0 || s.limitClause !== undefined || s.offsetClause !== undefined || s.kind === 'compoundSelect';
    return needsParens ? `(${inner})` : inner;
  }

  visitScalarSelect(el: ScalarSelect, ctx: CompileContext): string {
    return `(${this.process(el.element, { ...ctx, asFrom: false })})`;
  }

  visitExists(el: Exists, ctx: CompileContext): string {
    return `EXISTS (${this.process(el.element, { ...ctx, asFrom: false })})`;
  }

  visitResultKey(el: ResultKeyReference, _ctx: CompileContext): string {
    return this.quote(el.name);
  }

  // -- FROM items -------------------------------------------------------------------------

  visitTable(el: Table<any, any>, _ctx: CompileContext): string {
    return this.quoteSchemaTable(el.schema, el.name);
  }

  visitAlias(el: Alias, ctx: CompileContext): string {
    const inner = this.process(el.element, { ...ctx, asFrom: true });
    return ctx.asFrom ? `${inner} AS ${this.quote(el.name)}` : this.quote(el.name);
  }

  visitJoin(el: Join, ctx: CompileContext): string {
    const kw = el.full ? (this.dialect.capabilities.select.fullOuterJoin ? 'FULL OUTER JOIN' : this.unsupported('FULL OUTER JOIN')) : el.isOuter ? 'LEFT OUTER JOIN' : 'JOIN';
    const c = { ...ctx, asFrom: true };
    return `${this.process(el.left, c)} ${kw} ${this.process(el.right, c)} ON ${this.process(el.onclause, { ...ctx, asFrom: false })}`;
  }

  visitSubquery(el: Subquery, ctx: CompileContext): string {
    if (!ctx.asFrom) return this.quote(el.name);
    return `(${this.nested(el.element, false)}) AS ${this.quote(el.name)}`;
  }

  visitLateral(el: Lateral, ctx: CompileContext): string {
    if (!this.dialect.capabilities.select.lateral) this.unsupported('LATERAL');
    if (!ctx.asFrom) return this.quote(el.name);
    // A LATERAL subquery sees the FROM items to its left: render it with them in scope.
    return `LATERAL (${this.nested(el.element, true)}) AS ${this.quote(el.name)}`;
  }

  visitCte(cte: CTE, _ctx: CompileContext): string {
    // An anchor and its completed recursive CTE are one WITH entry, keyed by the anchor.
    const root = cte.anchor ?? cte;
    const el = root.completedBy ?? root;
    if (!this.ctes.has(root) && !this.ctesInProgress.has(root)) {
      if (this.ctes.size === 0) this.ctes = new Map();
      if (this.ctesInProgress.size === 0) this.ctesInProgress = new Set();
      this.ctesInProgress.add(root);
      if (el.recursive) {
        if (!this.dialect.capabilities.select.recursiveCte) this.unsupported('WITH RECURSIVE');
        this.recursiveCtes = true;
      }
      const body = this.nested(el.element, false);
      const cols = el.recursive ? `(${el.columns.map((c) => this.quote(c.name)).join(', ')})` : '';
      this.ctesInProgress.delete(root);
      this.ctes.set(root, `${this.quote(el.name)}${cols} AS (${body})`);
    }
    return this.quote(el.name);
  }

  /** Renders a statement nested in FROM or WITH: its own FROM scope, correlated only for LATERAL. */
  protected nested(stmt: any, correlate: boolean): string {
    const saved = this.enclosingFroms;
    if (!correlate) this.enclosingFroms = [];
    try {
      return this.process(stmt, {});
    } finally {
      this.enclosingFroms = saved;
    }
  }

  /** FROM items a statement refers to (for UPDATE ... FROM / DELETE ... USING inference). */
  protected referencedFroms(el: ColumnElement<any, any>): FromClause[] {
    const out: FromClause[] = [];
    collectFromsInto(el, out);
    return out;
  }

  protected assertSelect(el: unknown): asserts el is Select<any> {
    if (!(el instanceof Select)) throw new ArgumentError('expected a select()');
  }
}

/** Adds a FROM item and what it contains (a join covers both sides). */
function coverage(f: FromClause, into: Set<FromClause>): void {
  into.add(f);
  if ((f as any).kind === 'join') {
    coverage((f as Join).left, into);
    coverage((f as Join).right, into);
  }
}

function noFromsLeft(froms: readonly FromClause[]): InvalidRequestError {
  const names = froms.map((f) => (f as { name?: string }).name ?? '(anonymous)').join(', ');
  return new InvalidRequestError(
    `A subquery returned no FROM items due to auto-correlation: every table it uses (${names}) is also in the enclosing query. ` +
      'Say which come from the enclosing query with .correlate(table, ...), keep some in the subquery with .correlateExcept(table, ...), or correlate nothing with .correlate().',
  );
}
