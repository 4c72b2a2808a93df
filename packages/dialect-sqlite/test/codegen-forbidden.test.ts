/**
 * Where `new Function` is forbidden (Cloudflare Workers, a CSP without unsafe-eval; here
 * Node's --disallow-code-generation-from-strings, which throws the same EvalError), Athanor
 * switches to its generic paths by itself and returns the same rows.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const fixture = join(__dirname, 'fixtures', 'codegen-forbidden.ts');

function run(flags: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', fixture], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`fixture failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

const at = '2026-01-02T03:04:05.000Z';
const expectedRows = {
  all: [
    { id: 1, name: 'a', price: '1.10', at },
    { id: 2, name: 'bb', price: '2.25', at: null },
    { id: 3, name: 'c', price: null, at },
  ],
  byId: { name: 'c' },
  built: [2],
};

test('code generation forbidden by the environment: the generic paths give the same rows', () => {
  const out = run(['--disallow-code-generation-from-strings']);
  expect(out.codeGeneration).toEqual({ enabled: false, reason: 'environment' });
  expect({ all: out.all, byId: out.byId, built: out.built }).toEqual(expectedRows);
});

test('turned off by ATHANOR_NO_CODEGEN=1, and on by default', () => {
  const off = run([], { ATHANOR_NO_CODEGEN: '1' });
  expect(off.codeGeneration).toEqual({ enabled: false, reason: 'option' });
  expect({ all: off.all, byId: off.byId, built: off.built }).toEqual(expectedRows);
  const on = run([], { ATHANOR_NO_CODEGEN: '' });
  expect(on.codeGeneration).toEqual({ enabled: true });
  expect({ all: on.all, byId: on.byId, built: on.built }).toEqual(expectedRows);
});
