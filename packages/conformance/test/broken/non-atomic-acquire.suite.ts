import { describeLockNode } from '@redlock/conformance';
import { NonAtomicAcquireNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'non-atomic acquire',
  createNode: nodesOn(NonAtomicAcquireNode),
  createUnreachableNode: unreachableMemoryNode,
});
