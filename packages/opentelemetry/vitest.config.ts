import { defineProject } from 'vitest/config';

// As vitest.shared.ts, but without the 'module' condition and main field:
// @opentelemetry/api's "module" build is not loadable by Node's ESM loader
// (extensionless imports), so it must resolve to its CommonJS "main".
const conditions = ['@redlock/source', 'import', 'node', 'default'];

export default defineProject({
  resolve: { conditions, mainFields: ['main'] },
  ssr: { resolve: { conditions } },
  test: { name: 'opentelemetry', include: ['test/**/*.test.ts'] },
});
