import { describeLockNode } from '@redlock/conformance';
import { nodesOn, ReleaseIgnoresValueNode, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'release ignores the value',
  createNode: nodesOn(ReleaseIgnoresValueNode),
  createUnreachableNode: unreachableMemoryNode,
});
