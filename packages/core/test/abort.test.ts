import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LockAcquireError, LockLostError } from '../src/index.js';
import {
  allCalls,
  createCluster,
  createScriptedCluster,
  holdElsewhere,
} from './support/cluster.js';
import { defer, hang } from './support/scripted-node.js';
import { track } from './support/track.js';
import { flushMicrotasks } from './support/virtual-runtime.js';

describe('aborting an acquisition', () => {
  it('rejects promptly with code ABORTED and the reason as cause when aborted mid-wait, leaving no keys', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const controller = new AbortController();
    const acquiring = track(
      redlock.acquire('r', 1000, { retryCount: -1, retryDelay: 5000, signal: controller.signal }),
    );
    await runtime.advance(50);
    expect(acquiring.settled).toBe(false);
    const attemptsSoFar = nodes[2]!.calls.acquire;

    const reason = new Error('shutting down');
    const abortedAt = runtime.now();
    controller.abort(reason);
    await flushMicrotasks();

    expect(runtime.now()).toBe(abortedAt);
    expect(acquiring.settled).toBe(true);
    const error = acquiring.error as LockAcquireError;
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
    expect(error.attempts).toHaveLength(attemptsSoFar);
    expect(error.message).toContain('the signal was aborted');
    expect(nodes[2]!.keys()).toEqual([]);
    expect(nodes[2]!.calls.acquire).toBe(attemptsSoFar);
  });

  it('rejects at once when aborted mid-round, without waiting for slow nodes, and cleans up', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 1000 },
    });
    nodes[1]!.script('acquire', defer());
    nodes[2]!.script('all', hang());
    const controller = new AbortController();
    const acquiring = track(redlock.acquire('r', 5000, { signal: controller.signal }));
    await runtime.advance(10);

    const reason = new Error('user cancelled');
    controller.abort(reason);
    await flushMicrotasks();

    expect(runtime.now()).toBe(10_010);
    const error = acquiring.error as LockAcquireError;
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);
    nodes[1]!.deferred[0]!.answer();
    await flushMicrotasks();
    expect(stores.map((store) => store.keys())).toEqual([[], [], []]);
  });

  it('touches no node when the signal is already aborted', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const reason = new Error('too late');
    const signal = AbortSignal.abort(reason);

    for (const call of [
      (): Promise<unknown> => redlock.acquire('r', 1000, { signal }),
      () => redlock.tryAcquire('r', 1000, { signal }),
      () => redlock.using('r', 1000, { signal }, async () => 'ran'),
    ]) {
      const error = (await runtime.runUntilSettled(call()).catch((e) => e)) as LockAcquireError;
      expect(error).toBeInstanceOf(LockAcquireError);
      expect(error.code).toBe('ABORTED');
      expect(error.cause).toBe(reason);
      expect(error.attempts).toEqual([]);
    }
    expect(allCalls(nodes)).toBe(0);
  });

  it('uses the default AbortError as cause when aborted without a reason', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    const controller = new AbortController();
    const acquiring = redlock.acquire('r', 1000, { signal: controller.signal }).catch((e) => e);
    await runtime.advance(1);
    controller.abort();
    const error = await runtime.runUntilSettled(acquiring);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(controller.signal.reason);
    expect((error.cause as Error).name).toBe('AbortError');
  });

  it('reports ABORTED even when the reason is itself a Redlock error (an outer lock was lost)', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'inner', 60_000);
    const controller = new AbortController();
    const acquiring = redlock
      .acquire('inner', 1000, { retryCount: -1, signal: controller.signal })
      .catch((e) => e);
    await runtime.advance(50);
    const reason = new LockLostError('LOCK_LOST', 'lost the lock on "outer"', ['outer'], []);
    controller.abort(reason);
    const error = await runtime.runUntilSettled(acquiring);

    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
  });

  it('does nothing to a lock already acquired when the signal aborts later', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const controller = new AbortController();
    const lock = await runtime.runUntilSettled(
      redlock.acquire('r', 1000, { signal: controller.signal }),
    );
    controller.abort();
    await runtime.advance(10);
    expect(lock.state).toBe('held');
    expect(nodes.map((node) => node.valueOf('r'))).toEqual([lock.value, lock.value, lock.value]);
  });

  it('rejects promptly when aborted while the wait line is still subscribing to slow nodes', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 1000 },
    });
    for (const node of nodes) node.script('watch', hang());
    for (const store of stores) store.hold('r', 'another-owner', 60_000);
    const controller = new AbortController();
    const acquiring = track(redlock.acquire('r', 5000, { signal: controller.signal }));
    await runtime.advance(10);
    expect(nodes[0]!.calls.watch).toBe(1);

    const reason = new Error('stop waiting');
    controller.abort(reason);
    await flushMicrotasks();
    expect(runtime.now()).toBe(10_010);
    expect(acquiring.settled).toBe(true);
    expect((acquiring.error as LockAcquireError).code).toBe('ABORTED');
    expect((acquiring.error as LockAcquireError).cause).toBe(reason);
  });

  it('leaves no listener on a long-lived signal after acquisitions, waits and using()', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const shutdown = new AbortController();
    const { signal } = shutdown;
    for (let round = 0; round < 5; round++) {
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000, { signal }));
      await runtime.runUntilSettled(lock.release());
    }
    const holder = await runtime.runUntilSettled(newRedlock().acquire('r', 300));
    const waited = await runtime.runUntilSettled(redlock.acquire('r', 1000, { signal }));
    await runtime.runUntilSettled(waited.release());
    await runtime.runUntilSettled(holder.release());
    await runtime.runUntilSettled(
      redlock.using('r', 1000, { signal }, async () => {
        await new Promise<void>((resolve) => runtime.setTimer(resolve, 2000));
      }),
    );
    expect(nodes[0]!.calls.extend).toBeGreaterThan(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
