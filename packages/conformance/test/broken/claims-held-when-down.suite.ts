import { describeLockNode } from '@redlock/conformance';
import { MemoryLockNode } from '@redlock/memory';
import { ClaimsHeldWhenDownNode, nodesOn } from '../broken-nodes.js';

describeLockNode({
  name: 'claims held when down',
  createNode: nodesOn(MemoryLockNode),
  createUnreachableNode: () => new ClaimsHeldWhenDownNode(),
});
