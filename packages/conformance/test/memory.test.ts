// The suite tests itself against the reference node, as every adapter will.
import { MemoryLockNode } from '@redlock/memory';
import { describeLockNode } from '../src/index.js';
import { nodesOn, unreachableMemoryNode } from './broken-nodes.js';

describeLockNode({
  name: 'MemoryLockNode',
  createNode: nodesOn(MemoryLockNode),
  stores: 5,
  createUnreachableNode: unreachableMemoryNode,
});
