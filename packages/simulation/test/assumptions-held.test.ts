import { describe, expect, it } from 'vitest';
import { runCampaign } from '../src/campaign.js';

describe('with every assumption held', () => {
  it('keeps mutual exclusion, timely signals, key TTLs and liveness over 1200 seeds', async () => {
    const summary = await runCampaign({ runs: 1200, firstSeed: 1 });
    const failures = summary.failures.map(
      (result) =>
        `seed ${result.scenario.seed}: ${result.violation?.kind}: ${result.violation?.message}`,
    );
    expect(failures).toEqual([]);
    // The runs did real work: many locks changed hands under faults.
    expect(summary.locksHeld).toBeGreaterThan(12_000);
    expect(summary.operations).toBeGreaterThan(36_000);
  });

  it('keeps every invariant with three servers and many clients', async () => {
    const summary = await runCampaign({ runs: 150, firstSeed: 10_000, nodes: 3, clients: 8 });
    expect(summary.failures.map((result) => result.scenario.seed)).toEqual([]);
    expect(summary.locksHeld).toBeGreaterThan(1500);
  });
});
