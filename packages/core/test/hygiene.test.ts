import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LINE_LINGER_MS } from '../src/wait-line.js';
import { createCluster, createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { defer, hang, rejectWith, replyWith, throwSync } from './support/scripted-node.js';
import { flushMicrotasks } from './support/virtual-runtime.js';

// Registered for the whole file, so a rejection nobody handled in any test here is caught.
const unhandled: unknown[] = [];
const onUnhandledRejection = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandledRejection);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandledRejection);
});

/** Node reports unhandled rejections after the microtask queue drains; give it a few turns. */
async function settleProcess(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('hygiene', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('causes no unhandled rejection across a run with failing, hanging and late nodes', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { nodeTimeoutMs: 50, retryDelay: 20, retryJitter: 10 },
    });
    nodes[0]!.script('all', rejectWith(new Error('ECONNREFUSED')));
    nodes[1]!.script('all', throwSync(new Error('adapter bug')));
    nodes[1]!.script('watch', rejectWith(new Error('no pub/sub')));
    nodes[2]!.script('acquire', replyWith({ acquired: 'maybe' }));
    nodes[3]!.script('all', hang());
    nodes[4]!.script('acquire', defer());
    nodes[4]!.script('extend', defer());
    nodes[4]!.script('release', defer());

    // A failing acquisition with retries, late replies rejecting after each round.
    const failing = redlock.acquire('r', 1000, { retryCount: 3 }).catch((e) => e);
    const error = await runtime.runUntilSettled(failing);
    expect(error.code).toBe('ACQUIRE_FAILED');
    for (const call of nodes[4]!.deferred) call.rejectWith(new Error('late failure'));

    // tryAcquire and an aborted wait on the same broken cluster.
    await runtime.runUntilSettled(redlock.tryAcquire('r', 1000).catch((e) => e));
    const controller = new AbortController();
    const aborted = redlock.acquire('r', 1000, { signal: controller.signal }).catch((e) => e);
    await runtime.advance(30);
    controller.abort(new Error('stop'));
    expect((await runtime.runUntilSettled(aborted)).code).toBe('ABORTED');

    // A using() that loses its lock, then a release and an extend on the lost lock.
    for (const node of nodes.slice(0, 3)) node.script('all', replyWith(undefined));
    nodes[0]!.script('acquire', replyWith({ acquired: true }));
    nodes[1]!.script('acquire', replyWith({ acquired: true }));
    nodes[2]!.script('acquire', replyWith({ acquired: true }));
    const using = redlock.using('u', 500, async (signal, lock) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await lock.extend(500).catch((e) => e);
      return lock.release();
    });
    await runtime.runUntilSettled(using);
    for (const call of nodes[4]!.deferred) call.rejectWith(new Error('late failure'));

    await runtime.advance(1000);
    await settleProcess();
    expect(unhandled).toEqual([]);
    expect(stores[4]!.keys()).toEqual([]);
  });

  it('writes nothing to the console on plain contention', async () => {
    const spies = (['error', 'warn', 'log', 'info', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 300);
    const waiter = redlock.acquire('r', 1000, { retryDelay: 50 });
    const other = newRedlock().tryAcquire('r', 1000);
    const lock = await runtime.runUntilSettled(waiter);
    expect(await other).toBeNull();
    await runtime.runUntilSettled(lock.release());

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('stops the lines that still listen, and their timers, on close()', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const holder = await runtime.runUntilSettled(newRedlock().acquire('r', 500));
    const waiter = redlock.acquire('r', 1000, { retryCount: -1 });
    await runtime.advance(10);
    await holder.release();
    await (await runtime.runUntilSettled(waiter)).release();
    await flushMicrotasks();
    expect(nodes.map((node) => node.watcherCount)).toEqual([1, 1, 1]);
    await redlock.close();
    await flushMicrotasks();
    expect(runtime.pendingTimers).toBe(0);
    expect(nodes.map((node) => node.watcherCount)).toEqual([0, 0, 0]);
  });

  it('leaves no timer running after acquisitions, waits and releases finish', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const holder = await runtime.runUntilSettled(newRedlock().acquire('r', 500));
    const waiters = [1, 2, 3].map(() => redlock.acquire('r', 1000, { retryCount: -1 }));
    await runtime.advance(10);
    await holder.release();
    for (const waiter of waiters) {
      const lock = await runtime.runUntilSettled(waiter);
      await lock.release();
    }
    await flushMicrotasks();
    // The line that listened stays subscribed for a while, in case the lock is wanted again...
    expect(runtime.pendingTimers).toBe(1);
    expect(nodes.map((node) => node.watcherCount)).toEqual([1, 1, 1]);
    // ... and then leaves nothing behind.
    await runtime.advance(LINE_LINGER_MS);
    await flushMicrotasks();
    expect(runtime.pendingTimers).toBe(0);
    expect(nodes.map((node) => node.watcherCount)).toEqual([0, 0, 0]);
  });
});
