/**
 * The mappers of one `declarativeBase()` are configured together before first use
 * (SQLAlchemy's `configure_mappers()`): checks that need both sides of a relationship
 * declared, such as `backPopulates`, run when an instance is created or a class is
 * queried after a declaration, or when `Base.configure()` is called. A failed check raises
 * again on every use until the declarations are fixed.
 */
import type { Mapper } from './mapper';

/** Where a mapped class keeps its registry (a static of the class `Base.mapped()` returns). */
export const registryOf = Symbol('athanor.orm.registry');

export class Registry {
  /** Mappers with relationships declared. */
  private readonly mappers = new Set<Mapper>();
  configured = true;

  declared(mapper: Mapper): void {
    this.mappers.add(mapper);
    this.configured = false;
  }

  configure(): void {
    if (this.configured) return;
    for (const m of this.mappers) for (const rel of m.relationships.values()) rel.checkBackPopulates();
    this.configured = true;
  }
}
