import { expect, it } from 'vitest';
import { settleWithin } from '../wait.js';
import type { Group } from './group.js';

/** Rejecting may take a connect timeout; resolving with a false "yes" never passes. */
function expectRejected(settled: Awaited<ReturnType<typeof settleWithin>>, claim: string) {
  if (settled.status === 'fulfilled') {
    expect.fail(
      `resolved ${JSON.stringify(settled.value)} while the backend is down: a node must reject, never ${claim}`,
    );
  }
  expect(settled.status, 'must settle (reject) while the backend is down').toBe('rejected');
}

export const failureGroup: Group = {
  name: 'failure',
  title: 'a node whose backend is down',
  define(h) {
    const limitMs = () => h.options.testTimeoutMs - 500;

    it('rejects acquire rather than claiming the lock', async () => {
      const node = await h.unreachableNode();
      const settled = await settleWithin(node.acquire([h.key()], h.value(), 10_000), limitMs());
      expectRejected(settled, 'claim a lock it could not take');
    });

    it('rejects extend rather than claiming the extension', async () => {
      const node = await h.unreachableNode();
      const settled = await settleWithin(node.extend([h.key()], h.value(), 10_000), limitMs());
      expectRejected(settled, 'answer for a store it could not reach');
    });

    it('rejects release rather than reporting a count', async () => {
      const node = await h.unreachableNode();
      const settled = await settleWithin(node.release([h.key()], h.value()), limitMs());
      expectRejected(settled, 'report keys it could not delete');
    });

    // Redlock bounds each request with a per-node timeout through the signal;
    // a node that keeps reconnecting must still let go on time.
    it('gives up promptly when the signal aborts while it waits for the backend', async () => {
      const node = await h.unreachableNode();
      const controller = new AbortController();
      const call = node.acquire([h.key()], h.value(), 10_000, controller.signal);
      setTimeout(() => controller.abort(new Error('node timeout')), 50);
      const settled = await settleWithin(call, 1_050);
      expect(settled.status, 'must reject within 1 s of the abort').toBe('rejected');
    });
  },
};
