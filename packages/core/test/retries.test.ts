import { describe, expect, it } from 'vitest';
import { LockAcquireError, MAX_TIMER_MS } from '../src/index.js';
import { createCluster, createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { replyWith } from './support/scripted-node.js';

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}

describe('retries', () => {
  it('waits retryDelay plus up to retryJitter between attempts when the holder TTL is unknown', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 6, retryDelay: 200, retryJitter: 100 },
    });
    nodes[1]!.script('acquire', replyWith({ acquired: false, pttl: -1 }));
    nodes[2]!.script('acquire', replyWith({ acquired: false, pttl: -1 }));
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);

    expect((error as LockAcquireError).attempts).toHaveLength(7);
    const waits = gaps(stores[0]!.acquireTimes);
    expect(waits).toHaveLength(6);
    for (const waitMs of waits) {
      expect(waitMs).toBeGreaterThanOrEqual(200);
      expect(waitMs).toBeLessThanOrEqual(300);
    }
    // The jitter is really random: not every wait is the same.
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  it('retries no later than just after the holder TTL, and then gets the lock', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: 5000, retryJitter: 100 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 50);
    const startedAt = runtime.now();
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));

    // min(5000 + jitter, pttl 50 + 1 + jitter / 4)
    const waitedMs = runtime.now() - startedAt;
    expect(waitedMs).toBeGreaterThanOrEqual(51);
    expect(waitedMs).toBeLessThanOrEqual(76);
    expect(nodes.map((node) => node.valueOf('r'))).toEqual([lock.value, lock.value, lock.value]);
  });

  it('bounds the wait by the longest TTL any node reported', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: 5000, retryJitter: 0 },
    });
    nodes[0]!.hold('r', 'another-owner', 30);
    nodes[1]!.hold('r', 'another-owner', 80);
    const startedAt = runtime.now();
    await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(runtime.now() - startedAt).toBe(81);
  });

  it('waits before its single retry with retryCount 1, so a holder that expires meanwhile is outlasted', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryCount: 1, retryDelay: 1000, retryJitter: 0 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 500);
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(lock.attempts).toHaveLength(1);
    expect(gaps(nodes[2]!.acquireTimes)).toEqual([501]);
  });

  it('makes exactly one attempt with retryCount 0', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const startedAt = runtime.now();
    const error = await runtime
      .runUntilSettled(redlock.acquire('r', 1000, { retryCount: 0 }))
      .catch((e) => e);

    expect((error as LockAcquireError).attempts).toHaveLength(1);
    expect(error.message).toMatch(/; 1 attempt$/);
    expect(nodes.map((node) => node.calls.acquire)).toEqual([1, 1, 1]);
    expect(runtime.now()).toBe(startedAt);
  });

  it.each([1, 3])('makes retryCount + 1 attempts with retryCount %i', async (retryCount) => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const error = await runtime
      .runUntilSettled(redlock.acquire('r', 1000, { retryCount }))
      .catch((e) => e);
    expect((error as LockAcquireError).attempts).toHaveLength(retryCount + 1);
    expect(nodes[2]!.calls.acquire).toBe(retryCount + 1);
  });

  it.each([
    ['-1', -1],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('retries with retryCount %s until waitTimeoutMs', async (_, retryCount) => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: 200, retryJitter: 100 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const startedAt = runtime.now();
    const error = await runtime
      .runUntilSettled(redlock.acquire('r', 1000, { retryCount, waitTimeoutMs: 2000 }))
      .catch((e) => e);

    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.code).toBe('ACQUIRE_FAILED');
    expect(error.message).toContain('gave up after waitTimeoutMs 2.0 s');
    // One attempt per 200-300 ms over 2 s, and a last one at the deadline.
    expect(error.attempts.length).toBeGreaterThanOrEqual(8);
    expect(error.attempts.length).toBeLessThanOrEqual(12);
    expect(runtime.now() - startedAt).toBe(2000);
    expect(nodes[2]!.keys()).toEqual([]);
  });

  it('stops at waitTimeoutMs even when retries are left', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryCount: 1000, waitTimeoutMs: 500 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const startedAt = runtime.now();
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);
    expect(error.message).toContain('gave up after waitTimeoutMs 500 ms');
    expect(runtime.now() - startedAt).toBe(500);
  });

  it('makes one attempt with waitTimeoutMs 0', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const error = await runtime
      .runUntilSettled(redlock.acquire('r', 1000, { waitTimeoutMs: 0 }))
      .catch((e) => e);
    expect(error.attempts).toHaveLength(1);
  });

  it('lets per-call options override the instance settings', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryCount: 0 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 300);
    const lock = await runtime.runUntilSettled(
      redlock.acquire('r', 1000, { retryCount: 5, retryDelay: 100, retryJitter: 0 }),
    );
    expect(lock.attempts.length).toBeGreaterThanOrEqual(1);
    expect(nodes[0]!.valueOf('r')).toBe(lock.value);
  });

  it('reports every failed attempt on the lock it finally acquires', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: 100, retryJitter: 0 },
    });
    holdElsewhere(nodes.slice(0, 2), 'r', 250);
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(lock.attempts).toHaveLength(nodes[2]!.calls.acquire - 1);
    for (const attempt of lock.attempts) {
      expect(attempt.outcomes.map((o) => o.status)).toEqual(['held', 'held', expect.any(String)]);
    }
  });
});

describe('timers stay within what Node.js can wait', () => {
  it('caps a wait of retryDelay + retryJitter at 2^31 - 1 ms instead of letting it fire after 1 ms', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryDelay: MAX_TIMER_MS, retryJitter: MAX_TIMER_MS, retryCount: 1 },
    });
    holdElsewhere(nodes, 'r', MAX_TIMER_MS);
    let outcome: unknown = 'pending';
    redlock.acquire('r', 1000).then(
      () => {
        outcome = 'acquired';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    await runtime.advance(1);
    expect(outcome).toBe('pending');
    expect(runtime.nextTimerAt! - runtime.now()).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(runtime.nextTimerAt! - runtime.now()).toBeGreaterThan(1_000_000_000);
  });
});
