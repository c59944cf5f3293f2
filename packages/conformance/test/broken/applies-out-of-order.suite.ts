import { describeLockNode } from '@redlock/conformance';
import { AppliesOutOfOrderNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'applies out of order',
  createNode: nodesOn(AppliesOutOfOrderNode),
  createUnreachableNode: unreachableMemoryNode,
});
