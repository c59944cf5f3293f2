import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/scenario.js';

/**
 * A negative control for the whole pipeline (worker processes, records,
 * checks): workers that keep working long after their lock expired must be
 * caught. If this passed with zero overlaps, the scenarios' zeros would mean
 * nothing.
 */
describe('the fault harness', () => {
  it('catches holders that outlive their lock (TTL far shorter than the work)', async () => {
    const result = await runScenario({
      name: 'negative control: TTL shorter than the work',
      adapter: 'ioredis',
      proxied: false,
      workerCount: 3,
      increments: 5,
      // 100 ms of work under a 30 ms lock: every section outlives its
      // validity, and the others get in meanwhile.
      ttlMs: 30,
      workMs: 100,
      async faults() {
        return undefined;
      },
    });
    expect(result.verdict.validityOverruns.length).toBeGreaterThan(0);
    expect(result.verdict.overlaps.length).toBeGreaterThan(0);
  });
});
