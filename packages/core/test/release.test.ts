import { describe, expect, it } from 'vitest';
import { createCluster, createScriptedCluster } from './support/cluster.js';
import { hang, rejectWith, replyWith, throwSync } from './support/scripted-node.js';

describe('lock.release', () => {
  it('deletes the keys on every node and resolves once a quorum confirmed', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire(['a', 'b'], 1000));
    const report = await runtime.runUntilSettled(lock.release());

    // Quorum is 2: the third node was sent the release but not waited for.
    expect(report.releasedNodes).toBe(2);
    expect(report.outcomes).toEqual([
      { node: 'node-1', status: 'released', deleted: 2 },
      { node: 'node-2', status: 'released', deleted: 2 },
      { node: 'node-3', status: 'pending' },
    ]);
    expect(lock.state).toBe('released');
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('does not throw when the lock already expired', async () => {
    const { runtime, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.advance(5000);
    const report = await runtime.runUntilSettled(lock.release());
    expect(report.releasedNodes).toBe(0);
    expect(report.outcomes.map((o) => o.status)).toEqual(['not-held', 'not-held', 'not-held']);
  });

  it('never deletes a key another owner took after ours expired', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.advance(1000);
    const next = await runtime.runUntilSettled(newRedlock().acquire('r', 1000));
    await runtime.runUntilSettled(lock.release());
    expect(nodes.map((node) => node.valueOf('r'))).toEqual([next.value, next.value, next.value]);
  });

  it('does not throw when nodes fail, and says how each one failed', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { nodeTimeoutMs: 100 },
    });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 10_000));
    const refused = new Error('ECONNREFUSED');
    const broken = new Error('adapter bug');
    nodes[1]!.script('release', rejectWith(refused));
    nodes[2]!.script('release', throwSync(broken));
    nodes[3]!.script('release', hang());
    nodes[4]!.script('release', replyWith(-1));

    const report = await runtime.runUntilSettled(lock.release());
    expect(report.releasedNodes).toBe(1);
    expect(report.outcomes.map((o) => o.status)).toEqual([
      'released',
      'error',
      'error',
      'timeout',
      'error',
    ]);
    expect(report.outcomes[1]).toEqual({ node: 'node-2', status: 'error', cause: refused });
    expect(report.outcomes[2]).toEqual({ node: 'node-3', status: 'error', cause: broken });
    expect(String((report.outcomes[4] as { cause: unknown }).cause)).toContain(
      'invalid release reply: -1',
    );
    expect(stores[0]!.keys()).toEqual([]);
  });

  it('is idempotent', async () => {
    const { runtime, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    const first = await runtime.runUntilSettled(lock.release());
    const second = await runtime.runUntilSettled(lock.release());
    expect(first.releasedNodes).toBe(2);
    expect(second.releasedNodes).toBe(0);
    expect(second.outcomes.map((o) => o.status)).toEqual(['not-held', 'not-held', 'not-held']);
    expect(lock.state).toBe('released');
  });

  it('releases at the end of an `await using` block', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    {
      await using lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(nodes.map((node) => node.valueOf('r'))).toEqual([lock.value, lock.value, lock.value]);
    }
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('releases at the end of an `await using` block left by an exception', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const failure = new Error('work failed');
    const work = async () => {
      await using lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(lock.state).toBe('held');
      throw failure;
    };
    await expect(work()).rejects.toBe(failure);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('disposes an already released lock without a second round', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    {
      await using lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      await lock.release();
    }
    expect(nodes.map((node) => node.calls.release)).toEqual([1, 1, 1]);
  });
});
