// A node with only the required methods, on fewer stores than a Redlock of
// 5 needs: the optional groups and the 5-node group must show as skipped,
// and everything else must still pass.
import type { LockNode } from '@redlock/core';
import { MemoryLockNode, MemoryStore } from '@redlock/memory';
import { afterAll, expect } from 'vitest';
import { describeLockNode } from '../src/index.js';

const stores = Array.from({ length: 3 }, () => new MemoryStore());
let created = 0;
let closed = 0;

function minimalNode(store: MemoryStore): LockNode {
  const node = new MemoryLockNode({ store });
  created += 1;
  return {
    name: node.name,
    acquire: (keys, value, ttlMs, signal) => node.acquire(keys, value, ttlMs, signal),
    extend: (keys, value, ttlMs, signal) => node.extend(keys, value, ttlMs, signal),
    release: (keys, value, signal) => node.release(keys, value, signal),
    close: async () => {
      closed += 1;
    },
  };
}

describeLockNode({
  name: 'required methods only, 3 stores',
  createNode: (store) => minimalNode(stores[store]!),
  stores: stores.length,
  skip: { expiry: true },
});

afterAll(() => {
  expect(created, 'the suite created nodes').toBeGreaterThan(0);
  expect(closed, 'the suite closes every node it creates, skipped tests included').toBe(created);
});
