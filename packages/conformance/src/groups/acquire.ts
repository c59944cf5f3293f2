import { expect, it } from 'vitest';
import { expectFree, expectHeld, pttlSeenByOthers } from '../probes.js';
import type { Group } from './group.js';

export const acquireGroup: Group = {
  name: 'acquire',
  title: 'acquire',
  define(h) {
    it('takes free keys and refuses them to another value', async () => {
      const node = await h.node();
      const keys = h.keys(2);
      expect(await node.acquire(keys, h.value(), 10_000)).toEqual({ acquired: true });
      const reply = await node.acquire(keys, h.value('other'), 10_000);
      expect(reply.acquired).toBe(false);
    });

    // A node that sets keys one by one and stops at the first held key
    // leaves the earlier ones set: a lock nobody holds, blocking everyone.
    it.each([
      ['first', 0],
      ['in the middle', 1],
      ['last', 2],
    ])('sets nothing when one key is held by another value (held key %s)', async (_, heldIndex) => {
      const node = await h.node();
      const keys = h.keys(3);
      const held = keys[heldIndex]!;
      await node.acquire([held], h.value('holder'), 10_000);
      const reply = await node.acquire(keys, h.value(), 10_000);
      expect(reply.acquired).toBe(false);
      await expectFree(
        node,
        keys.filter((key) => key !== held),
        'a refused multi-key acquire must not set any key',
      );
    });

    it('succeeds again for keys it already holds, and refreshes their TTL', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      await node.acquire([key], mine, 5_000);
      expect(await node.acquire([key], mine, 60_000)).toEqual({ acquired: true });
      const pttl = await pttlSeenByOthers(node, key);
      expect(pttl, 're-acquiring must reset the TTL to the new value').toBeGreaterThan(
        h.maxPttl(5_000),
      );
      expect(pttl).toBeLessThanOrEqual(h.maxPttl(60_000));
    });

    it('takes free keys together with keys it already holds', async () => {
      const node = await h.node();
      const [own, free] = h.keys(2) as [string, string];
      const mine = h.value();
      await node.acquire([own], mine, 10_000);
      expect(await node.acquire([own, free], mine, 10_000)).toEqual({ acquired: true });
      await expectHeld(node, [own, free], 'both keys were acquired');
    });

    it('reports the remaining TTL of a held key: positive and at most the TTL', async () => {
      const node = await h.node();
      const key = h.key();
      await node.acquire([key], h.value('holder'), 8_000);
      const reply = await node.acquire([key], h.value(), 1_000);
      expect(reply.acquired).toBe(false);
      if (reply.acquired) return;
      expect(reply.pttl).toBeGreaterThan(0);
      expect(reply.pttl).toBeLessThanOrEqual(h.maxPttl(8_000));
    });

    it('reports the longest remaining TTL among the keys held by others', async () => {
      const node = await h.node();
      const [short, long, free] = h.keys(3) as [string, string, string];
      await node.acquire([short], h.value('short'), 5_000);
      await node.acquire([long], h.value('long'), 30_000);
      const reply = await node.acquire([short, free, long], h.value(), 1_000);
      expect(reply.acquired).toBe(false);
      if (reply.acquired) return;
      expect(reply.pttl).toBeGreaterThan(h.maxPttl(5_000));
      expect(reply.pttl).toBeLessThanOrEqual(h.maxPttl(30_000));
    });
  },
};
