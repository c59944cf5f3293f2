import { describe, expect, it } from 'vitest';
import { type Lock, LockAcquireError } from '../src/index.js';
import { createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { defer, hang } from './support/scripted-node.js';
import { track } from './support/track.js';
import { flushMicrotasks } from './support/virtual-runtime.js';

/** Settle-tracking without advancing virtual time. */

describe('early decision', () => {
  it('fails the attempt at once when a majority is held, without waiting for a node that never answers', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 0, nodeTimeoutMs: 100 },
    });
    holdElsewhere(stores.slice(0, 2), 'r', 60_000);
    nodes[2]!.script('all', hang());
    const startedAt = runtime.now();

    const acquiring = track(redlock.acquire('r', 1000));
    await flushMicrotasks();

    expect(runtime.now()).toBe(startedAt); // no timer fired: not even the 100 ms node timeout
    expect(acquiring.settled).toBe(true);
    const error = acquiring.error as LockAcquireError;
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.attempts[0]!.outcomes.map((o) => o.status)).toEqual(['held', 'held', 'pending']);
    expect(error.attempts[0]!.elapsedMs).toBe(0);
  });

  it('resolves as soon as a quorum said yes, without waiting for the slowest node', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { nodeTimeoutMs: 100 },
    });
    nodes[3]!.script('acquire', hang());
    nodes[4]!.script('acquire', defer());
    const startedAt = runtime.now();

    const acquiring = track(redlock.acquire('r', 1000));
    await flushMicrotasks();

    expect(runtime.now()).toBe(startedAt);
    expect(acquiring.settled).toBe(true);
    const lock = acquiring.value as Lock;
    expect(lock.expiration).toBe(runtime.epochNow() + 1000 - 12);
    expect(stores.slice(0, 3).every((store) => store.valueOf('r') === lock.value)).toBe(true);

    // The straggler is left to finish (aborting it would only cost time on
    // the hot path); its late "yes" changes nothing and breaks nothing.
    expect(nodes[4]!.deferred[0]!.signal?.aborted).toBe(false);
    nodes[4]!.deferred[0]!.answer();
    await flushMicrotasks();
    expect(lock.state).toBe('held');
  });

  it('fails as soon as failures make the quorum impossible, before slower nodes answer', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { retryCount: 0, nodeTimeoutMs: 100 },
    });
    for (const node of nodes.slice(0, 3)) node.script('acquire', defer());
    nodes[3]!.script('acquire', hang());
    nodes[4]!.script('acquire', hang());
    const acquiring = track(redlock.acquire('r', 1000));

    await runtime.advance(5);
    nodes[0]!.deferred[0]!.rejectWith(new Error('ECONNRESET'));
    await flushMicrotasks();
    expect(acquiring.settled).toBe(false); // 1 failure: 3 yes of 4 still possible

    await runtime.advance(5);
    nodes[1]!.deferred[0]!.rejectWith(new Error('ECONNRESET'));
    nodes[2]!.deferred[0]!.rejectWith(new Error('ECONNRESET'));
    await flushMicrotasks();
    expect(acquiring.settled).toBe(true);
    expect(runtime.now()).toBe(10_010);
    expect((acquiring.error as LockAcquireError).attempts[0]!.elapsedMs).toBe(10);
  });
});
