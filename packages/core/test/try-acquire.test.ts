import { describe, expect, it } from 'vitest';
import { LockAcquireError } from '../src/index.js';
import { createCluster, holdElsewhere } from './support/cluster.js';

describe('tryAcquire', () => {
  it('resolves with the lock when the resources are free', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.tryAcquire('r', 1000));
    expect(lock).not.toBeNull();
    expect(nodes.map((node) => node.valueOf('r'))).toEqual([lock!.value, lock!.value, lock!.value]);
  });

  it('resolves null at once on contention, after one attempt, leaving no key', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryCount: 10 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const startedAt = runtime.now();
    const lock = await runtime.runUntilSettled(redlock.tryAcquire('r', 1000));

    expect(lock).toBeNull();
    expect(runtime.now()).toBe(startedAt);
    expect(nodes.map((node) => node.calls.acquire)).toEqual([1, 1, 1]);
    expect(nodes[2]!.keys()).toEqual([]);
  });

  it('throws a LockAcquireError when the nodes are down rather than held', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    nodes[0]!.setAvailable(false);
    nodes[1]!.setAvailable(false);
    const error = await runtime.runUntilSettled(redlock.tryAcquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.code).toBe('ACQUIRE_FAILED');
    expect(error.attempts).toHaveLength(1);
    expect(error.message).toContain('2 nodes unreachable');
  });

  it('throws rather than report contention when failing nodes, not holds, decided it', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 5 });
    holdElsewhere(nodes.slice(0, 1), 'r', 60_000);
    nodes[1]!.setAvailable(false);
    nodes[2]!.setAvailable(false);
    const error = await runtime.runUntilSettled(redlock.tryAcquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    // Decided once node 5's answer could no longer change it: its hold is not counted.
    expect(error.message).toContain('held by another owner on at least 1/5 nodes');
    expect(error.message).toContain('2 nodes unreachable');
    expect(error.message).toContain('1 node had not answered when the round was decided (node-5)');
  });

  it('resolves null when the holds alone put quorum out of reach, even with a node down', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 5 });
    holdElsewhere(nodes.slice(0, 3), 'r', 60_000);
    nodes[3]!.setAvailable(false);
    expect(await runtime.runUntilSettled(redlock.tryAcquire('r', 1000))).toBeNull();
  });
});

describe('tryAcquire: one attempt, no waiting', () => {
  it('does not queue behind waiters of the same Redlock', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: 5_000, retryJitter: 0, retryCount: -1 },
    });
    holdElsewhere(nodes, 'r', 60_000);
    // A waiter of this Redlock is queued for "r".
    const waiting = redlock.acquire('r', 1000).catch((e) => e);
    await runtime.advance(1);
    const startedAt = runtime.now();
    let settledAt: number | undefined;
    const trying = redlock.tryAcquire('r', 1000).then((lock) => {
      settledAt = runtime.now();
      return lock;
    });
    await runtime.advance(0);
    expect(settledAt).toBe(startedAt);
    expect(await trying).toBeNull();
    for (const node of nodes) node.clear();
    await runtime.runUntilSettled(waiting);
  });
});
