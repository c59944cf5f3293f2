import { describeLockNode } from '@redlock/conformance';
import { KeepsAbortListenerNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'keeps abort listeners',
  createNode: nodesOn(KeepsAbortListenerNode),
  createUnreachableNode: unreachableMemoryNode,
});
