import { describe, expect, it } from 'vitest';
import { LockAcquireError } from '../src/index.js';
import { createScriptedCluster } from './support/cluster.js';
import { defer } from './support/scripted-node.js';

/** A cluster whose acquire replies wait for the test, so the round takes exactly as long as it says. */
function slowCluster(driftFactor?: number) {
  const cluster = createScriptedCluster({
    nodeCount: 3,
    options: {
      retryCount: 0,
      nodeTimeoutMs: 10_000,
      ...(driftFactor === undefined ? {} : { driftFactor }),
    },
  });
  for (const node of cluster.nodes) node.script('acquire', defer());
  return cluster;
}

describe('validity: ttl - elapsed - (ttl * driftFactor + 2 ms)', () => {
  it('gives the lock the TTL minus the round time minus the drift allowance', async () => {
    const { runtime, nodes, redlock } = slowCluster();
    const acquiring = redlock.acquire('orders:42', 1000);
    await runtime.advance(30);
    for (const node of nodes) node.deferred[0]!.answer();
    const lock = await runtime.runUntilSettled(acquiring);

    // drift = 1000 * 0.01 + 2 = 12; validity = 1000 - 30 - 12 = 958
    expect(lock.expiration).toBe(runtime.epochNow() + 958);
    expect(lock.validUntil).toBe(runtime.now() + 958);
  });

  it('scales the drift allowance with driftFactor', async () => {
    const { runtime, nodes, redlock } = slowCluster(0.1);
    const acquiring = redlock.acquire('orders:42', 2000);
    await runtime.advance(50);
    for (const node of nodes) node.deferred[0]!.answer();
    const lock = await runtime.runUntilSettled(acquiring);

    // drift = 2000 * 0.1 + 2 = 202; validity = 2000 - 50 - 202 = 1748
    expect(lock.expiration).toBe(runtime.epochNow() + 1748);
  });

  it('counts time until the quorum answered, not until the slowest node', async () => {
    const { runtime, nodes, redlock } = slowCluster();
    const acquiring = redlock.acquire('orders:42', 1000);
    await runtime.advance(10);
    nodes[0]!.deferred[0]!.answer();
    await runtime.advance(10);
    nodes[1]!.deferred[0]!.answer();
    const lock = await runtime.runUntilSettled(acquiring);

    expect(runtime.now()).toBe(10_020);
    expect(lock.expiration).toBe(runtime.epochNow() + (1000 - 20 - 12));
  });

  it('acquires when the round leaves 1 ms of validity', async () => {
    const { runtime, nodes, redlock } = slowCluster();
    const acquiring = redlock.acquire('orders:42', 100);
    // drift = 100 * 0.01 + 2 = 3; validity = 100 - 96 - 3 = 1
    await runtime.advance(96);
    for (const node of nodes) node.deferred[0]!.answer();
    const lock = await runtime.runUntilSettled(acquiring);
    expect(lock.expiration).toBe(runtime.epochNow() + 1);
  });

  it('fails, even with every node saying yes, when the round leaves no validity', async () => {
    const { runtime, nodes, stores, redlock } = slowCluster();
    const acquiring = redlock.acquire('orders:42', 100).catch((error: unknown) => error);
    // validity = 100 - 97 - 3 = 0: not > 0, so not acquired
    await runtime.advance(97);
    for (const node of nodes) node.deferred[0]!.answer();
    const error = await runtime.runUntilSettled(acquiring);

    expect(error).toBeInstanceOf(LockAcquireError);
    const failure = error as LockAcquireError;
    expect(failure.code).toBe('ACQUIRE_FAILED');
    expect(failure.attempts).toHaveLength(1);
    expect(failure.attempts[0]!.elapsedMs).toBe(97);
    expect(failure.attempts[0]!.validityMs).toBe(0);
    expect(failure.attempts[0]!.outcomes.map((o) => o.status)).toEqual([
      'acquired',
      'acquired',
      'pending', // decided at quorum, before the third reply was read
    ]);
    expect(failure.message).toContain(
      '2/3 nodes agreed but the round took 97 ms, leaving no validity',
    );
    // The keys would still live for 3 ms: they were released, not left to expire.
    expect(runtime.now()).toBeLessThan(10_100);
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);
  });
});
