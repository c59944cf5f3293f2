import { describe, expect, it } from 'vitest';
import { LockAcquireError } from '../src/index.js';
import { createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { hang, latency } from './support/scripted-node.js';

describe('messages state the numbers that were applied', () => {
  it('names the per-node timeout actually used when the TTL capped it', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 2000, retryCount: 0 },
    });
    nodes[1]!.script('acquire', hang());
    nodes[2]!.script('acquire', hang());
    const error = await runtime.runUntilSettled(redlock.acquire('r', 100)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).toContain('did not answer within 100 ms');
    expect(error.message).not.toContain('2000 ms');
  });

  it('compares the nodes that agreed with the configured quorum, not with half the nodes', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { quorum: 4, nodeTimeoutMs: 2000, retryCount: 0 },
    });
    holdElsewhere(stores.slice(3, 4), 'r', 60_000);
    nodes[4]!.script('acquire', hang());
    // Three nodes agree, slowly, the fifth never answers: that is not a quorum of 4.
    for (const node of nodes.slice(0, 3)) {
      node.script(
        'acquire',
        latency(runtime, () => 99),
      );
    }
    const error = await runtime.runUntilSettled(redlock.acquire('r', 100)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).toContain('held by another owner on 1/5 nodes');
    expect(error.message).not.toContain('agreed but the round took');
  });
});
