import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LockAcquireError, Redlock } from '../src/index.js';
import { allCalls, createCluster, holdElsewhere } from './support/cluster.js';
import { flushMicrotasks } from './support/virtual-runtime.js';

describe('quorum', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('defaults to a majority, floor(N/2) + 1, for N = %i', (count) => {
    const { redlock } = createCluster({ nodeCount: count });
    expect(redlock.quorum).toBe(Math.floor(count / 2) + 1);
  });

  it.each([1, 2, 3, 4, 5, 6, 7])(
    'acquires with exactly a quorum of %i nodes up and fails with one fewer',
    async (count) => {
      const quorum = Math.floor(count / 2) + 1;
      const { runtime, nodes, redlock } = createCluster({
        nodeCount: count,
        options: { retryCount: 0 },
      });
      for (const node of nodes.slice(quorum)) node.setAvailable(false);
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(nodes.filter((node) => node.keys().includes('r'))).toHaveLength(quorum);
      await runtime.runUntilSettled(lock.release());

      nodes[quorum - 1]!.setAvailable(false);
      const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);
      expect(error).toBeInstanceOf(LockAcquireError);
      expect(nodes.map((node) => node.size)).toEqual(nodes.map(() => 0));
    },
  );

  it('fails at once, without hanging, when 2 of 4 nodes are held by another owner (quorum 3)', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 4,
      options: { retryCount: 0 },
    });
    expect(redlock.quorum).toBe(3);
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const startedAt = runtime.now();

    let outcome: unknown;
    redlock.acquire('r', 1000).then(
      (lock) => {
        outcome = lock;
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    await flushMicrotasks();

    // Decided without any timer firing: 2 "held" make 3 votes impossible.
    expect(runtime.now()).toBe(startedAt);
    expect(outcome).toBeInstanceOf(LockAcquireError);
    const statuses = (outcome as LockAcquireError).attempts[0]!.outcomes.map((o) => o.status);
    expect(statuses.filter((status) => status === 'held')).toHaveLength(2);
    // Our keys on the two free nodes were taken back.
    expect(nodes[2]!.keys()).toEqual([]);
    expect(nodes[3]!.keys()).toEqual([]);
  });

  it('keeps trying on an even split until the holder expires, then takes the lock', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 4 });
    holdElsewhere(nodes.slice(0, 2), 'r', 500);
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(runtime.now() - 10_000).toBeGreaterThanOrEqual(500);
    expect(nodes.map((node) => node.valueOf('r'))).toEqual(nodes.map(() => lock.value));
  });

  it('accepts a configured quorum up to N and then needs that many nodes', async () => {
    const { runtime, nodes, newRedlock } = createCluster({ nodeCount: 5 });
    const strict = newRedlock({ quorum: 5, retryCount: 0 });
    expect(strict.quorum).toBe(5);
    nodes[4]!.setAvailable(false);
    const error = await runtime.runUntilSettled(strict.acquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);

    nodes[4]!.setAvailable(true);
    const lock = await runtime.runUntilSettled(strict.acquire('r', 1000));
    expect(nodes.every((node) => node.valueOf('r') === lock.value)).toBe(true);
  });

  it.each([
    ['below a majority', 2],
    ['a single node of five', 1],
    ['zero', 0],
    ['negative', -3],
    ['above the node count', 6],
    ['fractional', 3.5],
    ['NaN', Number.NaN],
    ['a string', '3'],
  ])('refuses a configured quorum that is %s', (_, quorum) => {
    const { nodes, runtime } = createCluster({ nodeCount: 5 });
    expect(() => new Redlock(nodes, { quorum: quorum as number, runtime })).toThrow(
      InvalidArgumentError,
    );
    expect(allCalls(nodes)).toBe(0);
  });
});
