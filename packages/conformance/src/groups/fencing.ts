import { type LockNode, Redlock } from '@redlock/core';
import { expect, it, type TestContext } from 'vitest';
import type { Harness } from '../harness.js';
import type { Group } from './group.js';

type FencedNode = LockNode & Required<Pick<LockNode, 'acquireFenced' | 'raiseFence'>>;

/**
 * A fence far above any clock floor (µs since the epoch, about 1.8e15 today), so a
 * counter raised to it is told from the floor; below 2^53, which a Redis Lua
 * script holds exactly.
 */
const FAR_AHEAD = 2n ** 52n;

/** A node on `store` with both fencing methods, or a skipped test. */
async function fencedNode(h: Harness, context: TestContext, store = 0): Promise<FencedNode> {
  const node = await h.node(store);
  if (typeof node.acquireFenced !== 'function' || typeof node.raiseFence !== 'function') {
    await h.closeNodes();
    context.skip('the node has no fencing capability (acquireFenced, raiseFence)');
  }
  return node as FencedNode;
}

/** The current counter of `key`: raising it to 0 changes nothing and replies it. */
function counterOf(node: FencedNode, key: string): Promise<bigint> {
  return node.raiseFence([key], 0n);
}

async function grant(node: FencedNode, keys: string[], value: string): Promise<bigint> {
  const reply = await node.acquireFenced(keys, value, 10_000);
  expect(reply.acquired, 'the keys are free: the fenced acquire must grant').toBe(true);
  if (!reply.acquired) throw new Error('not granted');
  expect(typeof reply.fence, 'fence must be a bigint').toBe('bigint');
  return reply.fence;
}

/**
 * The fencing capability: a per-key counter kept with the key, raised on
 * every grant (at least to the server's clock in µs) and by write-backs,
 * never lowered; and a Redlock whose tokens grow across clients.
 */
export const fencingGroup: Group = {
  name: 'fencing',
  title: 'fencing counters (optional)',
  define(h) {
    it('raise the counter on every grant, to at least the server clock in µs', async (context) => {
      const node = await fencedNode(h, context);
      const key = h.key();
      const mine = h.value();
      const first = await grant(node, [key], mine);
      const tenMinutesAgoUs = BigInt(Date.now() - 600_000) * 1000n;
      expect(first, 'the fence must be at least the server clock in µs').toBeGreaterThan(
        tenMinutesAgoUs,
      );
      await node.release([key], mine);
      const second = await grant(node, [key], h.value('next'));
      expect(second, 'every grant must raise the counter').toBeGreaterThan(first);
      expect(await counterOf(node, key)).toBe(second);
    });

    it('change no counter when the acquire is refused', async (context) => {
      const node = await fencedNode(h, context);
      const key = h.key();
      const fence = await grant(node, [key], h.value('holder'));
      const refused = await node.acquireFenced([key], h.value(), 10_000);
      expect(refused.acquired).toBe(false);
      expect(await counterOf(node, key), 'a refusal must not raise the counter').toBe(fence);
    });

    it('are kept with the lock: another client of the same store reads them', async (context) => {
      const node = await fencedNode(h, context);
      const key = h.key();
      const mine = h.value();
      await grant(node, [key], mine);
      await node.raiseFence([key], FAR_AHEAD);
      await node.release([key], mine);
      const otherClient = await fencedNode(h, context, 0);
      const next = await grant(otherClient, [key], h.value('other'));
      expect(
        next,
        'a counter kept by the adapter instead of the store lets another client go backwards',
      ).toBeGreaterThan(FAR_AHEAD);
    });

    it('are never lowered by a write-back', async (context) => {
      const node = await fencedNode(h, context);
      const key = h.key();
      expect(await node.raiseFence([key], FAR_AHEAD)).toBe(FAR_AHEAD);
      const after = await node.raiseFence([key], FAR_AHEAD - 5n);
      expect(after, 'raiseFence must keep the larger counter').toBe(FAR_AHEAD);
      expect(await grant(node, [key], h.value())).toBe(FAR_AHEAD + 1n);
    });

    it('reply the largest counter of a multi-key grant', async (context) => {
      const node = await fencedNode(h, context);
      const [a, b] = h.keys(2) as [string, string];
      await node.raiseFence([a], FAR_AHEAD);
      const fence = await grant(node, [a, b], h.value());
      expect(fence).toBe(FAR_AHEAD + 1n);
      expect(await counterOf(node, b)).toBeLessThanOrEqual(fence);
    });

    it('give a Redlock of 3 growing tokens across clients', async (context) => {
      if (h.options.stores < 3) context.skip('needs 3 stores');
      const nodes = await Promise.all([0, 1, 2].map((store) => fencedNode(h, context, store)));
      const others = await Promise.all([0, 1, 2].map((store) => fencedNode(h, context, store)));
      const options = { ...h.options.redlockOptions, fencing: true, restartGuardMs: 0 };
      const clients = [new Redlock(nodes, options), new Redlock(others, options)];
      const resource = h.key();
      let last = -1n;
      for (let round = 0; round < 4; round += 1) {
        const lock = await clients[round % 2]!.acquire(resource, 10_000);
        expect(lock.fencingToken!, 'tokens must grow').toBeGreaterThan(last);
        last = lock.fencingToken!;
        await lock.release();
      }
    });
  },
};
