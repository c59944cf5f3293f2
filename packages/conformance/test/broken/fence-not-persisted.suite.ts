import { describeLockNode } from '@redlock/conformance';
import { FenceNotPersistedNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'fence not persisted with the lock',
  createNode: nodesOn(FenceNotPersistedNode),
  createUnreachableNode: unreachableMemoryNode,
});
