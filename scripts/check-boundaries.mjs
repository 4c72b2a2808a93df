#!/usr/bin/env node
// Architecture checks over every package's src/:
//  1. core imports neither the ORM nor any dialect package;
//  2. the ORM imports Core only through its public entry point, and no dialect;
//  3. no package deep-imports another (`@athanor/x/...`), nor reaches into another's folder;
//  4. the runtime import graph (type-only imports excluded) has no cycle, within or across packages.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const pkgsDir = join(root, 'packages');
const problems = [];

function walk(dir, out = []) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

const importRe = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const dynRe = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

const graph = new Map(); // file -> runtime deps (files or package names)
for (const pkg of readdirSync(pkgsDir)) {
  const src = join(pkgsDir, pkg, 'src');
  let files;
  try { files = walk(src); } catch { continue; }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps = [];
    const specs = [];
    for (const m of text.matchAll(importRe)) specs.push({ spec: m[3], typeOnly: Boolean(m[2]) });
    for (const m of text.matchAll(dynRe)) specs.push({ spec: m[1], typeOnly: false, dynamic: true });
    for (const { spec, typeOnly, dynamic } of specs) {
      const where = relative(root, file);
      if (spec.startsWith('@athanor/')) {
        const [, name, ...rest] = spec.split('/');
        if (rest.length) problems.push(`${where}: deep import '${spec}' (import '@athanor/${name}' instead)`);
        if (pkg === 'core' && !dynamic) problems.push(`${where}: core imports '${spec}' (core must know nothing of the ORM or dialects)`);
        if (pkg === 'orm' && name.startsWith('dialect-')) problems.push(`${where}: the ORM imports '${spec}' (it may use core only)`);
        if (pkg.startsWith('dialect-') && (name === 'orm' || (name.startsWith('dialect-') && name !== pkg)))
          problems.push(`${where}: dialect imports '${spec}' (dialects may use core and their driver only)`);
        if (!typeOnly && !dynamic) deps.push(`pkg:${name}`);
      } else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(src)) problems.push(`${where}: relative import '${spec}' leaves its package`);
        if (!typeOnly) deps.push(resolveFile(target));
      }
    }
    graph.set(file, deps);
    if (!graph.has(`pkg:${pkg}`)) graph.set(`pkg:${pkg}`, []);
    if (file.endsWith(join(pkg, 'src', 'index.ts'))) graph.get(`pkg:${pkg}`).push(file);
  }
}

function resolveFile(base) {
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try { if (statSync(c).isFile()) return c; } catch {}
  }
  return base.replace(/\.js$/, '.ts');
}

// Cycle detection (iterative DFS with colours).
const colour = new Map();
const stack = [];
function dfs(start) {
  const frames = [{ node: start, i: 0 }];
  colour.set(start, 1);
  stack.push(start);
  while (frames.length) {
    const f = frames[frames.length - 1];
    const deps = graph.get(f.node) ?? [];
    if (f.i < deps.length) {
      const d = deps[f.i++];
      const c = colour.get(d) ?? 0;
      if (c === 0) { colour.set(d, 1); stack.push(d); frames.push({ node: d, i: 0 }); }
      else if (c === 1) {
        const cyc = stack.slice(stack.indexOf(d)).concat(d).map((n) => (n.startsWith('pkg:') ? n : relative(root, n)));
        problems.push(`import cycle: ${cyc.join(' -> ')}`);
      }
    } else { colour.set(f.node, 2); stack.pop(); frames.pop(); }
  }
}
for (const n of graph.keys()) if (!colour.get(n)) dfs(n);

if (problems.length) {
  console.error(`Architecture check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Architecture check passed: ${graph.size} modules, no upward or deep imports, no runtime cycles.`);
