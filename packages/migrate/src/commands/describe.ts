import type { RevisionGraph } from '../revision/graph';

/** `history`, `heads`, `branches`, `show`, `current`: text about the graph, one line per revision. */

function tags(graph: RevisionGraph, id: string, current: readonly string[] = []): string {
  const n = graph.get(id);
  const t: string[] = [];
  if (graph.children(id).length === 0) t.push('head');
  if (graph.children(id).length > 1) t.push('branchpoint');
  if (n.down.length > 1) t.push('mergepoint');
  if (current.includes(id)) t.push('current');
  if (n.branchLabels.length) t.push(`label: ${n.branchLabels.join(', ')}`);
  return t.length ? ` (${t.join(') (')})` : '';
}

export function line(graph: RevisionGraph, id: string, current: readonly string[] = []): string {
  const n = graph.get(id);
  const down = n.down.length ? n.down.join(', ') : '<base>';
  return `${down} -> ${id}${tags(graph, id, current)}, ${n.message}`;
}

export function describeRevision(graph: RevisionGraph, id: string): string {
  const n = graph.get(id);
  return [
    `Revision: ${id}${tags(graph, id)}`,
    `Message: ${n.message}`,
    `Down revision: ${n.down.join(', ') || '(base)'}`,
    ...(n.dependsOn.length ? [`Depends on: ${n.dependsOn.join(', ')}`] : []),
    ...(n.branchLabels.length ? [`Branch labels: ${n.branchLabels.join(', ')}`] : []),
    `Children: ${graph.children(id).join(', ') || '(none)'}`,
    `File: ${n.file ?? '?'}`,
  ].join('\n');
}

/** Newest first, as `git log` and Alembic show it. */
export function history(graph: RevisionGraph, verbose: boolean, current: readonly string[] = []): string[] {
  const ids = [...graph.order].reverse();
  return verbose ? ids.map((id) => describeRevision(graph, id)).join('\n\n').split('\n') : ids.map((id) => line(graph, id, current));
}

export function branches(graph: RevisionGraph): string[] {
  return graph.order.filter((id) => graph.children(id).length > 1).map((id) => `${id}${tags(graph, id)}, ${graph.get(id).message}\n  -> ${graph.children(id).join(', ')}`);
}
