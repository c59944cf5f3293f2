import { describeLockNode } from '@redlock/conformance';
import { MemoryStore } from '@redlock/memory';
import { StaleServerRunNode, unreachableMemoryNode } from '../broken-nodes.js';

const stores = Array.from({ length: 5 }, () => new MemoryStore());
// One node object per store, as a client that keeps its first INFO would.
const nodes = stores.map((store) => new StaleServerRunNode({ store }));

describeLockNode({
  name: 'misses restarts',
  createNode: (store) => nodes[store]!,
  createUnreachableNode: unreachableMemoryNode,
  restartStore: (store) => stores[store]!.restart(),
});
