import { expect, it } from 'vitest';
import { expectFree, nearMisses, pttlSeenByOthers } from '../probes.js';
import type { Group } from './group.js';

export const extendGroup: Group = {
  name: 'extend',
  title: 'extend',
  define(h) {
    it('resets the TTL of keys holding the value', async () => {
      const node = await h.node();
      const keys = h.keys(2);
      const mine = h.value();
      await node.acquire(keys, mine, 5_000);
      expect(await node.extend(keys, mine, 60_000)).toBe(true);
      for (const key of keys) {
        const pttl = await pttlSeenByOthers(node, key);
        expect(pttl, 'extend must set the new TTL').toBeGreaterThan(h.maxPttl(5_000));
        expect(pttl).toBeLessThanOrEqual(h.maxPttl(60_000));
      }
    });

    it.each(nearMisses('owner-value'))(
      'refuses a value that differs only by %s',
      async (_, nearMiss) => {
        const node = await h.node();
        const key = h.key();
        await node.acquire([key], 'owner-value', 5_000);
        expect(await node.extend([key], nearMiss, 60_000)).toBe(false);
        expect(await pttlSeenByOthers(node, key)).toBeLessThanOrEqual(h.maxPttl(5_000));
        expect(await node.extend([key], 'owner-value', 5_000), 'the owner still holds it').toBe(
          true,
        );
      },
    );

    it('changes nothing unless every key holds the value', async () => {
      const node = await h.node();
      const [own, others, free] = h.keys(3) as [string, string, string];
      const mine = h.value();
      await node.acquire([own], mine, 5_000);
      await node.acquire([others], h.value('other'), 5_000);
      expect(await node.extend([own, others], mine, 60_000)).toBe(false);
      expect(await node.extend([own, free], mine, 60_000)).toBe(false);
      expect(
        await pttlSeenByOthers(node, own),
        'a refused extend must not extend any key',
      ).toBeLessThanOrEqual(h.maxPttl(5_000));
      await expectFree(node, [free], 'a refused extend must not create a key');
    });

    it('never creates a key that does not exist', async () => {
      const node = await h.node();
      const key = h.key();
      expect(await node.extend([key], h.value(), 10_000)).toBe(false);
      await expectFree(node, [key], 'extend must never create a key');
    });

    it('does not revive a released key', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      await node.acquire([key], mine, 10_000);
      await node.release([key], mine);
      expect(await node.extend([key], mine, 10_000)).toBe(false);
      await expectFree(node, [key], 'extend must not revive a released lock');
    });
  },
};
