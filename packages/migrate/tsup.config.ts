import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  target: 'node20',
  dts: { entry: 'src/index.ts', compilerOptions: { composite: false, incremental: false, paths: {} } },
  sourcemap: true,
  clean: true,
  splitting: false,
  shims: true,
});
