// Control: the same harness with a correct node must pass, so a failure in
// the broken suites is the bug's doing and not the child run's.
import { describeLockNode } from '@redlock/conformance';
import { MemoryLockNode } from '@redlock/memory';
import { nodesOn, unreachableMemoryNode } from '../broken-nodes.js';

describeLockNode({
  name: 'healthy',
  createNode: nodesOn(MemoryLockNode),
  createUnreachableNode: unreachableMemoryNode,
});
