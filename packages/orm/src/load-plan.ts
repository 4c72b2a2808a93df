/**
 * The loader options of one statement merged into a tree per entity of the statement:
 * `selectinload(User, 'posts')` and `selectinload(User, 'posts', 'comments')` share the
 * `posts` node. Built once per execution, and only for statements that carry options.
 */
import { ArgumentError, type FromClause, type Select } from '@athanor/core';
import { EndOption, LoaderCriteria, type LoadStep, type Strategy } from './loader-options';
import { type Mapper, mapperOfDescriptor } from './mapper';
import type { Relationship } from './relationship';
import { writeOnlyLoadError } from './write-only';

export interface LoadNode {
  readonly rel: Relationship;
  strategy: Strategy;
  /** Named last by an option (not only passed through by a longer path). */
  explicit: boolean;
  /** containsEager: where the target's columns are. */
  from?: FromClause;
  readonly children: Map<string, LoadNode>;
  /** selectinPolymorphic: joined subclasses whose tables load after the level, by a SELECT each. */
  polymorphic?: Mapper[];
}

export interface RootPlan {
  /** The entity's key in the statement's rows. */
  readonly key: string;
  /** The class the options name: the entity's, one it inherits from, or a subclass of it. */
  readonly mapper: Mapper;
  /** A subclass of the selected class: only the rows of that class load the children (after the statement, not joined). */
  readonly subclassOnly: boolean;
  readonly children: Map<string, LoadNode>;
  polymorphic?: Mapper[];
}

export interface LoadPlan {
  readonly roots: RootPlan[];
  /** withLoaderCriteria, by the class they filter. */
  readonly criteria: ReadonlyMap<Mapper, LoaderCriteria[]>;
}

/** The statement's ORM options as a plan, or undefined when it has none. */
export function planOf(statement: unknown): LoadPlan | undefined {
  const options = (statement as { statementOptions?: readonly unknown[] }).statementOptions ?? [];
  if (options.length === 0 && !hasEagerDefaults(statement)) return undefined;
  let paths: EndOption<any, any>[] | undefined;
  let criteria: Map<Mapper, LoaderCriteria[]> | undefined;
  for (const o of options) {
    if (o instanceof EndOption) (paths ??= []).push(o);
    else if (o instanceof LoaderCriteria) {
      criteria ??= new Map();
      const list = criteria.get(o.mapper);
      if (list) list.push(o);
      else criteria.set(o.mapper, [o]);
    }
  }
  const slots = (statement as Select<any>).entitySlots ?? [];
  const roots: RootPlan[] = [];
  const rootFor = (key: string, mapper: Mapper, selected: Mapper = mapper) => {
    // A class and its subclass on one entity are two roots: the subclass's levels load only its rows.
    const subclassOnly = mapper !== selected && mapper.isa(selected);
    let r = roots.find((x) => x.key === key && x.subclassOnly === subclassOnly && (!subclassOnly || x.mapper === mapper));
    if (!r) roots.push((r = { key, mapper, subclassOnly, children: new Map() }));
    return r;
  };
  const wildcards: { root: RootPlan | LoadNode; step: LoadStep }[] = [];
  for (const option of paths ?? []) {
    // The class the option names, one it inherits from (its relationships are the subclass's too), or a subclass (polymorphic rows).
    const related = (m: Mapper | undefined) => m !== undefined && (option.root === undefined || m.isa(option.root) || option.root.isa(m));
    const matching = slots.filter((s) => related(mapperOfDescriptor(s.descriptor)));
    if (matching.length === 0) {
      const first = option.steps[0];
      const name = first === undefined ? '[...]' : first.rel === '*' ? "'*'" : `'${first.rel.name}'`;
      const fn = first === undefined ? 'selectinPolymorphic' : `${first.strategy}load`;
      const entities = slots.map((s) => s.key).join(', ') || 'none';
      throw new ArgumentError(
        `${fn}(${option.root ? option.root.name : ''}${option.root ? ', ' : ''}${name}): ${option.root ? `${option.root.name} is not an entity of this statement` : 'the statement selects no entity'} (its entities: ${entities}). Name a class the statement selects, e.g. select(${option.root?.name ?? 'User'}).`,
      );
    }
    for (const slot of matching) {
      const selected = mapperOfDescriptor(slot.descriptor)!;
      const mapper = option.root?.isa(selected) ? option.root : selected;
      let at: RootPlan | LoadNode = rootFor(slot.key, mapper, selected);
      for (let i = 0; i < option.steps.length; i++) {
        const step = option.steps[i];
        const last = i === option.steps.length - 1;
        if (step.rel === '*') {
          wildcards.push({ root: at, step });
          break;
        }
        at = nodeFor(at, step, last);
      }
      if (option.polymorphic !== undefined) at.polymorphic = [...new Set([...(at.polymorphic ?? []), ...option.polymorphic])];
    }
  }
  // A wildcard covers the relationships no other option of the same level names.
  for (const { root, step } of wildcards) {
    const mapper = 'mapper' in root ? root.mapper : root.rel.target;
    for (const rel of mapper.relationships.values()) {
      if (!root.children.has(rel.name)) root.children.set(rel.name, { rel, strategy: step.strategy, explicit: true, children: new Map() });
    }
  }
  for (const [mapper] of criteria ?? []) {
    for (const slot of slots) if (mapperOfDescriptor(slot.descriptor) === mapper) rootFor(slot.key, mapper);
  }
  // The entities' `lazy: 'selectin' | 'joined'` relationships that no option names load as if named.
  for (const slot of slots) {
    const mapper = mapperOfDescriptor(slot.descriptor);
    if (mapper === undefined || mapper.eagerRelationships.length === 0) continue;
    const root = rootFor(slot.key, mapper);
    for (const rel of mapper.eagerRelationships) {
      if (!root.children.has(rel.name)) root.children.set(rel.name, { rel, strategy: rel.lazy as Strategy, explicit: false, children: new Map() });
    }
  }
  if (roots.length === 0 && criteria === undefined) return undefined;
  return { roots, criteria: criteria ?? new Map() };
}

/** The child node for `step`: an intermediate step reuses a node; two explicit strategies for one path conflict. */
function hasEagerDefaults(statement: unknown): boolean {
  const slots = (statement as Select<any>).entitySlots;
  if (slots === undefined) return false;
  for (const slot of slots) if ((mapperOfDescriptor(slot.descriptor)?.eagerRelationships.length ?? 0) > 0) return true;
  return false;
}

function nodeFor(at: RootPlan | LoadNode, step: LoadStep, last: boolean): LoadNode {
  const rel = step.rel as Relationship;
  if (rel.lazy === 'writeOnly') throw writeOnlyLoadError(rel);
  const existing = at.children.get(rel.name);
  if (existing === undefined) {
    const node: LoadNode = { rel, strategy: step.strategy, explicit: last, children: new Map() };
    if (step.from !== undefined) node.from = step.from;
    at.children.set(rel.name, node);
    return node;
  }
  if (!last || existing.strategy === step.strategy) return existing;
  if (!existing.explicit) {
    existing.strategy = step.strategy;
    existing.explicit = true;
    if (step.from !== undefined) existing.from = step.from;
    return existing;
  }
  throw new ArgumentError(
    `Conflicting loader options for ${rel.parent.name}.${rel.name}: ${existing.strategy}load and ${step.strategy}load. Give one strategy per relationship path.`,
  );
}
