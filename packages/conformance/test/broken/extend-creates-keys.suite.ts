import { describeLockNode } from '@redlock/conformance';
import { ExtendCreatesKeysNode, nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'extend creates keys',
  createNode: nodesOn(ExtendCreatesKeysNode),
  createUnreachableNode: unreachableMemoryNode,
});
