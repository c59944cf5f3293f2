import { expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { expectFree, expectHeld, isFree } from '../probes.js';
import { pollUntil, sleep } from '../wait.js';
import type { Group } from './group.js';

/**
 * Expiry takes real waiting. The TTL is short (50 ms, or two granules of a
 * coarser backend) and the margin explicit: a key must be gone within
 * `ttl + 2 granules + 1 s`, which absorbs a loaded CI machine and a
 * backend's lazy expiry without letting "never expires" pass.
 */
function timing(h: Harness) {
  const granularity = h.options.ttlGranularityMs;
  const ttlMs = Math.max(50, 2 * granularity);
  const marginMs = 2 * granularity + 1_000;
  // Long enough for acquire + extend over a slow network before it lapses.
  const extendedTtlMs = Math.max(300, 2 * granularity);
  return {
    ttlMs,
    marginMs,
    extendedTtlMs,
    timeout: h.options.testTimeoutMs + 3 * (ttlMs + marginMs),
  };
}

/** Polls until `key` is free, failing after the TTL plus the margin. */
function untilExpired(h: Harness, node: Parameters<typeof isFree>[0], key: string) {
  const { ttlMs, marginMs } = timing(h);
  return pollUntil(() => isFree(node, key), {
    timeoutMs: ttlMs + marginMs,
    failure: `"${key}" acquired with a TTL of ${ttlMs} ms was still held ${ttlMs + marginMs} ms later`,
  });
}

export const expiryGroup: Group = {
  name: 'expiry',
  title: 'TTL expiry',
  define(h) {
    it('keeps a key until its TTL has passed, then frees it', {
      timeout: timing(h).timeout,
    }, async () => {
      const node = await h.node();
      const key = h.key();
      const { ttlMs } = timing(h);
      const started = performance.now();
      expect(await node.acquire([key], h.value(), ttlMs)).toEqual({ acquired: true });
      const heldCheckedAt = performance.now() - started;
      const held = !(await isFree(node, key));
      // Only meaningful if the check ran well inside the TTL.
      if (heldCheckedAt < ttlMs / 2)
        expect(held, 'the key must be held right after acquire').toBe(true);
      await untilExpired(h, node, key);
      const freedAfterMs = performance.now() - started;
      expect(freedAfterMs, 'the key must not expire before its TTL').toBeGreaterThanOrEqual(
        ttlMs - h.options.ttlGranularityMs,
      );
    });

    it('lets every key of a multi-key acquire expire', { timeout: timing(h).timeout }, async () => {
      const node = await h.node();
      const keys = h.keys(3);
      await node.acquire(keys, h.value(), timing(h).ttlMs);
      for (const key of keys) await untilExpired(h, node, key);
    });

    it('does not revive an expired key on extend', { timeout: timing(h).timeout }, async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      await node.acquire([key], mine, timing(h).ttlMs);
      await untilExpired(h, node, key);
      expect(await node.extend([key], mine, 10_000)).toBe(false);
      await expectFree(node, [key], 'extend must not revive an expired lock');
    });

    it('keeps an extended key past its first TTL', { timeout: timing(h).timeout }, async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      const { extendedTtlMs } = timing(h);
      await node.acquire([key], mine, extendedTtlMs);
      expect(await node.extend([key], mine, 60_000)).toBe(true);
      await sleep(extendedTtlMs + 2 * h.options.ttlGranularityMs + 50);
      await expectHeld(node, [key], 'the extension must outlive the first TTL');
    });
  },
};
