import { describe, expect, it } from 'vitest';
import { runCampaign } from '../src/campaign.js';

describe('with every assumption held', () => {
  it('keeps mutual exclusion, timely signals, key TTLs and liveness over 300 seeds', async () => {
    const summary = await runCampaign({ runs: 300, firstSeed: 1 });
    const failures = summary.failures.map(
      (result) =>
        `seed ${result.scenario.seed}: ${result.violation?.kind}: ${result.violation?.message}`,
    );
    expect(failures).toEqual([]);
    // The runs did real work: many locks changed hands under faults.
    expect(summary.locksHeld).toBeGreaterThan(3000);
    expect(summary.operations).toBeGreaterThan(9000);
  });

  it('keeps every invariant with three servers and many clients', async () => {
    const summary = await runCampaign({ runs: 60, firstSeed: 10_000, nodes: 3, clients: 8 });
    expect(summary.failures.map((result) => result.scenario.seed)).toEqual([]);
    expect(summary.locksHeld).toBeGreaterThan(400);
  });
});
