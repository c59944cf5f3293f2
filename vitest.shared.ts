import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

const sourceConditions = ['@redlock/source', 'import', 'module', 'node', 'default'];

/** Base config of every package's vitest project: resolve workspace packages to source. */
export function defineRedlockProject(name: string, config: UserWorkspaceConfig = {}) {
  return mergeConfig(
    defineProject({
      resolve: { conditions: sourceConditions },
      ssr: { resolve: { conditions: sourceConditions } },
      test: { name, include: ['test/**/*.test.ts'] },
    }),
    config,
  );
}
