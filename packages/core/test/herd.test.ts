import { describe, expect, it } from 'vitest';
import { HerdEstimate } from '../src/herd.js';
import { type Lock, Redlock } from '../src/index.js';
import { lineKeyOf, type WaitEnd, WaitLines } from '../src/wait-line.js';
import { createCluster, totalCalls } from './support/cluster.js';
import { TestMemoryNode } from './support/memory-node.js';
import { rejectWith, replyWith, ScriptedNode } from './support/scripted-node.js';
import { track } from './support/track.js';
import { flushMicrotasks, VirtualRuntime } from './support/virtual-runtime.js';
import { expectWokenBy } from './support/woken.js';

/** The processes of a busy service, as Redlock instances over the same nodes. */
const PROCESSES = 5;
const SECTIONS_EACH = 40;

describe('HerdEstimate', () => {
  it('starts at one, so a release elsewhere always wakes the waiter (one other process, as before)', () => {
    const herd = new HerdEstimate();
    expect(herd.size).toBe(1);
    expect(herd.wakes(1, 0.999)).toBe(true);
  });

  it('grows with lost wake-ups and shrinks with won ones, between 1 and 64', () => {
    const herd = new HerdEstimate();
    for (let index = 0; index < 3; index++) herd.lost();
    expect(herd.size).toBe(4);
    // With a herd of 4, one release passed wakes a quarter of the time; four always.
    expect(herd.wakes(1, 0.3)).toBe(false);
    expect(herd.wakes(1, 0.2)).toBe(true);
    expect(herd.wakes(4, 0.999)).toBe(true);
    herd.won();
    expect(herd.size).toBe(3);
    for (let index = 0; index < 100; index++) herd.lost();
    expect(herd.size).toBe(64);
    for (let index = 0; index < 100; index++) herd.won();
    expect(herd.size).toBe(1);
  });
});

describe('wake-ups by releases elsewhere', () => {
  /** Releases by another instance until the waiter wakes; how many it took. */
  async function releasesUntilWoken(seed: number, herdSize: number): Promise<number> {
    const runtime = new VirtualRuntime({ seed });
    const nodes = [1, 2, 3].map(
      (index) => new TestMemoryNode({ clock: runtime, name: `node-${index}` }),
    );
    const other = new Redlock(nodes, { runtime });
    const lines = new WaitLines(nodes, 2, 100, runtime);
    const line = lines.join(lineKeyOf(['r']), ['r']);
    for (let index = 1; index < herdSize; index++) line.herd!.lost();
    const woken = track<WaitEnd>(line.wait(1, 600_000, line.sequence, undefined, 0, line.heard));
    await line.ready;
    let releases = 0;
    while (!woken.settled && releases < 100) {
      const lock: Lock = await runtime.runUntilSettled(other.acquire('r', 10_000));
      await lock.release();
      await flushMicrotasks();
      releases++;
    }
    expect(woken.value).toBe('elsewhere');
    line.leave();
    return releases;
  }

  it('wakes on the first release while the herd estimate is one', async () => {
    for (let seed = 1; seed <= 10; seed++) expect(await releasesUntilWoken(seed, 1)).toBe(1);
  });

  it('with a herd of 4, lets some releases go by, but wakes by the fourth', async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 20; seed++) counts.push(await releasesUntilWoken(seed, 4));
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    // Thinned: on average well over one release per wake-up.
    expect(counts.reduce((sum, count) => sum + count, 0) / counts.length).toBeGreaterThan(1.5);
  });

  it('several processes on one hot key send fewer attempts per critical section than waiters', async () => {
    const { runtime, nodes, newRedlock } = createCluster({ nodeCount: 3, seed: 7 });
    const options = { retryCount: -1, retryDelay: 200, retryJitter: 100 };
    const processes = Array.from({ length: PROCESSES }, () => newRedlock());
    const pause = (ms: number) => new Promise<void>((resolve) => runtime.setTimer(resolve, ms));
    let holders = 0;
    let overlaps = 0;
    const loop = async (redlock: Redlock) => {
      for (let section = 0; section < SECTIONS_EACH; section++) {
        const lock = await redlock.acquire('hot', 1000, options);
        if (++holders > 1) overlaps++;
        await pause(1);
        holders--;
        await lock.release();
        await pause(1);
      }
    };
    await runtime.runUntilSettled(Promise.all(processes.map(loop)));
    const sections = PROCESSES * SECTIONS_EACH;
    const attemptsPerSection = totalCalls(nodes, 'acquire') / nodes.length / sections;
    expect(overlaps).toBe(0);
    // When every release woke a waiter in every process, each sent an attempt:
    // 4.95 attempts per section here (about one per waiter). Thinned: 2.95.
    expect(attemptsPerSection).toBeLessThan(3.5);
  });
});

describe('after a split vote', () => {
  it('retries within a few round times, not after retryDelay, when a release woke the attempt', async () => {
    const runtime = new VirtualRuntime({ seed: 3 });
    const stores = [1, 2, 3].map(
      (index) => new TestMemoryNode({ clock: runtime, name: `node-${index}` }),
    );
    const nodes = stores.map((store) => new ScriptedNode(store));
    const holder = new Redlock(nodes, { runtime });
    const waiter = new Redlock(nodes, { runtime, retryCount: -1, retryDelay: 10_000 });
    const held = await runtime.runUntilSettled(holder.acquire('r', 60_000));
    const waiting = track(waiter.acquire('r', 1000));
    await runtime.advance(100);
    expect(waiting.settled).toBe(false);
    // The waiter's next attempt, woken by the release, meets another waiter that
    // got nodes 2 and 3 first: one vote of three, nobody holds the lock.
    nodes[1]!.once('acquire', replyWith({ acquired: false, pttl: 1000 }));
    nodes[2]!.once('acquire', replyWith({ acquired: false, pttl: 1000 }));
    const releasedAt = runtime.now();
    await held.release();
    await flushMicrotasks();
    expect(stores[0]!.acquireTimes.at(-1)).toBe(releasedAt);
    // Not yet: the split backoff waits, at random, up to two slots of at least 1 ms.
    await runtime.advance(2);
    await flushMicrotasks();
    expect(waiting.settled).toBe(true);
    expect(stores[0]!.acquireTimes.at(-1)! - releasedAt).toBeLessThanOrEqual(2);
    const lock = waiting.value as Lock;
    expect(stores.map((store) => store.valueOf('r'))).toEqual([lock.value, lock.value, lock.value]);
  });
});

describe('the herd estimate and failing nodes', () => {
  it('does not grow when woken attempts fail because nodes fail, so a later waiter still wakes on the first release', async () => {
    const runtime = new VirtualRuntime({ seed: 11 });
    const stores = [1, 2, 3].map(
      (index) => new TestMemoryNode({ clock: runtime, name: `node-${index}` }),
    );
    const holder = new Redlock(stores, { runtime });
    // The waiting process reaches the same servers through nodes of its own.
    const nodes = stores.map((store) => new ScriptedNode(store));
    const waiter = new Redlock(nodes, {
      runtime,
      retryCount: -1,
      retryDelay: 600_000,
      retryJitter: 0,
    });
    const giveUp = new AbortController();
    let held = await runtime.runUntilSettled(holder.acquire('r', 60_000));
    const first = track(waiter.acquire('r', 1000, { signal: giveUp.signal }).catch(() => null));
    await runtime.advance(10);
    // Six releases elsewhere each wake the waiter, and each woken attempt meets
    // two failing nodes (not another owner); the holder takes the lock again.
    for (let round = 0; round < 6; round++) {
      nodes[1]!.once('acquire', rejectWith(new Error('ECONNRESET')));
      nodes[2]!.once('acquire', rejectWith(new Error('ECONNRESET')));
      const releasedAt = runtime.now();
      await held.release();
      await flushMicrotasks();
      expect(stores[0]!.acquireTimes.at(-1), `round ${round}: woken`).toBe(releasedAt);
      held = await runtime.runUntilSettled(holder.acquire('r', 60_000));
    }
    giveUp.abort();
    await flushMicrotasks();
    expect(first.settled).toBe(true);
    // A new acquisition of the same process: the first release elsewhere wakes it.
    const second = track(waiter.acquire('r', 1000));
    await runtime.advance(10);
    await expectWokenBy(runtime, second, () => held.release());
  });
});

describe('a waiter that sleeps through releases (waitingLine)', () => {
  it('asks again within afterSkipMs of a release it slept through, if no other release comes', async () => {
    const runtime = new VirtualRuntime();
    const nodes = [1, 2, 3].map(
      (index) => new TestMemoryNode({ clock: runtime, name: `node-${index}` }),
    );
    const lines = new WaitLines(nodes, 2, 100, runtime, true);
    const line = lines.join(lineKeyOf(['r']), ['r']);
    const startedAt = runtime.now();
    // One place ahead by its count, its refresh due in 1 s, 20 ms after a skipped release.
    const woken = track<WaitEnd>(line.wait(1, 1_000, line.sequence, undefined, 1, line.heard, 20));
    await runtime.advance(300);
    expect(woken.settled).toBe(false);
    lines.released(['r'], 'ahead-took-it');
    await runtime.advance(19);
    expect(woken.settled).toBe(false);
    await runtime.advance(1);
    expect(woken.value).toBe('timer');
    expect(runtime.now() - startedAt).toBe(320);
    line.leave();
  });

  it('never waits past its refresh, however late the release it slept through', async () => {
    const runtime = new VirtualRuntime();
    const lines = new WaitLines([], 2, 100, runtime, true);
    const line = lines.join(lineKeyOf(['r']), ['r']);
    const startedAt = runtime.now();
    const woken = track<WaitEnd>(line.wait(1, 1_000, line.sequence, undefined, 2, line.heard, 20));
    await runtime.advance(990);
    lines.released(['r'], 'first');
    await runtime.advance(10);
    expect(woken.value).toBe('timer');
    expect(runtime.now() - startedAt).toBe(1_000);
    line.leave();
  });
});
