/** The revision graph and target resolution, without a database. */
import { MigrateError } from '../src/errors';
import { RevisionGraph, type RevisionNode } from '../src/revision/graph';
import { downgradeTarget, resolveRevision, singleHead, upgradeTargets } from '../src/revision/target';
import { planDowngrade, planUpgrade, stampHeads } from '../src/runner/plan';

const node = (id: string, down: string[] = [], extra: Partial<RevisionNode> = {}): RevisionNode => ({ id, down, dependsOn: [], branchLabels: [], message: id, ...extra });

// a1 - a2 - a3 (label 'main')
//        \- b1 - b2 (label 'feature' on b1)      m merges a3 and b2, c1 depends on b1
const graph = () =>
  new RevisionGraph([
    node('a1aaaa'),
    node('a2aaaa', ['a1aaaa']),
    node('a3aaaa', ['a2aaaa'], { branchLabels: ['main'] }),
    node('b1bbbb', ['a2aaaa'], { branchLabels: ['feature'] }),
    node('b2bbbb', ['b1bbbb']),
    node('c1cccc', [], { dependsOn: ['b1bbbb'], branchLabels: ['other'] }),
  ]);

test('heads, bases, topological order with parents and dependencies first', () => {
  const g = graph();
  expect(g.heads).toEqual(['a3aaaa', 'b2bbbb', 'c1cccc']);
  expect(g.bases).toEqual(['a1aaaa', 'c1cccc']);
  const order = g.order;
  expect(order.indexOf('b1bbbb')).toBeLessThan(order.indexOf('c1cccc'));
  expect(order.indexOf('a2aaaa')).toBeLessThan(order.indexOf('b1bbbb'));
});

test('an ambiguous head names every head and the ways out', () => {
  expect(() => singleHead(graph())).toThrow("Multiple heads: 'a3aaaa', 'b2bbbb', 'c1cccc'. Upgrade to 'heads' (all of them), to one of them or a branch label, or join them with `athanor merge -m \"merge\" a3aaaa b2bbbb c1cccc`.");
  expect(() => upgradeTargets(graph(), 'head', [])).toThrow(MigrateError);
});

test('targets: ids, prefixes, labels, label@head, +N, <rev>+N, heads, base', () => {
  const g = graph();
  expect(resolveRevision(g, 'a2')).toBe('a2aaaa');
  expect(() => resolveRevision(g, 'a')).toThrow("Revision prefix 'a' is ambiguous: a1aaaa, a2aaaa, a3aaaa.");
  expect(() => resolveRevision(g, 'zz')).toThrow("No revision 'zz'");
  expect(resolveRevision(g, 'feature')).toBe('b1bbbb');
  expect(resolveRevision(g, 'feature@head')).toBe('b2bbbb');
  expect(upgradeTargets(g, 'heads', [])).toEqual(['a3aaaa', 'b2bbbb', 'c1cccc']);
  expect(upgradeTargets(g, 'a1aaaa+1', [])).toEqual(['a2aaaa']);
  expect(upgradeTargets(g, '+1', ['b1bbbb'])).toEqual(['b2bbbb']);
  expect(() => upgradeTargets(g, '+1', ['a2aaaa'])).toThrow("Moving forward from 'a2aaaa' is ambiguous: it branches to 'a3aaaa', 'b1bbbb'.");
  expect(() => upgradeTargets(g, '+1', [])).toThrow("Moving forward from 'base' is ambiguous");
  expect(() => upgradeTargets(g, '-1', [])).toThrow('use `athanor downgrade -1`');
  expect(upgradeTargets(g, 'base', [])).toEqual([]);
});

test('downgrade targets: base, -N, <rev>-N, a revision; a merge cannot be stepped back through', () => {
  const merged = new RevisionGraph([node('x1'), node('x2', ['x1']), node('y2', ['x1']), node('m', ['x2', 'y2'])]);
  expect(downgradeTarget(merged, 'base', ['m'])).toBeUndefined();
  expect(downgradeTarget(merged, 'x2-1', ['m'])).toBe('x1');
  expect(downgradeTarget(merged, 'x1-1', ['m'])).toBeUndefined();
  expect(() => downgradeTarget(merged, '-1', ['m'])).toThrow("Moving back from 'm' is ambiguous: it merges 'x2', 'y2'.");
  expect(() => downgradeTarget(merged, '-1', ['x2', 'y2'])).toThrow("'-1' is ambiguous with several current heads ('x2', 'y2')");
  expect(() => downgradeTarget(merged, '+1', ['m'])).toThrow('use `athanor upgrade +1`');
});

test('plans: dependencies applied first, several heads recorded, merges join them', () => {
  const g = graph();
  const up = planUpgrade(g, 'other', []);
  expect(up.map((s) => s.revision)).toEqual(['a1aaaa', 'a2aaaa', 'b1bbbb', 'c1cccc']);
  expect(up.at(-1)!.headsAfter).toEqual(['b1bbbb', 'c1cccc']);
  const all = planUpgrade(g, 'heads', up.at(-1)!.headsAfter);
  expect(all.map((s) => s.revision)).toEqual(['a3aaaa', 'b2bbbb']);
  expect(all.at(-1)!.headsAfter).toEqual(['a3aaaa', 'b2bbbb', 'c1cccc']);
  // Downgrading b1 undoes what needs it: b2 and c1 (its dependant), newest first.
  const down = planDowngrade(g, 'a2aaaa', ['a3aaaa', 'b2bbbb', 'c1cccc']);
  expect(down.map((s) => s.revision)).toEqual(['c1cccc', 'b2bbbb', 'b1bbbb', 'a3aaaa']);
  expect(down.at(-1)!.headsAfter).toEqual(['a2aaaa']);
  expect(stampHeads(g, 'feature@head', [])).toEqual(['b2bbbb']);
  expect(stampHeads(g, 'base', ['b2bbbb'])).toEqual([]);
});

test('refused graphs: cycles, unknown parents, duplicate ids and labels', () => {
  expect(() => new RevisionGraph([node('p', ['q']), node('q', ['p']), node('r')])).toThrow('The revisions form a cycle; refusing to run. Revisions on or after it: p, q.');
  expect(() => new RevisionGraph([node('p', ['nope'])])).toThrow("Revision 'p' refers to 'nope', which no revision file defines.");
  expect(() => new RevisionGraph([node('p'), node('p')])).toThrow("Revision 'p' is defined twice");
  expect(() => new RevisionGraph([node('p', [], { branchLabels: ['l'] }), node('q', ['p'], { branchLabels: ['l'] })])).toThrow("Branch label 'l' is on both 'p' and 'q'.");
});

test('branch-relative targets: label@+N, label@-N and label@base move that branch only', () => {
  const g = graph();
  const all = ['a3aaaa', 'b2bbbb', 'c1cccc'];
  // Nothing of 'feature' applied: +1 is its first revision (b1), +2 the next; a3 is not touched.
  expect(planUpgrade(g, 'feature@+1', ['a3aaaa']).map((s) => s.revision)).toEqual(['b1bbbb']);
  expect(upgradeTargets(g, 'feature@+2', [])).toEqual(['b2bbbb']);
  expect(upgradeTargets(g, 'feature@+1', ['b1bbbb'])).toEqual(['b2bbbb']);
  expect(() => upgradeTargets(g, 'feature@+1', ['b2bbbb'])).toThrow("Cannot move 1 step(s) forward on branch 'feature': 'b2bbbb' is its head after 0 step(s).");
  expect(() => upgradeTargets(g, 'feature@base', [])).toThrow("'upgrade feature@base': a branch's base is where it starts");
  expect(() => upgradeTargets(g, 'feature@-1', ['b2bbbb'])).toThrow('use `athanor downgrade feature@-1`');
  // Down: -1 undoes b2 only; base undoes b1, b2 and c1 (which depends on b1), and leaves main alone.
  expect(planDowngrade(g, 'feature@-1', all).map((s) => s.revision)).toEqual(['b2bbbb']);
  const base = planDowngrade(g, 'feature@base', all);
  expect(base.map((s) => s.revision)).toEqual(['c1cccc', 'b2bbbb', 'b1bbbb']);
  expect(base.at(-1)!.headsAfter).toEqual(['a3aaaa']);
  // Stepping back past the branch's first revision is the same as its base.
  expect(planDowngrade(g, 'feature@-5', all).map((s) => s.revision)).toEqual(['c1cccc', 'b2bbbb', 'b1bbbb']);
  expect(() => planDowngrade(g, 'feature@-1', ['a3aaaa'])).toThrow("'downgrade feature@-1': nothing of branch 'feature' is applied.");
  expect(() => planDowngrade(g, 'feature@+1', all)).toThrow('use `athanor upgrade feature@+1`');
  expect(() => planDowngrade(g, 'nope@base', all)).toThrow("No revision 'nope'");
});
