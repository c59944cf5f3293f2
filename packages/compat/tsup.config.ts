import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  esbuildOptions(options, { format }) {
    // The client adapters are loaded on first use with import(). In the CJS
    // build that must be require(), or the adapter would load the ESM copy of
    // @redlock/core next to our CJS one (and instanceof checks would fail).
    if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
