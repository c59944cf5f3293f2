import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/index.js';
import { createScriptedCluster } from './support/cluster.js';
import { rejectWith } from './support/scripted-node.js';

// A node that rejects with an InvalidArgumentError reports a programming
// error (a Redis Cluster node given keys of different slots, a closed
// Redlock): no retry can fix it, and the node is not "unreachable".
describe('a node that refuses a call as invalid', () => {
  const refusal = new InvalidArgumentError('keys "a" and "b" hash to different slots');

  it('makes acquire reject with that error after one attempt, even with a quorum elsewhere, undoing it', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 10, retryDelay: 100 },
    });
    nodes[0]!.script('acquire', rejectWith(refusal));

    const error = await runtime.runUntilSettled(
      redlock.acquire(['a', 'b'], 1000).catch((caught: unknown) => caught),
    );

    expect(error).toBe(refusal);
    expect(nodes[1]!.calls.acquire).toBe(1);
    await runtime.runUntilSettled(Promise.resolve());
    for (const store of stores) expect(store.valueOf('a')).toBeUndefined();
  });

  it('makes tryAcquire reject with that error instead of resolving null', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
    for (const node of nodes) node.script('acquire', rejectWith(refusal));

    await expect(runtime.runUntilSettled(redlock.tryAcquire('a', 1000))).rejects.toBe(refusal);
  });
});
