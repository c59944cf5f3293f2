import { describe, expect, it } from 'vitest';
import { runCampaign } from '../src/campaign.js';
import { FencedStore } from '../src/fenced-store.js';
import { TokenOrder } from '../src/token-order.js';

const describeFailures = (summary: Awaited<ReturnType<typeof runCampaign>>) =>
  summary.failures.map(
    (result) =>
      `seed ${result.scenario.seed}: ${result.violation?.kind}: ${result.violation?.message}`,
  );

describe('TokenOrder', () => {
  it('flags a token not larger than one taken by an acquisition that resolved before', () => {
    const order = new TokenOrder();
    expect(order.add(['a'], 0, 10, 5n)).toBeUndefined();
    expect(order.add(['b'], 11, 12, 1n)).toBeUndefined();
    expect(order.add(['a', 'b'], 20, 25, 5n)).toMatch(/token 5 for "a" is not larger than 5/);
    expect(order.checks).toBe(2);
  });

  it('lets overlapping acquisitions (the second started before the first resolved) be in any order', () => {
    const order = new TokenOrder();
    expect(order.add(['a'], 0, 10, 9n)).toBeUndefined();
    expect(order.add(['a'], 5, 12, 3n)).toBeUndefined();
    expect(order.add(['a'], 13, 14, 10n)).toBeUndefined();
    expect(order.add(['a'], 15, 16, 9n)).toMatch(/not larger than 10/);
  });
});

describe('FencedStore', () => {
  it('counts a write based on a superseded read as a lost update, without fencing', () => {
    const store = new FencedStore(false);
    const stale = store.read(undefined)!;
    store.write(store.read(undefined)!, undefined);
    store.write(stale, undefined);
    expect(store.lostUpdates).toBe(1);
  });

  it('refuses the stale holder once a newer token was seen, with fencing', () => {
    const store = new FencedStore(true);
    const stale = store.read(1n)!;
    store.write(store.read(2n)!, 2n);
    expect(store.write(stale, 1n)).toBe(false);
    expect(store.lostUpdates).toBe(0);
    expect(store.refused).toBe(1);
  });
});

describe('simulated fencing and restarts', () => {
  it('keeps tokens in real-time order, and loses no update with fencing (Kleppmann)', async () => {
    const summary = await runCampaign({ runs: 60, fencing: true, staleWriters: true });
    expect(describeFailures(summary)).toEqual([]);
    expect(summary.tokenChecks).toBeGreaterThan(1000);
    expect(summary.lostUpdates).toBe(0);
    expect(summary.refusedWrites, 'some late writes were refused').toBeGreaterThan(0);
  });

  it('loses updates in the same scenario without fencing', async () => {
    const summary = await runCampaign({ runs: 60, staleWriters: true });
    expect(describeFailures(summary)).toEqual([]);
    expect(summary.lostUpdates).toBeGreaterThan(0);
  });

  it('keeps mutual exclusion and token order across restarts without persistence, with the guard', async () => {
    const summary = await runCampaign({
      runs: 60,
      broken: 'restart-without-persistence',
      restartGuard: true,
      fencing: true,
    });
    expect(describeFailures(summary)).toEqual([]);
    expect(summary.locksHeld).toBeGreaterThan(500);
  });
});
