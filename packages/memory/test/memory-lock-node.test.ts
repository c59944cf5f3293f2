import { InvalidArgumentError } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { MemoryLockNode, MemoryStore } from '../src/index.js';

/** A clock that only moves when the test says so. */
function manualClock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('MemoryLockNode', () => {
  describe('expiry on an injected clock', () => {
    it('keeps a key until its TTL has passed, then lets another value take it', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      expect(await node.acquire(['k'], 'a', 100)).toEqual({ acquired: true });

      clock.advance(99);
      expect(await node.acquire(['k'], 'b', 100)).toEqual({ acquired: false, pttl: 1 });
      expect(node.keys()).toEqual(['k']);

      clock.advance(1);
      expect(node.keys()).toEqual([]);
      expect(node.size).toBe(0);
      expect(await node.acquire(['k'], 'b', 100)).toEqual({ acquired: true });
    });

    it('reports the longest remaining TTL among keys held by others', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      await node.acquire(['x'], 'a', 300);
      await node.acquire(['y'], 'b', 700);
      clock.advance(50);
      expect(await node.acquire(['x', 'y', 'z'], 'c', 100)).toEqual({ acquired: false, pttl: 650 });
      expect(await node.acquire(['x', 'y'], 'a', 100)).toEqual({ acquired: false, pttl: 650 });
    });

    it('rounds a fractional remaining TTL up, so a live key never reports 0', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      await node.acquire(['k'], 'a', 10);
      clock.advance(9.75);
      expect(await node.inspect(['k'])).toEqual([{ value: 'a', pttl: 1 }]);
    });

    it('extends from the current time and never revives an expired key', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      await node.acquire(['k'], 'a', 100);
      clock.advance(80);
      expect(await node.extend(['k'], 'a', 100)).toBe(true);
      clock.advance(80);
      expect(await node.inspect(['k'])).toEqual([{ value: 'a', pttl: 20 }]);

      clock.advance(20);
      expect(await node.extend(['k'], 'a', 100)).toBe(false);
      expect(await node.inspect(['k'])).toEqual([{ value: null, pttl: -2 }]);
    });

    it('drops expired keys nobody touches again instead of keeping them forever', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      for (let i = 0; i < 100; i += 1) await node.acquire([`old:${i}`], 'a', 10);
      clock.advance(10);
      for (let i = 0; i < 200; i += 1) {
        await node.acquire([`new:${i}`], 'a', 1_000);
        await node.release([`new:${i}`], 'a');
      }
      expect(node.size).toBe(0);
      // The sweep is internal; the observable promise is that nothing expired survives.
      expect(node.keys()).toEqual([]);
    });
  });

  describe('the contract on one node', () => {
    it('acquires all keys or none', async () => {
      const node = new MemoryLockNode();
      await node.acquire(['b'], 'other', 1_000);
      expect((await node.acquire(['a', 'b', 'c'], 'mine', 1_000)).acquired).toBe(false);
      expect(node.keys()).toEqual(['b']);
    });

    it('re-acquires keys it already holds and takes the free ones with them', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      await node.acquire(['a'], 'mine', 100);
      clock.advance(90);
      expect(await node.acquire(['a', 'b'], 'mine', 100)).toEqual({ acquired: true });
      expect(await node.inspect(['a', 'b'])).toEqual([
        { value: 'mine', pttl: 100 },
        { value: 'mine', pttl: 100 },
      ]);
    });

    it('extends only when every key holds the value, and then all of them', async () => {
      const clock = manualClock();
      const node = new MemoryLockNode({ clock });
      await node.acquire(['a'], 'mine', 100);
      expect(await node.extend(['a', 'b'], 'mine', 500)).toBe(false);
      expect(await node.inspect(['a', 'b'])).toEqual([
        { value: 'mine', pttl: 100 },
        { value: null, pttl: -2 },
      ]);
    });

    it('releases only the keys holding the value and counts them', async () => {
      const node = new MemoryLockNode();
      await node.acquire(['a', 'b'], 'mine', 1_000);
      await node.acquire(['c'], 'other', 1_000);
      expect(await node.release(['a', 'b', 'c', 'd'], 'mine')).toBe(2);
      expect(await node.release(['a'], 'mine')).toBe(0);
      expect(node.keys()).toEqual(['c']);
    });

    it('compares values exactly', async () => {
      const node = new MemoryLockNode();
      await node.acquire(['k'], 'Owner', 1_000);
      for (const near of ['owner', 'Owner ', 'Own', 'Owner2']) {
        expect(await node.extend(['k'], near, 1_000)).toBe(false);
        expect(await node.release(['k'], near)).toBe(0);
      }
      expect(await node.inspect(['k'])).toMatchObject([{ value: 'Owner' }]);
    });

    it('replies asynchronously, after the operation took effect', async () => {
      const node = new MemoryLockNode();
      let replied = false;
      const reply = node.acquire(['k'], 'a', 1_000).then(() => {
        replied = true;
      });
      expect(replied).toBe(false);
      expect(node.keys()).toEqual(['k']);
      await reply;
      expect(replied).toBe(true);
    });
  });

  describe('invalid input', () => {
    const node = new MemoryLockNode();
    const cases: [string, () => Promise<unknown>][] = [
      ['keys not an array', () => node.acquire('k' as never, 'a', 1_000)],
      ['empty keys', () => node.acquire([], 'a', 1_000)],
      ['a key that is not a string', () => node.release([1] as never, 'a')],
      ['an empty key', () => node.acquire(['k', ''], 'a', 1_000)],
      ['an empty value', () => node.acquire(['k'], '', 1_000)],
      ['a value that is not a string', () => node.extend(['k'], 42 as never, 1_000)],
      ['a TTL of 0', () => node.acquire(['k'], 'a', 0)],
      ['a negative TTL', () => node.extend(['k'], 'a', -5)],
      ['a fractional TTL', () => node.acquire(['k'], 'a', 1.5)],
      ['an infinite TTL', () => node.acquire(['k'], 'a', Number.POSITIVE_INFINITY)],
      ['a NaN TTL', () => node.acquire(['k'], 'a', Number.NaN)],
      ['inspect without keys', () => node.inspect([])],
      ['watch without a listener', () => node.watch(['k'], undefined as never)],
    ];
    it.each(cases)('rejects %s with InvalidArgumentError and changes nothing', async (_, call) => {
      await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(node.size).toBe(0);
    });

    it('refuses a clock together with a shared store', () => {
      expect(() => new MemoryLockNode({ store: new MemoryStore(), clock: manualClock() })).toThrow(
        InvalidArgumentError,
      );
    });

    it('refuses a negative latency', () => {
      expect(() => new MemoryLockNode({ latencyMs: -1 })).toThrow(InvalidArgumentError);
    });

    // setTimeout clamps a delay above 2^31 - 1 ms to 1 ms: such a latency would
    // silently become "no latency" instead of "never answers in time".
    it('refuses a latency longer than a timer can wait, naming the limit', () => {
      expect(() => new MemoryLockNode({ latencyMs: 2 ** 31 })).toThrow(
        /latencyMs must be at most 2147483647 ms/,
      );
      expect(() => new MemoryLockNode().setLatency(2 ** 31)).toThrow(InvalidArgumentError);
      expect(new MemoryLockNode({ latencyMs: 2 ** 31 - 1 }).name).toMatch(/^memory:/);
    });
  });

  describe('abort signals', () => {
    it('rejects with the reason of an already-aborted signal and changes nothing', async () => {
      const node = new MemoryLockNode();
      const reason = new Error('caller gave up');
      const signal = AbortSignal.abort(reason);
      await expect(node.acquire(['k'], 'a', 1_000, signal)).rejects.toBe(reason);
      expect(node.size).toBe(0);
      await node.acquire(['k'], 'a', 1_000);
      await expect(node.extend(['k'], 'a', 1_000, signal)).rejects.toBe(reason);
      await expect(node.release(['k'], 'a', signal)).rejects.toBe(reason);
      expect(node.keys()).toEqual(['k']);
    });

    it('stops waiting for a late reply when the signal aborts, though the write happened', async () => {
      const node = new MemoryLockNode({ latencyMs: 10_000 });
      const controller = new AbortController();
      const reply = node.acquire(['k'], 'a', 60_000, controller.signal);
      controller.abort(new Error('node timeout'));
      await expect(reply).rejects.toThrow('node timeout');
      expect(node.keys()).toEqual(['k']);
    });

    it('delays replies by the configured latency', async () => {
      const node = new MemoryLockNode({ latencyMs: 30 });
      const started = performance.now();
      await node.acquire(['k'], 'a', 1_000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      node.setLatency(0);
      expect(await node.release(['k'], 'a')).toBe(1);
    });
  });

  describe('fault toggles', () => {
    it('rejects every call naming the node while unavailable, and keeps the data', async () => {
      const node = new MemoryLockNode({ name: 'memory://flaky' });
      await node.acquire(['k'], 'a', 60_000);
      node.setAvailable(false);
      expect(node.available).toBe(false);
      const calls = [
        node.acquire(['k'], 'b', 1_000),
        node.extend(['k'], 'a', 1_000),
        node.release(['k'], 'a'),
        node.inspect(['k']),
        node.watch(['k'], () => {}),
      ];
      for (const call of calls) await expect(call).rejects.toThrow('memory://flaky is unavailable');
      expect(node.keys()).toEqual(['k']);

      node.setAvailable(true);
      expect(await node.release(['k'], 'a')).toBe(1);
    });

    it('loses every key on clear(), as a restart without persistence', async () => {
      const node = new MemoryLockNode();
      await node.acquire(['a', 'b'], 'mine', 60_000);
      node.clear();
      expect(node.size).toBe(0);
      expect(await node.acquire(['a'], 'other', 1_000)).toEqual({ acquired: true });
    });

    it('names each node uniquely by default', () => {
      const names = new Set([new MemoryLockNode(), new MemoryLockNode()].map((node) => node.name));
      expect(names.size).toBe(2);
      for (const name of names) expect(name).toMatch(/^memory:\/\/\d+$/);
    });
  });

  describe('shared stores', () => {
    it('lets two nodes on one store see each other, and nodes on other stores not', async () => {
      const store = new MemoryStore();
      const app = new MemoryLockNode({ store });
      const admin = new MemoryLockNode({ store });
      const elsewhere = new MemoryLockNode();
      expect(app.name).toBe(store.name);
      await app.acquire(['k'], 'a', 60_000);
      expect((await admin.acquire(['k'], 'b', 1_000)).acquired).toBe(false);
      expect((await elsewhere.acquire(['k'], 'b', 1_000)).acquired).toBe(true);
    });
  });
});

describe('MemoryLockNode capabilities', () => {
  it('raises a fencing counter per key on each grant, never on a refusal, and keeps it past release', async () => {
    const clock = manualClock();
    const wall = manualClock(1_700_000_000_000);
    const node = new MemoryLockNode({ store: new MemoryStore({ clock, wallClock: wall }) });
    const first = await node.acquireFenced(['a', 'b'], 'one', 1_000);
    expect(first).toEqual({ acquired: true, fence: 1_700_000_000_000_000n });
    const refused = await node.acquireFenced(['b'], 'two', 1_000);
    expect(refused.acquired).toBe(false);
    expect(node.store.fenceOf('b')).toBe(1_700_000_000_000_000n);
    await node.release(['a', 'b'], 'one');
    // Same microsecond on the wall clock: the counter still grows by one.
    const again = await node.acquireFenced(['b'], 'two', 1_000);
    expect(again).toEqual({ acquired: true, fence: 1_700_000_000_000_001n });
  });

  it('raises counters to a fence and never lowers them', async () => {
    const node = new MemoryLockNode();
    expect(await node.raiseFence(['a', 'b'], 50n)).toBe(50n);
    expect(await node.raiseFence(['a'], 10n)).toBe(50n);
    expect(await node.raiseFence(['a', 'c'], 70n)).toBe(70n);
    expect(node.store.fenceOf('b')).toBe(50n);
    await expect(node.raiseFence(['a'], 5 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('models a restart: keys and counters lost, a new run id, uptime from 0', async () => {
    const clock = manualClock();
    const node = new MemoryLockNode({ clock });
    const before = node.serverRun() as { runId: string; uptimeMs: number };
    expect(before.uptimeMs).toBe(86_400_000);
    await node.acquireFenced(['k'], 'v', 10_000);
    clock.advance(500);
    node.restart();
    clock.advance(20);
    const after = node.serverRun() as { runId: string; uptimeMs: number };
    expect(after.runId).not.toBe(before.runId);
    expect(after.uptimeMs).toBe(20);
    expect(node.keys()).toEqual([]);
    expect(node.store.fenceOf('k')).toBe(0n);
    node.setAvailable(false);
    await expect(node.serverRun()).rejects.toThrow(/unavailable/);
  });
});
