/**
 * The `lazy:` defaults of relationships: `'selectin'` and `'joined'` ones are loaded with
 * every query of their class, as if the option were given (an explicit option for the same
 * relationship wins; the statement's plan adds them: load-plan.ts). Objects loaded by a relationship get their own class's eager defaults
 * in turn, level by level: one statement per relationship and level (per 500 keys), so a
 * self-referential `lazy: 'selectin'` tree loads one statement per level until a level is
 * empty, or `joinDepth` levels. Below the query's own entities, `'joined'` defaults load
 * as selectin (a join is added to the query only for its own entities).
 */
import { type Queries, loadRelationship } from './loading';
import type { Mapper } from './mapper';
import type { Relationship } from './relationship';
import { type InstanceState, stateOf } from './state/instance-state';

/**
 * What one query's loading has done so far: the (relationship, object) loads already run,
 * so that a cycle of eager defaults (User.addresses ↔ Address.user) ends, even when
 * `populateExisting` makes every object look unloaded again.
 */
export class LoadRun {
  private readonly done = new Map<Relationship, Set<InstanceState>>();
  constructor(
    readonly queries: Queries,
    readonly overwrite: boolean,
  ) {}

  /** Loads `rel` on `states`, then the eager defaults of what it loaded. */
  async load(states: readonly InstanceState[], rel: Relationship, chain: readonly Relationship[] = []): Promise<void> {
    let seen = this.done.get(rel);
    if (seen === undefined) this.done.set(rel, (seen = new Set()));
    const todo = states.filter((st) => !seen.has(st));
    for (const st of todo) seen.add(st);
    if (todo.length === 0) return;
    const loaded = await loadRelationship(this.queries, todo, rel, this.overwrite && chain.length === 0);
    await this.loadDefaults(loaded, [...chain, rel]);
  }

  /**
   * The eager defaults of `objects` (loaded through `chain`), one statement per relationship
   * and level; relationships in `named` are left to the statement's own options.
   */
  async loadDefaults(objects: readonly object[], chain: readonly Relationship[] = [], named?: ReadonlyMap<string, unknown>): Promise<void> {
    if (objects.length === 0) return;
    const byMapper = new Map<Mapper, InstanceState[]>();
    for (const o of objects) {
      const st = stateOf(o);
      if (st.mapper.eagerRelationships.length === 0) continue;
      const list = byMapper.get(st.mapper);
      if (list) list.push(st);
      else byMapper.set(st.mapper, [st]);
    }
    for (const [mapper, states] of byMapper) {
      for (const rel of mapper.eagerRelationships) {
        if (named?.has(rel.name)) continue;
        if (rel.joinDepth !== undefined && chain.filter((r) => r === rel).length >= rel.joinDepth) continue;
        await this.load(states, rel, chain);
      }
    }
  }
}
