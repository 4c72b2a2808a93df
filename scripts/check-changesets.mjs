#!/usr/bin/env node
// Fails when a published package's source changed (since the merge base with main, plus
// uncommitted work) without a changeset that names that package.
import { execSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const sh = (c) => execSync(c, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
let base;
try { base = sh('git merge-base HEAD origin/main'); } catch {}
if (!base) {
  // On main itself: compare with the previous commit so each commit carries its own changeset.
  try { base = sh('git rev-parse HEAD~1'); } catch { console.log('changesets: no history to compare, skipped'); process.exit(0); }
}
const changed = sh(`git diff --name-only ${base}`).split('\n').filter(Boolean)
  .concat(sh('git ls-files --others --exclude-standard').split('\n').filter(Boolean));
const published = new Set();
for (const f of changed) {
  const m = /^packages\/([^/]+)\/src\//.exec(f);
  if (!m) continue;
  const pj = JSON.parse(readFileSync(`packages/${m[1]}/package.json`, 'utf8'));
  if (!pj.private) published.add(pj.name);
}
const named = new Set();
for (const f of readdirSync('.changeset')) {
  if (!f.endsWith('.md') || f === 'README.md') continue;
  const fm = readFileSync(`.changeset/${f}`, 'utf8').split('---')[1] ?? '';
  for (const m of fm.matchAll(/["']?(@athanor\/[\w-]+)["']?\s*:/g)) named.add(m[1]);
}
const missing = [...published].filter((p) => !named.has(p));
if (missing.length) {
  console.error(`changesets: source changed without a changeset for ${missing.join(', ')}. Run \`pnpm changeset\`.`);
  process.exit(1);
}
console.log(`changesets: ${published.size} changed published package(s), all with a changeset.`);
