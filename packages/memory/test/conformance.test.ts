import { describeLockNode } from '@redlock/conformance';
import { MemoryLockNode, MemoryStore } from '../src/index.js';

// Five independent stores; nodes asking for the same index share its data,
// like several clients of one server.
const stores = Array.from({ length: 5 }, () => new MemoryStore());

describeLockNode({
  name: 'MemoryLockNode',
  createNode: (store) => new MemoryLockNode({ store: stores[store] }),
  stores: stores.length,
  createUnreachableNode: () => {
    const node = new MemoryLockNode();
    node.setAvailable(false);
    return node;
  },
});
