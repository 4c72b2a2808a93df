// Release rehearsal, part of the packaging tests: what `changeset version` and `pnpm publish`
// would do to the repository as it is, done on a copy of it in the work dir.
//
//   1. copy the tracked files of the published packages (plus their dist/ and the workspace's
//      node_modules links) and run `changeset version`: every package gets a CHANGELOG.md with
//      a section for its new version, all packages move to one version (they are linked), and
//      none jumps to a new major by accident (Core is their peer dependency: changesets bumps
//      peer dependents a major unless the new version stays in the peer range, which is why
//      the ranges are `0.x` and `onlyUpdatePeerDependentsWhenOutOfRange` is set);
//   2. `pnpm -r publish --dry-run`: every package would publish, with `workspace:` ranges
//      rewritten to the new version.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

export async function releaseRehearsal({ root, work, run, record, pnpm }) {
  const copy = join(work, 'release');
  let started = performance.now();
  const tracked = spawnSync('git', ['ls-files', '-z', '--', 'package.json', 'pnpm-workspace.yaml', 'LICENSE', '.changeset', 'packages'], { cwd: root, encoding: 'utf8' });
  if (tracked.status !== 0) {
    record('release › changeset version', false, performance.now() - started, `git ls-files failed: ${tracked.stderr}`);
    return;
  }
  for (const f of tracked.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(root, f), join(copy, f));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const packageDirs = readdirSync(join(copy, 'packages')).filter((d) => existsSync(join(copy, 'packages', d, 'package.json')));
  for (const d of packageDirs) {
    for (const sub of ['dist', 'node_modules']) {
      const from = join(root, 'packages', d, sub);
      if (existsSync(from)) cpSync(from, join(copy, 'packages', d, sub), { recursive: true, verbatimSymlinks: true });
    }
  }
  const manifest = (d) => JSON.parse(readFileSync(join(copy, 'packages', d, 'package.json'), 'utf8'));
  const published = packageDirs.filter((d) => !manifest(d).private);
  const before = new Map(published.map((d) => [d, manifest(d).version]));

  const version = await run(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: copy, timeout: 120_000 });
  const problems = [];
  if (version.code !== 0) problems.push(`changeset version exited ${version.code}:\n${version.out}`);
  const versions = new Set();
  for (const d of published) {
    const { name, version: next } = manifest(d);
    versions.add(next);
    const major = (v) => Number(v.split('.')[0]);
    if (next === before.get(d)) problems.push(`${name} stayed at ${next}`);
    if (major(next) !== major(before.get(d))) problems.push(`${name} went from ${before.get(d)} to ${next}: a new major nobody asked for`);
    const changelog = join(copy, 'packages', d, 'CHANGELOG.md');
    if (!existsSync(changelog)) problems.push(`${name} has no CHANGELOG.md`);
    else if (!readFileSync(changelog, 'utf8').includes(`\n## ${next}\n`)) problems.push(`${name}'s CHANGELOG.md has no section "## ${next}"`);
  }
  if (versions.size > 1) problems.push(`the linked packages ended on different versions: ${[...versions].join(', ')}`);
  if (existsSync(join(copy, '.changeset')) && readdirSync(join(copy, '.changeset')).some((f) => f.endsWith('.md') && f !== 'README.md')) {
    problems.push('changesets were left unconsumed in .changeset/');
  }
  record('release › changeset version (CHANGELOGs, one version, no accidental major)', problems.length === 0, performance.now() - started, problems.join('\n'));

  started = performance.now();
  const publish = await run(pnpm[0], [...pnpm[1], '-r', 'publish', '--dry-run', '--no-git-checks'], { cwd: copy, timeout: 180_000 });
  const next = [...versions][0];
  const missing = published.map((d) => manifest(d).name).filter((name) => !publish.out.includes(`+ ${name}@${next}`));
  const publishProblems = [];
  if (publish.code !== 0) publishProblems.push(`pnpm -r publish --dry-run exited ${publish.code}:\n${publish.out.slice(-3000)}`);
  if (missing.length) publishProblems.push(`not published: ${missing.join(', ')}`);
  record('release › pnpm publish --dry-run of every package', publishProblems.length === 0, performance.now() - started, publishProblems.join('\n'));
}
