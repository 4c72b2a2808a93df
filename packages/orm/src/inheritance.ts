/**
 * Inheritance hierarchies (SQLAlchemy's `polymorphic_on` / `polymorphic_identity`): a
 * discriminator column of the base's table names each row's class; the subclasses share
 * the base's table (single-table) or add tables of their own (joined-table, see
 * joined-inheritance.ts). A Hierarchy, made by the base mapper, knows the identities declared with
 * `Base.subclass()` and the mappers of the classes that extend them; it turns a row's
 * discriminator into the mapper to load it with, and gives each subclass the criteria
 * (`type IN (...)`, its own identity and its subclasses') every SELECT of it applies.
 */
import { ArgumentError, InvalidRequestError, type TableColumn, literal } from '@athanor/core';
import type { Mapper } from './mapper';

export class Hierarchy {
  /** The discriminator column's position in the value slots. */
  readonly discriminatorIndex: number;
  readonly discriminator: TableColumn<any, any>;
  /** Identity → the mapper declared for it (the base's own identity included). */
  private readonly declared = new Map<unknown, Mapper>();
  /** Identity → the mapper of the class that extends its `Base.subclass()`, once mapped. */
  private readonly mappers = new Map<unknown, Mapper>();
  /** Mapper → the identities its SELECTs match: its own and its subclasses'. */
  private readonly matched = new Map<Mapper, unknown[]>();

  constructor(
    readonly base: Mapper,
    polymorphicOn: string,
  ) {
    this.discriminatorIndex = base.columnIndex.get(polymorphicOn)!;
    this.discriminator = base.columns[this.discriminatorIndex];
    const own = base.polymorphicIdentity;
    this.matched.set(base, []);
    if (own !== undefined) {
      this.declared.set(own, base);
      this.mappers.set(own, base);
    }
  }

  /** Discriminator value → the mapper its rows load with (the classes mapped so far). */
  get polymorphicMap(): ReadonlyMap<unknown, Mapper> {
    return this.mappers;
  }

  /** The identities of the base and every declared subclass, for messages. */
  get identities(): unknown[] {
    return [...this.declared.keys()];
  }

  /** Single-table or joined-table: the first subclass decides, the others follow (the layouts cannot mix). */
  private form: 'single' | 'joined' | undefined = undefined;

  useForm(form: 'single' | 'joined', where: string): void {
    if (this.form !== undefined && this.form !== form) {
      throw new ArgumentError(
        `${where}: ${this.base.name}'s hierarchy uses ${this.form}-table inheritance; ${form === 'joined' ? 'a subclass with a table of its own' : 'a subclass without a table of its own'} cannot join it. ` +
          (this.form === 'joined' ? "Give it table: '...' as the others have." : "Leave out table: its columns go in the base's table."),
      );
    }
    this.form = form;
  }

  /** The mappers made so far: the base's and its mapped subclasses'. */
  get mapperList(): Mapper[] {
    return [...this.matched.keys()];
  }

  /** `Base.subclass(Parent, { polymorphicIdentity })`: before the extending class is mapped. */
  declare(parent: Mapper, identity: unknown, where: string): void {
    const taken = this.declared.get(identity);
    if (taken !== undefined) {
      throw new ArgumentError(`${where}: polymorphicIdentity ${JSON.stringify(identity)} is already ${taken === parent ? 'declared under' : 'used by'} ${taken.name}; every class of a hierarchy needs its own.`);
    }
    this.declared.set(identity, parent);
    // Every ancestor but the base (which matches all rows) now matches this identity too.
    for (let m: Mapper | undefined = parent; m !== undefined && m !== this.base; m = m.parent) this.match(m, identity);
  }

  /** A subclass's mapper was made: its rows load with it, and its SELECTs match its identities. */
  mapped(mapper: Mapper): void {
    const identity = mapper.polymorphicIdentity;
    const other = this.mappers.get(identity);
    if (other !== undefined && other !== mapper) {
      throw new ArgumentError(
        `${mapper.name} and ${other.name} both extend the class Base.subclass() made for polymorphicIdentity ${JSON.stringify(identity)}; ` +
          `extend it once, and declare another subclass with Base.subclass(${other.name}, { polymorphicIdentity: ... }).`,
      );
    }
    this.mappers.set(identity, mapper);
    this.declared.set(identity, mapper);
    this.match(mapper, identity);
  }

  private match(mapper: Mapper, identity: unknown): void {
    let list = this.matched.get(mapper);
    if (list === undefined) this.matched.set(mapper, (list = []));
    if (!list.includes(identity)) list.push(identity);
    if (mapper === this.base) return;
    // Literal values in the SQL: they are constants of the class, not parameters of a query.
    (mapper.descriptor as { where?: unknown }).where = list.length === 1 ? this.discriminator.eq(list[0]) : this.discriminator.in(list.map((v) => literal(v)));
  }

  /** The mapper for a row whose discriminator is `identity`, queried through `queried`. */
  mapperFor(identity: unknown, queried: Mapper): Mapper {
    const m = this.mappers.get(identity);
    if (m?.isa(queried)) return m;
    const column = `${this.base.name}.${this.discriminator.key}`;
    if (m !== undefined) {
      throw new InvalidRequestError(`A ${queried.name} query returned a row whose ${column} is ${JSON.stringify(identity)}, a ${m.name}, which is not a ${queried.name}.`);
    }
    if (this.declared.has(identity)) {
      throw new InvalidRequestError(
        `A row's ${column} is ${JSON.stringify(identity)}, the polymorphicIdentity of a Base.subclass() whose class is not mapped yet: ` +
          'a subclass is mapped when first used; call Base.register(...subclasses) at startup so that queries can load its rows before then.',
      );
    }
    throw new InvalidRequestError(`A row's ${column} is ${JSON.stringify(identity)}, which no class of the hierarchy declares (identities: ${this.identities.map((i) => JSON.stringify(i)).join(', ')}).`);
  }
}
