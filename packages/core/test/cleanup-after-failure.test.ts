import { describe, expect, it } from 'vitest';
import { LockAcquireError } from '../src/index.js';
import { createCluster, createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { defer, hang, rejectWith } from './support/scripted-node.js';

describe('no key of ours is left after a failed acquisition', () => {
  it('releases on the nodes that said yes when a majority is held by another owner', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 5,
      options: { retryCount: 0 },
    });
    holdElsewhere(nodes.slice(0, 3), 'r', 60_000);
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);

    expect(error).toBeInstanceOf(LockAcquireError);
    expect(nodes.map((node) => node.keys())).toEqual([['r'], ['r'], ['r'], [], []]);
    expect(nodes.slice(0, 3).every((node) => node.valueOf('r') === 'another-owner')).toBe(true);
    // Nodes that answered "held" changed nothing and are left alone.
    expect(nodes.map((node) => node.calls.release)).toEqual([0, 0, 0, 1, 1]);
  });

  it('releases on nodes that timed out, whose acquire took effect, and stays clean when they answer late', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 0, nodeTimeoutMs: 100 },
    });
    nodes[1]!.script('acquire', defer());
    nodes[2]!.script('acquire', defer());
    const acquiring = redlock.acquire('r', 1000).catch((e: unknown) => e);
    // The deferred acquires already wrote their keys, as a slow network would.
    expect(stores.map((store) => store.keys())).toEqual([['r'], ['r'], ['r']]);

    const error = (await runtime.runUntilSettled(acquiring)) as LockAcquireError;
    expect(error.attempts[0]!.outcomes.map((o) => o.status)).toEqual([
      'acquired',
      'timeout',
      'timeout',
    ]);
    expect(runtime.now()).toBe(10_100);
    expect(nodes.map((node) => node.calls.release)).toEqual([1, 1, 1]);
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);

    // The late "yes" replies arrive after the round gave up on them.
    for (const node of nodes.slice(1)) node.deferred[0]!.answer();
    await runtime.advance(10);
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);
  });

  it('releases a node again when its late "acquired" arrives after the cleanup there failed', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 0, nodeTimeoutMs: 100 },
    });
    holdElsewhere(stores.slice(0, 2), 'r', 60_000);
    // Node 3 applies the acquire late; its cleanup release fails (the connection dropped it).
    let arrive = (): void => {};
    nodes[2]!.script('acquire', {
      kind: 'latency',
      latency: () =>
        new Promise<void>((resolve) => {
          arrive = resolve;
        }),
    });
    nodes[2]!.once('release', rejectWith(new Error('ECONNRESET')));
    expect(await runtime.runUntilSettled(redlock.tryAcquire('r', 1000))).toBeNull();
    expect(nodes[2]!.calls.release).toBe(1);

    arrive();
    await runtime.advance(10);
    expect(stores[2]!.keys(), "the straggler's key is released again").toEqual([]);
    expect(nodes[2]!.calls.release).toBe(2);
  });

  it('releases on a node whose reply was lost after its write landed', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 0 },
    });
    holdElsewhere([stores[0]!], 'r', 60_000);
    nodes[1]!.script('acquire', defer());
    const acquiring = redlock.acquire('r', 1000).catch((e: unknown) => e);
    nodes[1]!.deferred[0]!.rejectWith(new Error('ECONNRESET'));
    const error = (await runtime.runUntilSettled(acquiring)) as LockAcquireError;

    expect(error.attempts[0]!.outcomes.map((o) => o.status)).toEqual(['held', 'error', 'acquired']);
    expect(stores.map((store) => store.keys())).toEqual([['r'], [], []]);
  });

  it('leaves nothing after every retry of a long failed wait', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { retryCount: 5, nodeTimeoutMs: 100 },
    });
    holdElsewhere(stores.slice(0, 2), 'r', 60_000);
    nodes[2]!.script('all', hang());
    nodes[3]!.script('acquire', defer());
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);

    expect((error as LockAcquireError).attempts).toHaveLength(6);
    for (const call of nodes[3]!.deferred) call.answer();
    await runtime.advance(1);
    expect(stores.map((store) => store.keys())).toEqual([['r'], ['r'], [], [], []]);
    expect(stores.slice(0, 2).every((store) => store.valueOf('r') === 'another-owner')).toBe(true);
  });

  it('reuses one value across retries, so its own straggler key never blocks it', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryDelay: 200, retryJitter: 0 },
    });
    stores[0]!.setAvailable(false);
    holdElsewhere([stores[1]!], 'r', 150);
    // Clean-ups fail on node-3, so the key of the first attempt stays there (TTL
    // 1000 ms), and the final attempt needs node-3's "yes", since node-1 is down.
    nodes[2]!.script('release', rejectWith(new Error('ECONNRESET')));
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));

    expect(lock.attempts.length).toBeGreaterThanOrEqual(1);
    expect(lock.attempts[0]!.outcomes.map((o) => o.status)).toEqual(['error', 'held', 'pending']);
    expect(nodes[2]!.calls.release).toBe(lock.attempts.length);
    expect(runtime.now() - 10_000).toBeLessThan(1000);
    expect(stores.map((store) => store.valueOf('r'))).toEqual([undefined, lock.value, lock.value]);
  });
});
