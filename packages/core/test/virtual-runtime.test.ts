import { describe, expect, it } from 'vitest';
import { VirtualRuntime } from './support/virtual-runtime.js';

// The other tests lean on this runtime; these pin down the behaviour they assume.
describe('VirtualRuntime (test support)', () => {
  it('fires timers in due order, ties in scheduling order, only as the clock passes them', async () => {
    const runtime = new VirtualRuntime({ startMs: 0 });
    const fired: string[] = [];
    runtime.setTimer(() => fired.push('b@20'), 20);
    runtime.setTimer(() => fired.push('a@10'), 10);
    runtime.setTimer(() => fired.push('c@20'), 20);
    const cleared = runtime.setTimer(() => fired.push('cleared'), 5);
    runtime.clearTimer(cleared);

    await runtime.advance(9);
    expect(fired).toEqual([]);
    await runtime.advance(11);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(runtime.now()).toBe(20);
  });

  it('lets the microtasks of one timer run before the next timer fires', async () => {
    const runtime = new VirtualRuntime({ startMs: 0 });
    const seen: number[] = [];
    runtime.setTimer(() => {
      Promise.resolve().then(() => runtime.setTimer(() => seen.push(runtime.now()), 1));
    }, 10);
    await runtime.advance(11);
    expect(seen).toEqual([11]);
  });

  it('runs time until a promise settles, and reports one that never can', async () => {
    const runtime = new VirtualRuntime({ startMs: 0 });
    const late = new Promise<string>((resolve) => runtime.setTimer(() => resolve('done'), 500));
    expect(await runtime.runUntilSettled(late)).toBe('done');
    expect(runtime.now()).toBe(500);

    await expect(runtime.runUntilSettled(new Promise(() => {}))).rejects.toThrow(
      /no timer is left/,
    );
  });

  it('is deterministic for a seed and gives 128-bit hex values', () => {
    const a = new VirtualRuntime({ seed: 7 });
    const b = new VirtualRuntime({ seed: 7 });
    const values = [a.randomValue(), a.random()];
    expect([b.randomValue(), b.random()]).toEqual(values);
    expect(values[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new VirtualRuntime({ seed: 8 }).randomValue()).not.toBe(values[0]);
  });

  it('keeps the wall clock in step with the monotonic clock', async () => {
    const runtime = new VirtualRuntime();
    const before = runtime.epochNow();
    await runtime.advance(1234);
    expect(runtime.epochNow() - before).toBe(1234);
  });
});
