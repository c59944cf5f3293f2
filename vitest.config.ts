import { defineConfig } from 'vitest/config';

// Every package with its own vitest.config.ts is a project. Packages resolve
// each other through the "@redlock/source" export condition, so tests run
// against TypeScript source and need no build first.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
  },
});
