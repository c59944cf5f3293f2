import { expect, it } from 'vitest';
import { expectFree, expectHeld, nearMisses } from '../probes.js';
import type { Group } from './group.js';

export const releaseGroup: Group = {
  name: 'release',
  title: 'release',
  define(h) {
    it('deletes the keys holding the value and resolves with how many', async () => {
      const node = await h.node();
      const [a, b, missing] = h.keys(3) as [string, string, string];
      const mine = h.value();
      await node.acquire([a, b], mine, 10_000);
      expect(await node.release([a, b, missing], mine)).toBe(2);
      await expectFree(node, [a, b], 'released keys are free');
    });

    it('leaves keys held by another value', async () => {
      const node = await h.node();
      const [own, others] = h.keys(2) as [string, string];
      const mine = h.value();
      const theirs = h.value('other');
      await node.acquire([own], mine, 10_000);
      await node.acquire([others], theirs, 10_000);
      expect(await node.release([own, others], mine)).toBe(1);
      await expectHeld(node, [others], 'release must not delete a key of another owner');
      expect(await node.release([others], theirs)).toBe(1);
    });

    it.each(nearMisses('owner-value'))(
      'refuses a value that differs only by %s',
      async (_, nearMiss) => {
        const node = await h.node();
        const key = h.key();
        await node.acquire([key], 'owner-value', 10_000);
        expect(await node.release([key], nearMiss)).toBe(0);
        await expectHeld(node, [key], 'values must be compared exactly');
        expect(await node.release([key], 'owner-value')).toBe(1);
      },
    );

    it('resolves 0 for keys that do not exist, and the second time', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      expect(await node.release([key], mine)).toBe(0);
      await node.acquire([key], mine, 10_000);
      expect(await node.release([key], mine)).toBe(1);
      expect(await node.release([key], mine)).toBe(0);
    });
  },
};
