import { describe, expect, it } from 'vitest';
import type { Lock } from '../src/index.js';
import { Redlock } from '../src/index.js';
import { LINE_LINGER_MS, MAX_LINGERING_LINES } from '../src/wait-line.js';
import { createCluster, createScriptedCluster, totalCalls } from './support/cluster.js';
import { defer, hang, pass } from './support/scripted-node.js';
import { track } from './support/track.js';
import { flushMicrotasks, type VirtualRuntime } from './support/virtual-runtime.js';
import { expectWokenBy } from './support/woken.js';

const longWait = { retryCount: -1, retryDelay: 10_000, retryJitter: 0 };

/**
 * `other` holds `resource` while `redlock` waits for it; the release must
 * wake the waiter at once (its retry delay is 10 s), which then releases too.
 */
async function takeTurnAfter(
  runtime: VirtualRuntime,
  other: Redlock,
  redlock: Redlock,
  resource: string,
): Promise<void> {
  const holder = await runtime.runUntilSettled(other.acquire(resource, 60_000));
  const waiter = track(redlock.acquire(resource, 1000, longWait));
  await runtime.advance(10);
  await expectWokenBy(runtime, waiter, () => holder.release());
  await (waiter.value as Lock).release();
}

/** Once emptied lines stopped lingering, no node has a watcher left. */
async function expectNoWatcherAfterLinger(
  runtime: VirtualRuntime,
  nodes: readonly { readonly watcherCount: number }[],
): Promise<void> {
  await runtime.advance(LINE_LINGER_MS);
  await flushMicrotasks();
  expect(nodes.map((node) => node.watcherCount)).toEqual(nodes.map(() => 0));
}

describe('wake-ups', () => {
  it('wakes a waiter when a lock of the same Redlock is released, long before its retry delay', async () => {
    // No watch: only the local hand-over can wake the waiter.
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3, watchable: false });
    const holder = await runtime.runUntilSettled(redlock.acquire('r', 60_000));
    const waiter = track(redlock.acquire('r', 1000, longWait));
    await runtime.advance(100);
    await expectWokenBy(runtime, waiter, () => holder.release());
    const lock = waiter.value as Lock;
    expect(nodes.map((node) => node.valueOf('r'))).toEqual([lock.value, lock.value, lock.value]);
  });

  it('wakes a waiter when another Redlock releases, seen through watch on a quorum of nodes', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const otherProcess = newRedlock();
    const holder = await runtime.runUntilSettled(otherProcess.acquire('r', 60_000));
    const waiter = track(redlock.acquire('r', 1000, longWait));
    await runtime.advance(100);
    expect(totalCalls(nodes, 'watch')).toBe(3);
    await expectWokenBy(runtime, waiter, () => holder.release());
    // The waiter stops listening a while after it had the lock.
    await expectNoWatcherAfterLinger(runtime, nodes);
  });

  it('retries at once when the release came while its own attempt was still running', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
    const otherProcess = new Redlock(nodes, { runtime });
    const holder = await runtime.runUntilSettled(otherProcess.acquire('r', 60_000));
    const waiter = track(redlock.acquire('r', 1000, longWait));
    await runtime.advance(100);

    // The waiter's next attempt (at its 10 s timer) is answered "held" late...
    for (const node of nodes) node.script('acquire', defer());
    await runtime.advanceTo(runtime.nextTimerAt!);
    const attemptStartedAt = runtime.now();
    expect(nodes[0]!.deferred).toHaveLength(1);
    // ...and the holder releases while that attempt is still out.
    for (const node of nodes) node.script('acquire', pass());
    await holder.release();
    for (const node of nodes) node.deferred[0]!.answer();
    await flushMicrotasks();

    expect(waiter.settled).toBe(true);
    expect(runtime.now()).toBe(attemptStartedAt);
    expect((waiter.value as Lock).attempts.at(-1)!.outcomes.map((o) => o.status)).toEqual([
      'held',
      'held',
      'pending',
    ]);
  });

  it('retries at once when a lock of the same Redlock was released during its first attempt', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3, watchable: false });
    const holder = await runtime.runUntilSettled(redlock.acquire('r', 60_000));
    // The newcomer's first attempt is answered "held" late...
    for (const node of nodes) node.script('acquire', defer());
    const waiter = track(redlock.acquire('r', 1000, longWait));
    await flushMicrotasks();
    const attemptStartedAt = runtime.now();
    expect(nodes[0]!.deferred).toHaveLength(1);
    // ...and the holder releases before it has a place in the line.
    for (const node of nodes) node.script('acquire', pass());
    await holder.release();
    for (const node of nodes) node.deferred[0]!.answer();
    await flushMicrotasks();

    expect(waiter.settled).toBe(true);
    expect(runtime.now()).toBe(attemptStartedAt);
  });

  it('never waits longer than waitTimeoutMs, even while the subscription is still being set up', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 500 },
    });
    const holder = await runtime.runUntilSettled(
      new Redlock(nodes, { runtime }).acquire('r', 60_000),
    );
    // Subscribing never answers: the line gives up on it after nodeTimeoutMs.
    for (const node of nodes) node.script('watch', hang());
    const startedAt = runtime.now();
    const error = await runtime
      .runUntilSettled(
        redlock.acquire('r', 1000, {
          retryCount: -1,
          retryDelay: 10_000,
          retryJitter: 0,
          waitTimeoutMs: 50,
        }),
      )
      .catch((e) => e);
    expect(error.code).toBe('ACQUIRE_FAILED');
    expect(runtime.now() - startedAt).toBe(50);
    await holder.release();
  });

  it('does not take a release seen on fewer than a quorum of nodes as a wake-up', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({ nodeCount: 3 });
    // The waiter can listen only on node-1: one notification is not a quorum.
    nodes[1]!.script('watch', hang());
    nodes[2]!.script('watch', hang());
    for (const store of stores) store.hold('r', 'another-owner', 60_000);
    const waiter = track(redlock.acquire('r', 1000, longWait));
    await runtime.advance(500);

    for (const store of stores) await store.release(['r'], 'another-owner');
    await runtime.advance(100);
    expect(waiter.settled).toBe(false);

    // Its own timer still gets it there.
    await runtime.advance(10_000);
    expect(waiter.settled).toBe(true);
    expect(waiter.value).toBeDefined();
  });

  it('wakes only the head of the line: one release, one extra attempt (holder in another process)', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const holder = await runtime.runUntilSettled(newRedlock().acquire('r', 60_000));
    const waiters = [1, 2, 3].map(() => track(redlock.acquire('r', 1000, longWait)));
    await runtime.advance(100);
    const attemptsBefore = totalCalls(nodes, 'acquire');

    await holder.release();
    await flushMicrotasks();

    expect(totalCalls(nodes, 'acquire') - attemptsBefore).toBe(3); // one attempt on 3 nodes
    expect(waiters.map((waiter) => waiter.settled)).toEqual([true, false, false]);
  });

  it('wakes only the head of the line: one release, one extra attempt (holder in the same Redlock)', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const holder = await runtime.runUntilSettled(redlock.acquire('r', 60_000));
    const waiters = [1, 2, 3].map(() => track(redlock.acquire('r', 1000, longWait)));
    await runtime.advance(100);
    const attemptsBefore = totalCalls(nodes, 'acquire');

    // Seen twice: directly, and through watch on every node. Still one wake-up.
    await holder.release();
    await flushMicrotasks();

    expect(totalCalls(nodes, 'acquire') - attemptsBefore).toBe(3);
    expect(waiters.map((waiter) => waiter.settled)).toEqual([true, false, false]);
  });

  it('gives turns in arrival order', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const holder = await runtime.runUntilSettled(newRedlock().acquire('r', 60_000));
    const order: number[] = [];
    const waiters: Promise<void>[] = [];
    for (const id of [1, 2, 3, 4]) {
      waiters.push(
        redlock.acquire('r', 1000, longWait).then(async (lock) => {
          order.push(id);
          // Hold it a little (on virtual time), then hand it on.
          await new Promise<void>((resolve) => runtime.setTimer(resolve, 5));
          await lock.release();
        }),
      );
      await runtime.advance(10); // distinct arrival times
    }

    await holder.release();
    await runtime.runUntilSettled(Promise.all(waiters));
    expect(order).toEqual([1, 2, 3, 4]);
    expect(runtime.now() - 10_000).toBeLessThan(10_000); // nobody waited for a timer
    await expectNoWatcherAfterLinger(runtime, nodes);
  });

  it('keeps a single resource named like a JSON list apart from that list of resources', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const otherProcess = newRedlock();
    const lookalike = '["a","b"]';
    const holdsList = await runtime.runUntilSettled(otherProcess.acquire(['a', 'b'], 60_000));
    const holdsLookalike = await runtime.runUntilSettled(otherProcess.acquire(lookalike, 60_000));
    const waitsLookalike = track(redlock.acquire(lookalike, 1000, longWait));
    await runtime.advance(10);
    const waitsList = track(redlock.acquire(['a', 'b'], 1000, longWait));
    await runtime.advance(10);

    await holdsList.release();
    await flushMicrotasks();
    expect(waitsList.settled).toBe(true);
    expect(waitsLookalike.settled).toBe(false);

    await holdsLookalike.release();
    await flushMicrotasks();
    expect(waitsLookalike.settled).toBe(true);
    expect(nodes[0]!.valueOf(lookalike)).toBe((waitsLookalike.value as Lock).value);
  });

  it('queues a newcomer behind waiting tasks instead of letting it race the woken one', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3, watchable: false });
    const holder = await runtime.runUntilSettled(redlock.acquire('r', 60_000));
    const first = track(redlock.acquire('r', 60_000, longWait));
    const second = track(redlock.acquire('r', 60_000, longWait));
    await runtime.advance(10);

    const callsBefore = totalCalls(nodes, 'acquire');
    await holder.release();
    const newcomer = track(redlock.acquire('r', 60_000, longWait));
    await flushMicrotasks();

    expect(first.settled).toBe(true);
    // One attempt (the woken head's, on 3 nodes): the newcomer queued without trying.
    expect(totalCalls(nodes, 'acquire') - callsBefore).toBe(3);
    expect(second.settled).toBe(false);
    expect(newcomer.settled).toBe(false);

    await (first.value as Lock).release();
    await flushMicrotasks();
    expect(second.settled).toBe(true);
    expect(newcomer.settled).toBe(false);
    await (second.value as Lock).release();
    await flushMicrotasks();
    expect(newcomer.settled).toBe(true);
    await (newcomer.value as Lock).release();
  });

  it('hands the turn over as soon as the release is sent, before the nodes answer', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3, watchable: false });
    const holder = await runtime.runUntilSettled(redlock.acquire('r', 60_000));
    const waiter = track(redlock.acquire('r', 60_000, longWait));
    await runtime.advance(10);
    // The release is applied on every node but its replies are held back.
    for (const node of nodes) node.script('release', defer());
    const releasing = track(holder.release());
    await flushMicrotasks();
    expect(releasing.settled).toBe(false);
    expect(waiter.settled).toBe(true);
    for (const node of nodes) node.deferred[0]!.answer();
    await flushMicrotasks();
    expect(releasing.settled).toBe(true);
  });
  it('keeps listening a while after its last waiter, so the next wait needs no new subscription', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const otherProcess = newRedlock();
    for (let turn = 0; turn < 3; turn++) {
      await takeTurnAfter(runtime, otherProcess, redlock, 'r');
      await runtime.advance(LINE_LINGER_MS / 2);
    }
    // One subscription per node for all three waits.
    expect(totalCalls(nodes, 'watch')).toBe(3);
    await expectNoWatcherAfterLinger(runtime, nodes);
  });
  it('keeps at most MAX_LINGERING_LINES emptied lines subscribed, however many resources it waited for', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const otherProcess = newRedlock();
    const resources = Array.from({ length: MAX_LINGERING_LINES + 6 }, (_, index) => `r${index}`);
    for (const resource of resources) await takeTurnAfter(runtime, otherProcess, redlock, resource);
    expect(nodes.map((node) => node.watcherCount)).toEqual(nodes.map(() => MAX_LINGERING_LINES));
    await expectNoWatcherAfterLinger(runtime, nodes);
  });
});
