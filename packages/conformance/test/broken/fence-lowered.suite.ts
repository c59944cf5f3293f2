import { describeLockNode } from '@redlock/conformance';
import { FenceLoweringNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'write-back lowers the fence',
  createNode: nodesOn(FenceLoweringNode),
  createUnreachableNode: unreachableMemoryNode,
});
