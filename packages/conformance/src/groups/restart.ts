import type { LockNode, ServerRun } from '@redlock/core';
import { expect, it } from 'vitest';
import { nodeWith } from './capability.js';
import type { Group } from './group.js';

function expectRun(run: ServerRun, what: string): void {
  expect(typeof run?.runId === 'string' && run.runId.length > 0, `${what}: runId`).toBe(true);
  expect(Number.isFinite(run.uptimeMs) && run.uptimeMs >= 0, `${what}: uptimeMs >= 0`).toBe(true);
}

/** Restart detection (`serverRun`), which Redlock's `restartGuardMs` relies on. */
export const restartGroup: Group = {
  name: 'restart',
  title: 'restart detection (optional)',
  define(h) {
    it('reports the same run with a growing uptime while the server runs', async (context) => {
      const node = (await nodeWith(h, context, 'serverRun')) as LockNode & {
        serverRun: NonNullable<LockNode['serverRun']>;
      };
      const first = await node.serverRun();
      expectRun(first, 'first report');
      await node.acquire([h.key()], h.value(), 10_000);
      const second = await node.serverRun();
      expectRun(second, 'second report');
      expect(second.runId, 'no restart happened').toBe(first.runId);
      // Whole seconds are allowed (Redis `uptime_in_seconds`).
      expect(second.uptimeMs).toBeGreaterThanOrEqual(first.uptimeMs - 1000);
    });

    it('reports a new run, just started, after the server restarted', async (context) => {
      const restart = h.options.restartStore;
      if (restart === undefined) context.skip('no restartStore configured');
      const node = await nodeWith(h, context, 'serverRun');
      const before = await node.serverRun!();
      await restart!(0);
      const fresh = await h.node(0);
      const after = await fresh.serverRun!();
      expectRun(after, 'after the restart');
      expect(after.runId, 'a restart must change the run id').not.toBe(before.runId);
      expect(after.uptimeMs, 'the new run started just now').toBeLessThan(60_000);
    });
  },
};
