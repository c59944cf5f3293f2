import { describe } from 'vitest';
import { abortGroup } from './groups/abort.js';
import { acquireGroup } from './groups/acquire.js';
import { callsGroup } from './groups/calls.js';
import { expiryGroup } from './groups/expiry.js';
import { extendGroup } from './groups/extend.js';
import { failureGroup } from './groups/failure.js';
import { fencingGroup } from './groups/fencing.js';
import type { Group } from './groups/group.js';
import { inspectGroup } from './groups/inspect.js';
import { lineGroup } from './groups/line.js';
import { redlockGroup } from './groups/redlock-cluster.js';
import { releaseGroup } from './groups/release.js';
import { resourcesGroup } from './groups/resources.js';
import { restartGroup } from './groups/restart.js';
import { storesGroup } from './groups/stores.js';
import { watchGroup } from './groups/watch.js';
import { createHarness } from './harness.js';
import {
  type ConformanceGroup,
  conformanceGroups,
  type DescribeLockNodeOptions,
  resolveOptions,
} from './options.js';

const groups: Record<ConformanceGroup, Group> = {
  stores: storesGroup,
  acquire: acquireGroup,
  extend: extendGroup,
  release: releaseGroup,
  expiry: expiryGroup,
  resources: resourcesGroup,
  abort: abortGroup,
  calls: callsGroup,
  failure: failureGroup,
  inspect: inspectGroup,
  watch: watchGroup,
  fencing: fencingGroup,
  restart: restartGroup,
  line: lineGroup,
  redlock: redlockGroup,
};

/**
 * Registers the conformance suite of a {@link @redlock/core!LockNode} adapter with vitest:
 * the node's contract, tested on one node, and a `Redlock` of 3 and of 5
 * such nodes. Call it at the top level of a test file.
 *
 * ```ts
 * import { describeLockNode } from '@redlock/conformance';
 * import { createRedlock } from '@redlock/ioredis';
 *
 * // Independent servers, e.g. started by your CI.
 * const urls = ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6380', 'redis://127.0.0.1:6381'];
 *
 * describeLockNode({
 *   name: 'ioredis',
 *   // A node from createRedlock owns its client: the suite closes every node, and so the client.
 *   createNode: (store) => createRedlock(urls[store]).nodes[0]!,
 *   stores: urls.length,
 *   // Nothing listens on port 1: the node fails at once with ECONNREFUSED.
 *   createUnreachableNode: () => createRedlock('redis://127.0.0.1:1').nodes[0]!,
 * });
 * ```
 *
 * Every test uses fresh random keys under `keyPrefix`, so stores need no
 * flushing, and closes the nodes it created. Groups can be switched off
 * with `skip`; a switched-off group, and a test of an optional method the
 * node lacks, is reported as skipped.
 *
 * @see docs/writing-an-adapter.md for every option and how to read failures.
 */
export function describeLockNode(options: DescribeLockNodeOptions): void {
  const resolved = resolveOptions(options);
  describe(`LockNode conformance: ${resolved.name}`, { timeout: resolved.testTimeoutMs }, () => {
    const harness = createHarness(resolved);
    for (const name of conformanceGroups) {
      const group = groups[name];
      const skipped = resolved.skip[name] === true;
      const needsUnreachable = name === 'failure' && resolved.createUnreachableNode === undefined;
      if (skipped || needsUnreachable) {
        const why = skipped ? `skip.${name}` : 'no createUnreachableNode';
        describe.skip(`${group.title} (${why})`, () => group.define(harness));
      } else {
        describe(group.title, () => group.define(harness));
      }
    }
  });
}
