/**
 * Compiler state and mechanics: dispatch by element kind, placeholders, identifier quoting,
 * and turning the rendered text into a reusable `Compiled`. Visitors live in subclasses,
 * one concern per file; `SQLCompiler` (sql-compiler.ts) is the full, exhaustive set.
 */
import { ArgumentError, CompileError } from '../errors';
import { describeValue, refuseNul } from '../util/refuse';
import type { Dialect } from '../dialect/dialect';
import type { BindParameter } from '../sql/column-element';
import { ColumnDefault } from '../sql/dml';
import type { ClauseElement } from '../sql/element';
import type { ElementKinds } from '../sql/kinds';
import type { TypeEngine } from '../types/type-engine';
import type { EntitySlot, ResultColumn } from '../sql/select';
import type { FromClause } from '../sql/selectable';
import { type BindSlot, Compiled, type CompiledColumn, type StatementKind, needsExactIntegers } from './compiled';

/** Flags that change how an element renders in its position (a typed stand-in for SQLAlchemy's **kw). */
export interface CompileContext {
  /** Rendering a FROM item (aliases render `x AS name`). */
  asFrom?: boolean;
  /** Rendering DDL: values render as literals, never as placeholders. */
  literalBinds?: boolean;
  /** Rendering the target/SET columns of INSERT/UPDATE: unqualified names. */
  unqualified?: boolean;
}

/**
 * Bind markers are NUL-delimited emission indexes. No user text can hold a NUL (identifiers,
 * literals and raw SQL refuse it), and `finish` checks that the text holds exactly the
 * markers emitted, so a marker can never be forged by a name or a value.
 */
const MARK = '\u0000';
const NO_CONTEXT: CompileContext = {};

/** The `visit…` methods a compiler has, one per element kind, each rendering that element as SQL text. */
export type Visitors = { [K in keyof ElementKinds as `visit${Capitalize<K>}`]: (el: ElementKinds[K], ctx: CompileContext) => string };

export abstract class BaseCompiler {
  readonly dialect: Dialect;
  /** Bind slots in the order their markers were emitted. */
  protected slotList: BindSlot[] = [];
  /** The statement's bind elements in walk order (their index is the value's index). */
  private binds: readonly BindParameter[] = [];
  /** Walk index by bind element, built only for statements with many binds (see `walkIndexOf`). */
  private bindIndex: Map<BindParameter, number> | undefined;
  protected bindNames = new Map<string, number>();
  protected usedNames = new Map<BindParameter, string>();
  /** Enclosing SELECTs' FROM items, innermost last (for correlation). */
  protected enclosingFroms: FromClause[][] = [];
  /** CTEs referenced anywhere, rendered in WITH at the top level: name → rendered body. */
  protected ctes = NO_CTES;
  protected ctesInProgress = NO_CTES_IN_PROGRESS;
  protected recursiveCtes = false;
  protected statementDepth = 0;
  protected topResultColumns: ResultColumn[] = [];
  protected topEntitySlots: readonly EntitySlot[] = [];
  /** Set by the top-level SELECT: see `Compiled.atMostOneRow`. */
  protected topAtMostOneRow = false;
  protected autoincrementKey: string | undefined;
  protected statementOptions: readonly unknown[] = [];

  /** This compiler class's visit methods by element kind index (see `visitorsOf`). */
  private readonly visitors: (Visitor | undefined)[];
  /** Quoted identifiers of this dialect (shared by every compile). */
  private readonly quoted: Map<string, string>;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
    this.visitors = visitorsOf(this);
    let quoted = quoteMemos.get(dialect);
    if (quoted === undefined) quoteMemos.set(dialect, (quoted = new Map()));
    this.quoted = quoted;
  }

  /** Renders any element by its kind. */
  process(el: ClauseElement, ctx: CompileContext = NO_CONTEXT): string {
    const kind = el.kind;
    const index = el.kindIndex;
    const entry = this.visitors[index];
    // The kind check: an element from another copy of the package numbers kinds its own way.
    if (entry !== undefined && entry.kind === kind) return entry.fn.call(this, el, ctx);
    const fn = (this as any)[el.visitName ?? VISIT_NAMES[kind]] as VisitFn | undefined;
    if (!fn) throw new CompileError(`No compiler method for element kind '${kind}'.`);
    if (entry === undefined && index !== undefined) this.visitors[index] = { kind, fn };
    return fn.call(this, el, ctx);
  }

  /**
   * Compiles a statement. `binds` are its bind parameters in cache-key walk order, so
   * each slot knows which extracted value feeds it.
   */
  compileStatement(stmt: ClauseElement, binds: readonly BindParameter[], kind: StatementKind): Compiled {
    this.binds = binds;
    let sql = this.process(stmt);
    if (this.ctes.size) sql = this.renderWith() + sql;
    return this.finish(sql, kind);
  }

  // -- placeholders -----------------------------------------------------------------------

  /** Emits a marker for a bound parameter; `finish` turns markers into the dialect's placeholders. */
  protected bindMarker(bind: BindParameter, ctx: CompileContext, columnKey?: string): string {
    if (ctx.literalBinds) return this.renderLiteral(bind.value, bind);
    const isDefault = bind.value instanceof ColumnDefault;
    const walkIndex = isDefault ? -1 : this.walkIndexOf(bind);
    if (walkIndex < 0 && !isDefault) throw new CompileError('A bound parameter was not found in the statement walk (internal error).');
    let name = this.usedNames.get(bind);
    if (name === undefined) {
      name = bind.isNamed ? bind.name! : this.anonName(bind.name);
      this.usedNames.set(bind, name);
    }
    const slot: BindSlot = {
      walkIndex,
      name,
      isNamed: bind.isNamed,
      expanding: bind.expanding,
      processor: columnKey !== undefined ? this.dialect.storeProcessor(bind.type) : this.dialect.bindProcessor(bind.type),
      itemProcessors: bind.itemTypes?.map((t) => this.dialect.bindProcessor(t)),
      columnKey,
      columnDefault: isDefault ? (bind.value as ColumnDefault) : undefined,
    };
    this.slotList.push(slot);
    return `${MARK}${this.slotList.length - 1}${MARK}`;
  }

  /** A scan for the few binds of a typical statement; a map for many (multi-row VALUES). */
  private walkIndexOf(bind: BindParameter): number {
    const binds = this.binds;
    if (binds.length <= 16) return binds.indexOf(bind);
    if (this.bindIndex === undefined) {
      this.bindIndex = new Map();
      for (let i = 0; i < binds.length; i++) this.bindIndex.set(binds[i], i);
    }
    return this.bindIndex.get(bind) ?? -1;
  }

  private anonName(hint: string | undefined): string {
    const base = hint === undefined ? 'param' : safeParamBase(hint);
    const n = (this.bindNames.get(base) ?? 0) + 1;
    this.bindNames.set(base, n);
    return `${base}_${n}`;
  }

  /** The placeholder text for the n-th (0-based) parameter sent. */
  placeholder(position: number, name: string): string {
    switch (this.dialect.paramStyle) {
      case 'qmark':
        return '?';
      case 'numeric':
        return `$${position + 1}`;
      default:
        return `:${name}`;
    }
  }

  /** A value rendered inline (DDL defaults, literal binds, LIKE escapes). */
  renderLiteral(value: unknown, _bind?: BindParameter): string {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new ArgumentError(`Cannot render ${value} as a SQL literal: only finite numbers have one.`);
      return String(value);
    }
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'boolean') return this.booleanLiteral(value);
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new ArgumentError('Cannot render an invalid Date (its time is NaN) as a SQL literal.');
      return `'${value.toISOString()}'`;
    }
    if (typeof value !== 'string') throw new ArgumentError(`Cannot render a ${describeValue(value)} as a SQL literal: give a string, number, boolean, bigint or Date.`);
    return this.stringLiteral(refuseNul(value, 'A string rendered inline (server default, CHECK, Enum value, LIKE escape)'));
  }

  /**
   * A string literal that nothing inside it can end: standard SQL doubles `'`. Dialects whose
   * strings give backslashes a meaning override this (MySQL/MariaDB, PostgreSQL's E'').
   */
  protected stringLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  booleanLiteral(value: boolean): string {
    return this.dialect.capabilities.types.nativeBoolean ? (value ? 'true' : 'false') : value ? '1' : '0';
  }

  // -- identifiers ------------------------------------------------------------------------

  /** Quotes an identifier when needed: not lower-case-simple, or reserved. */
  quote(name: string): string {
    // Memoised per dialect: the same few identifiers are quoted in every compile.
    const memo = this.quoted;
    let q = memo.get(name);
    if (q === undefined) {
      this.checkIdentifier(name);
      q = /^[a-z_][a-z0-9_$]*$/.test(name) && !this.dialect.reservedWords.has(name) ? name : this.quoteAlways(name);
      // Bounded: identifiers generated per call must not grow it without limit.
      if (memo.size < 10_000) memo.set(name, q);
    }
    return q;
  }

  /** Always quoted: result labels whose case must survive. */
  quoteAlways(name: string): string {
    this.checkIdentifier(name);
    const q = this.dialect.identifierQuote;
    return q + name.split(q).join(q + q) + q;
  }

  /**
   * Refuses a name the database would not keep as given: a NUL (it also delimits bind
   * markers), or more than the dialect's identifier limit (PostgreSQL truncates to 63 bytes,
   * so two long names would silently become one table). Dialects add their own rules.
   */
  protected checkIdentifier(name: string): void {
    refuseNul(name, `The identifier or label ${JSON.stringify(name.slice(0, 40))}`);
    const limit = this.dialect.maxIdentifierLength;
    if (limit !== undefined && name.length > limit / 4 && identifierLength(name, this.dialect.identifierLengthUnit) > limit) {
      throw new ArgumentError(
        `The name ${JSON.stringify(name)} is ${identifierLength(name, this.dialect.identifierLengthUnit)} ${this.dialect.identifierLengthUnit} long; ${this.dialect.name} keeps at most ${limit} ${this.dialect.identifierLengthUnit} of an identifier. Give a shorter name.`,
      );
    }
  }

  /**
   * A name the library made up (naming conventions, index names) that is over the dialect's
   * limit: cut, with a hash of the whole name appended so two long names stay apart (the
   * same every time).
   */
  protected shortenGenerated(name: string): string {
    const limit = this.dialect.maxIdentifierLength;
    if (limit === undefined || identifierLength(name, this.dialect.identifierLengthUnit) <= limit) return name;
    const hash = fnv1a(name);
    let head = name.slice(0, limit - hash.length - 1);
    while (identifierLength(head, this.dialect.identifierLengthUnit) > limit - hash.length - 1) head = head.slice(0, -1);
    return `${head}_${hash}`;
  }

  quoteSchemaTable(schema: string | undefined, name: string): string {
    return schema ? `${this.quote(schema)}.${this.quote(name)}` : this.quote(name);
  }

  // -- finishing --------------------------------------------------------------------------

  protected renderWith(): string {
    return `WITH ${this.recursiveCtes ? 'RECURSIVE ' : ''}${[...this.ctes.values()].join(', ')} `;
  }

  private finish(text: string, kind: StatementKind): Compiled {
    let parts: string[];
    let slots: BindSlot[];
    let sql: string;
    if (this.slotList.length === 0) {
      if (text.includes(MARK)) throw strayNul();
      parts = [text];
      slots = [];
      sql = text;
    } else {
      // Markers carry the emission index: text order can differ (a WITH rendered last, put first).
      const pieces = text.split(MARK);
      if (pieces.length !== 2 * this.slotList.length + 1) throw strayNul();
      parts = [];
      slots = [];
      sql = '';
      for (let i = 0; i < pieces.length; i += 2) {
        const part = pieces[i];
        parts.push(part);
        sql += part;
        if (i + 1 < pieces.length) {
          const slot = this.slotList[+pieces[i + 1]];
          sql += this.placeholder(slots.length, slot.name);
          slots.push(slot);
        }
      }
    }
    const resultColumns = this.topResultColumns;
    const columns: CompiledColumn[] = new Array(resultColumns.length);
    const types: TypeEngine<any>[] = new Array(resultColumns.length);
    for (let i = 0; i < resultColumns.length; i++) {
      const c = resultColumns[i];
      columns[i] = { key: c.key, processor: this.dialect.resultProcessor(c.type) };
      types[i] = c.type;
    }
    return new Compiled({
      sql,
      parts,
      slots,
      columns,
      entitySlots: this.topEntitySlots,
      kind,
      returnsRows: columns.length > 0,
      autoincrementKey: this.autoincrementKey,
      options: this.statementOptions,
      exactIntegers: needsExactIntegers(types),
      atMostOneRow: kind === 'select' && this.topAtMostOneRow,
    });
  }
}

function identifierLength(name: string, unit: 'bytes' | 'characters'): number {
  let n = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    n += unit === 'characters' ? 1 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** 8 hex digits of FNV-1a over the UTF-16 units: a stable suffix for shortened names. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function strayNul(): CompileError {
  return new CompileError('The SQL text contains a NUL character that is not a bind marker (from a function name, operator or type name given as text): remove it.');
}

const quoteMemos = new WeakMap<Dialect, Map<string, string>>();
/** Shared empty placeholders until a statement has a CTE (most have none): no collections per compile. */
const NO_CTES: Map<ClauseElement, string> = new Map();
const NO_CTES_IN_PROGRESS: Set<ClauseElement> = new Set();

type VisitFn = (el: ClauseElement, ctx: CompileContext) => string;
interface Visitor {
  kind: string;
  fn: VisitFn;
}
const VISITORS = Symbol('athanor.visitors');

/**
 * The kind → method table of a compiler class, indexed by `el.kindIndex`, kept on its
 * prototype and filled as kinds are met. Dispatching through `this[el.visitName]` is a
 * keyed load whose key changes at every node, the slowest kind of property access; an
 * array slot is the cheapest. Own property only: a dialect subclass overriding a visitor
 * gets its own table.
 */
function visitorsOf(compiler: BaseCompiler): (Visitor | undefined)[] {
  const proto = Object.getPrototypeOf(compiler) as { [VISITORS]?: (Visitor | undefined)[] };
  if (Object.hasOwn(proto, VISITORS)) return proto[VISITORS]!;
  const table: (Visitor | undefined)[] = [];
  Object.defineProperty(proto, VISITORS, { value: table });
  return table;
}

/** Anonymous parameter names come from column names: keep only what every paramstyle accepts. */
const paramBases = new Map<string, string>();
function safeParamBase(hint: string): string {
  let base = paramBases.get(hint);
  if (base === undefined) {
    base = hint.replace(/[^A-Za-z0-9_]/g, '_');
    if (paramBases.size < 10_000) paramBases.set(hint, base);
  }
  return base;
}

const VISIT_NAMES: Record<string, string> = new Proxy(
  {},
  {
    get(cache: Record<string, string>, kind: string) {
      return (cache[kind] ??= `visit${kind[0].toUpperCase()}${kind.slice(1)}`);
    },
  },
);
