import { describe, expect, it } from 'vitest';
import { createScriptedCluster } from './support/cluster.js';
import { defer } from './support/scripted-node.js';

describe('a straggler of a won round', () => {
  it('is covered by the lock’s release: one release per node, not two', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({ nodeCount: 5 });
    // Two nodes answer the acquire only after the lock was won (at 3 of 5) and released.
    nodes[3]!.script('acquire', defer());
    nodes[4]!.script('acquire', defer());
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.runUntilSettled(lock.release());
    for (const node of nodes.slice(3)) node.deferred[0]!.answer();
    await runtime.advance(10);

    // The release was sent to every node after its acquire, in order: nothing is left,
    // and no node is sent a second release for the late "acquired".
    expect(stores.map((store) => store.keys())).toEqual([[], [], [], [], []]);
    expect(nodes.map((node) => node.calls.release)).toEqual([1, 1, 1, 1, 1]);
  });
});
