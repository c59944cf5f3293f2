import { expect, it } from 'vitest';
import type { Group } from './group.js';

/**
 * Checks the test setup before anything else: if every store index reached
 * the same server, the Redlock groups would test nothing.
 */
export const storesGroup: Group = {
  name: 'stores',
  title: 'createNode',
  define(h) {
    it('gives nodes on the same store index a shared view of the keys', async () => {
      const first = await h.node(0);
      const second = await h.node(0);
      const key = h.key();
      expect(await first.acquire([key], h.value(), 10_000)).toEqual({ acquired: true });
      const reply = await second.acquire([key], h.value('other'), 10_000);
      expect(
        reply.acquired,
        'a second node on store 0 must see the key set through the first',
      ).toBe(false);
    });

    it('gives nodes on different store indexes independent data', async ({ skip }) => {
      if (h.options.stores < 2) skip('only one store is configured');
      const nodes = await h.nodes(h.options.stores);
      const key = h.key();
      expect(await nodes[0]!.acquire([key], h.value(), 10_000)).toEqual({ acquired: true });
      for (const [store, node] of nodes.entries()) {
        if (store === 0) continue;
        const reply = await node.acquire([key], h.value(`store-${store}`), 10_000);
        expect(reply.acquired, `store ${store} must not see a key set on store 0`).toBe(true);
      }
    });

    it('names every node, and nodes of different stores differently', async () => {
      const nodes = await h.nodes(h.options.stores);
      for (const node of nodes) expect(node.name).toMatch(/\S/);
      expect(new Set(nodes.map((node) => node.name)).size).toBe(nodes.length);
    });
  },
};
