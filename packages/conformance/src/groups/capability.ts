import type { LockNode } from '@redlock/core';
import type { TestContext } from 'vitest';
import type { Harness } from '../harness.js';

/**
 * A node on store 0 that has the optional `method`, or a skipped test: a
 * node without it is allowed, and the report says so.
 */
export async function nodeWith<M extends 'inspect' | 'watch' | 'serverRun'>(
  h: Harness,
  context: TestContext,
  method: M,
): Promise<LockNode & Required<Pick<LockNode, M>>> {
  const node = await h.node();
  if (typeof node[method] !== 'function') {
    // A dynamic skip does not run the test's hooks: close first.
    await h.closeNodes();
    context.skip(`the node has no optional ${method}()`);
  }
  return node as LockNode & Required<Pick<LockNode, M>>;
}
