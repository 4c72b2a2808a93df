/**
 * Runs every ```ts run sample of the docs (see scripts/extract-samples.mjs for how samples
 * are extracted and wrapped, and contributing/samples.md for the rules), one test per sample, and
 * compares what it prints with its ```txt output block when it has one.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { format } from 'node:util';

interface Sample {
  id: string;
  file: string;
  page: string;
  index: number;
  line: number;
  bodyLine: number;
  expectedOutput: string | null;
}

const docsRoot = join(__dirname, '..');
// Extract now, synchronously: jest needs the list of tests before it runs any.
const manifest: { samples: Sample[] } = JSON.parse(
  execFileSync(process.execPath, [join(docsRoot, 'scripts/extract-samples.mjs'), '--json'], {
    cwd: docsRoot,
    encoding: 'utf8',
  }),
);

/** Trailing spaces and leading/trailing blank lines do not count; everything else does. */
function normalize(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

const captured = ['log', 'info', 'debug', 'warn', 'error'] as const;

async function runSample(sample: Sample): Promise<string> {
  let mod: { default?: () => Promise<void> } = {};
  // A fresh module registry per sample: a sample sees fresh copies of the packages.
  jest.isolateModules(() => {
    mod = require(sample.file);
  });
  if (typeof mod.default !== 'function') throw new Error(`${sample.file} has no default export`);
  const lines: string[] = [];
  const spies = captured.map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    }),
  );
  try {
    await mod.default();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    err.message =
      `sample ${sample.index} of ${sample.page} (line ${sample.line}) threw: ${err.message}\n` +
      `(generated file ${sample.file}: its line N is line N - ${sample.bodyLine - 1} of the sample)` +
      (lines.length ? `\nconsole output before the error:\n${lines.join('\n')}` : '');
    throw err;
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines.join('\n');
}

test('the docs contain samples, and extraction found them', () => {
  expect(manifest.samples.length).toBeGreaterThan(0);
});

const pages = [...new Set(manifest.samples.map((s) => s.page))];
for (const page of pages) {
  describe(page, () => {
    for (const sample of manifest.samples.filter((s) => s.page === page)) {
      test(`sample ${sample.index} (line ${sample.line})`, async () => {
        const output = await runSample(sample);
        if (sample.expectedOutput === null) return;
        try {
          expect(normalize(output)).toBe(normalize(sample.expectedOutput));
        } catch (e) {
          (e as Error).message =
            `the console output of sample ${sample.index} of ${page} (line ${sample.line}) differs from its \`txt output\` block\n` +
            (e as Error).message;
          throw e;
        }
      }, 60_000);
    }
  });
}
