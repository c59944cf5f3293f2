import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LockLostError } from '../src/index.js';
import { createCluster, createScriptedCluster, totalCalls } from './support/cluster.js';
import { defer } from './support/scripted-node.js';

describe('lock.extend', () => {
  it('resets the TTL on the nodes, recomputes validity and updates expiration', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.advance(400);

    const extended = await runtime.runUntilSettled(lock.extend(2000));
    expect(extended).toBe(lock);
    // drift = 2000 * 0.01 + 2 = 22
    expect(lock.expiration).toBe(runtime.epochNow() + 2000 - 22);
    expect(nodes.map((node) => node.pttlOf('r'))).toEqual([2000, 2000, 2000]);
    expect(lock.state).toBe('held');
  });

  it('subtracts the time the extension round took', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    for (const node of nodes) node.script('extend', defer());
    const extending = lock.extend(1000);
    await runtime.advance(25);
    for (const node of nodes) node.deferred[0]!.answer();
    await runtime.runUntilSettled(extending);
    expect(lock.expiration).toBe(runtime.epochNow() + 1000 - 25 - 12);
  });

  // The event loop may be busy between the moment the round is decided and the
  // moment the lock reads its result: `expiration` must not move with that delay.
  it('sets expiration and the monotonic validity from the same instant, however late it resumes', async () => {
    for (let ticks = 0; ticks < 12; ticks++) {
      const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      for (const node of nodes) node.script('extend', defer());
      const extending = lock.extend(1000);
      await runtime.advance(25);
      const startedAt = runtime.now() - 25;
      const startedAtEpoch = runtime.epochNow() - 25;
      for (const node of nodes) node.deferred[0]!.answer();
      for (let tick = 0; tick < ticks; tick++) await Promise.resolve();
      runtime.stall(40);
      await runtime.runUntilSettled(extending);
      // validity ends at start + ttl - drift on both clocks (drift 12 ms)
      expect(lock.validUntil, `after ${ticks} ticks`).toBe(startedAt + 1000 - 12);
      expect(lock.expiration, `after ${ticks} ticks`).toBe(startedAtEpoch + 1000 - 12);
    }
  });

  it('never revives a lock whose validity has ended', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.advance(1500);

    const error = await runtime.runUntilSettled(lock.extend(1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.message).toContain('its validity ended');
    expect(lock.state).toBe('lost');
    expect(totalCalls(nodes, 'extend')).toBe(0);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('fails at the very end of validity, though the keys still live a little longer', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.advanceTo(lock.validUntil);
    expect(nodes.map((node) => node.keys())).toEqual([['r'], ['r'], ['r']]);

    const error = await runtime.runUntilSettled(lock.extend(1000)).catch((e) => e);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(lock.state).toBe('lost');
    // Our keys were released rather than left to block others until their TTL.
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('never re-creates keys the nodes lost, and marks the lock lost', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 10_000));
    for (const node of nodes) node.clear(); // e.g. restarts without persistence

    const error = await runtime.runUntilSettled(lock.extend(10_000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.message).toContain('not held by this lock on');
    expect(error.attempts[0].outcomes.map((o: { status: string }) => o.status)).toContain(
      'not-held',
    );
    expect(lock.state).toBe('lost');
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('fails without a quorum, marks the lock lost and releases what is left', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 10_000));
    nodes[1]!.setAvailable(false);
    nodes[2]!.setAvailable(false);

    const error = await runtime.runUntilSettled(lock.extend(10_000)).catch((e) => e);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.message).toContain(
      '2 nodes unreachable (node-2: node-2 is unavailable, node-3: node-3 is unavailable)',
    );
    expect(lock.state).toBe('lost');
    expect(nodes[0]!.keys()).toEqual([]);

    // Once lost, always lost: even with the nodes back.
    nodes[1]!.setAvailable(true);
    nodes[2]!.setAvailable(true);
    const again = await runtime.runUntilSettled(lock.extend(10_000)).catch((e) => e);
    expect(again.code).toBe('EXTEND_FAILED');
    expect(again.message).toContain('it was lost');
  });

  it('extends with a minority of nodes failing', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 5 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    nodes[0]!.setAvailable(false);
    nodes[1]!.clear();
    await runtime.advance(500);
    await runtime.runUntilSettled(lock.extend(1000));
    expect(lock.state).toBe('held');
    expect(nodes.slice(2).map((node) => node.pttlOf('r'))).toEqual([1000, 1000, 1000]);
  });

  it('fails when the extension round itself leaves no validity', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 10_000 },
    });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 10_000));
    for (const node of nodes) node.script('extend', defer());
    const extending = lock.extend(100).catch((e) => e);
    await runtime.advance(97); // 100 - 97 - (1 + 2) = 0
    for (const node of nodes) node.deferred[0]!.answer();
    const error = await runtime.runUntilSettled(extending);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.attempts[0].validityMs).toBe(0);
    expect(lock.state).toBe('lost');
  });

  it('throws after the lock was released, without touching a node', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.runUntilSettled(lock.release());
    const error = await runtime.runUntilSettled(lock.extend(1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.message).toContain('it was released');
    expect(totalCalls(nodes, 'extend')).toBe(0);
    expect(lock.state).toBe('released');
  });

  it('fails an extension that was in flight when the lock was released', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    for (const node of nodes) node.script('extend', defer());
    const extending = lock.extend(1000).catch((e) => e);
    await runtime.runUntilSettled(lock.release());
    for (const node of nodes) node.deferred[0]!.answer();
    const error = await runtime.runUntilSettled(extending);
    expect(error.code).toBe('EXTEND_FAILED');
    expect(error.message).toContain('released while extending');
    expect(lock.state).toBe('released');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '100', 2 ** 31])(
    'rejects ttl %s with InvalidArgumentError before touching a node',
    async (ttlMs) => {
      const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      const error = await runtime.runUntilSettled(lock.extend(ttlMs as number)).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(totalCalls(nodes, 'extend')).toBe(0);
      expect(lock.state).toBe('held');
    },
  );

  it('does not report success for an extension that finished after a concurrent one lost the lock', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    for (const node of nodes) node.script('extend', defer());
    const first = lock.extend(1000).catch((e) => e);
    const second = lock.extend(1000).catch((e) => e);
    // The first round is refused by a majority, the second accepted.
    nodes[0]!.deferred[0]!.resolveWith(false);
    nodes[1]!.deferred[0]!.resolveWith(false);
    expect((await runtime.runUntilSettled(first)).code).toBe('EXTEND_FAILED');
    expect(lock.state).toBe('lost');
    for (const node of nodes) node.deferred[1]!.answer();

    const outcome = await runtime.runUntilSettled(second);
    expect(outcome).toBeInstanceOf(LockLostError);
    expect(lock.state).toBe('lost');
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);
  });
});
