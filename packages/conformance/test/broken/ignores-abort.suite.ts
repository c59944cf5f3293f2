import { describeLockNode } from '@redlock/conformance';
import { IgnoresAbortNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'ignores aborted signals',
  createNode: nodesOn(IgnoresAbortNode),
  createUnreachableNode: unreachableMemoryNode,
});
