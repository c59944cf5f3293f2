import { expect, it } from 'vitest';
import { nodeWith } from './capability.js';
import type { Group } from './group.js';

export const inspectGroup: Group = {
  name: 'inspect',
  title: 'inspect (optional)',
  define(h) {
    it('reports the holder and remaining TTL of each key, in order', async (context) => {
      const node = await nodeWith(h, context, 'inspect');
      const [held, missing, other] = h.keys(3) as [string, string, string];
      const mine = h.value();
      const theirs = h.value('other');
      await node.acquire([held], mine, 8_000);
      await node.acquire([other], theirs, 20_000);
      const [heldState, missingState, otherState] = await node.inspect([held, missing, other]);
      expect(heldState?.value).toBe(mine);
      expect(heldState?.pttl).toBeGreaterThan(0);
      expect(heldState?.pttl).toBeLessThanOrEqual(h.maxPttl(8_000));
      expect(missingState, 'a missing key is { value: null, pttl: -2 }').toEqual({
        value: null,
        pttl: -2,
      });
      expect(otherState?.value).toBe(theirs);
      expect(otherState?.pttl).toBeGreaterThan(h.maxPttl(8_000));
    });

    it('reports a released key as missing', async (context) => {
      const node = await nodeWith(h, context, 'inspect');
      const key = h.key();
      const mine = h.value();
      await node.acquire([key], mine, 10_000);
      await node.release([key], mine);
      expect(await node.inspect([key])).toEqual([{ value: null, pttl: -2 }]);
    });

    it('reads without changing anything', async (context) => {
      const node = await nodeWith(h, context, 'inspect');
      const [held, missing] = h.keys(2) as [string, string];
      const mine = h.value();
      await node.acquire([held], mine, 10_000);
      await node.inspect([held, missing]);
      expect(await node.inspect([missing])).toEqual([{ value: null, pttl: -2 }]);
      expect(await node.release([held], mine)).toBe(1);
    });
  },
};
