// The suite tests itself against the reference node, as every adapter will.
import { MemoryLockNode, MemoryStore } from '@redlock/memory';
import { describeLockNode } from '../src/index.js';
import { unreachableMemoryNode } from './broken-nodes.js';

const stores = Array.from({ length: 5 }, () => new MemoryStore());

describeLockNode({
  name: 'MemoryLockNode',
  createNode: (store) => new MemoryLockNode({ store: stores[store]! }),
  stores: 5,
  createUnreachableNode: unreachableMemoryNode,
  restartStore: (store) => stores[store]!.restart(),
});
