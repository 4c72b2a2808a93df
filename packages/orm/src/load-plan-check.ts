/**
 * Combinations of strategies a plan cannot honour, refused before the statement runs (not
 * only when a level happens to have objects): each error names why and the option that works.
 */
import { ArgumentError } from '@athanor/core';
import type { LoadNode } from './load-plan';
import type { Strategy } from './loader-options';

export function subqueryError(node: LoadNode): ArgumentError {
  const rel = node.rel;
  return new ArgumentError(
    `subqueryload(${rel.parent.name}, '${rel.name}'): the ${rel.parent.name} objects were not loaded by one statement it can nest (they come from a selectin, joined or containsEager level, or the statement is not a select()); use selectinload(${rel.parent.name}, '${rel.name}'), or subqueryload the levels above it too.`,
  );
}

export function joinedError(node: LoadNode, why: string): ArgumentError {
  const rel = node.rel;
  return new ArgumentError(`joinedload(${rel.parent.name}, '${rel.name}'): ${why}; use selectinload(${rel.parent.name}, '${rel.name}') for it.`);
}

export const joinedTableError = (node: LoadNode) => joinedError(node, `${node.rel.target.name} is a class of a joined-table hierarchy (its rows span several tables)`);

function belowJsonError(node: LoadNode, json: LoadNode): ArgumentError {
  const rel = node.rel;
  return new ArgumentError(
    `${node.strategy}load(${rel.parent.name}, '${rel.name}') below jsonload(${json.rel.parent.name}, '${json.rel.name}'): the ${json.rel.target.name} objects come as JSON, with no rows of their own to ${node.strategy === 'subquery' ? 'select keys from' : 'join to'}; use jsonload or selectinload for '${rel.name}'.`,
  );
}

/**
 * Checks the nodes below a level loaded with `above` ('statement' for the statement's own
 * entities, `nested` when the statement is a select() a subquery level can nest).
 */
export function checkLevels(children: ReadonlyMap<string, LoadNode>, above: Strategy | 'statement', parent?: LoadNode, nested = true): void {
  for (const node of children.values()) {
    if (above === 'json' && (node.strategy === 'joined' || node.strategy === 'containsEager' || node.strategy === 'subquery')) throw belowJsonError(node, parent!);
    if (node.strategy === 'subquery' && !(above === 'subquery' || (above === 'statement' && nested))) throw subqueryError(node);
    if (node.strategy === 'joined' && node.rel.target.descriptor.from !== node.rel.target.table) throw joinedTableError(node);
    checkLevels(node.children, node.strategy, node, nested);
  }
}
