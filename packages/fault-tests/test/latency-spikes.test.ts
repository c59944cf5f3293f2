import { describe, expect, it } from 'vitest';
import { adapterNames } from '../src/adapters.js';
import { runPhases, runScenario, scenarioDefaults } from '../src/scenario.js';

const WORKERS = 4;
const SECTIONS_PER_PHASE = 8;
const PHASES = 5;
/** One way; a round trip costs twice this, far beyond the per-node timeout. */
const SLOW_MINORITY_LATENCY_MS = 200;
/** One way on every node; the round trip stays within the per-node timeout. */
const MILD_LATENCY_MS = 15;
/** One way on every node, beyond the timeout: no quorum is possible while it lasts. */
const SPIKE_LATENCY_MS = 150;
/** How long the spike on every node lasts (real time is the subject). */
const SPIKE_DURATION_MS = 400;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(adapterNames)('%s: latency spikes', (adapter) => {
  it('keeps one holder at a time through a slow minority and spikes on every node', async () => {
    expect(2 * MILD_LATENCY_MS).toBeLessThan(scenarioDefaults.nodeTimeoutMs);
    expect(SPIKE_LATENCY_MS).toBeGreaterThan(scenarioDefaults.nodeTimeoutMs);
    const result = await runScenario({
      name: 'latency: slow minority, spikes on all',
      adapter,
      proxied: true,
      workerCount: WORKERS,
      increments: SECTIONS_PER_PHASE * PHASES,
      barrierEvery: SECTIONS_PER_PHASE,
      async faults({ deployment, fleet }) {
        const proxies = deployment.proxies;
        const setLatency = (indexes: readonly number[], latencyMs: number) => {
          for (const index of indexes) proxies[index]!.setLatency(latencyMs);
        };
        const all = [0, 1, 2, 3, 4];
        await runPhases(fleet, [
          {},
          // Two nodes answer far too late: their votes never count, and
          // whatever they were sent still runs on them, late and in order.
          { during: () => setLatency([0, 1], SLOW_MINORITY_LATENCY_MS) },
          // Every node slower, within the timeout: less validity, still a quorum.
          {
            during: () => {
              setLatency([0, 1], 0);
              setLatency(all, MILD_LATENCY_MS);
            },
          },
          // A short spike beyond the timeout on every node: no quorum until it passes.
          {
            during: async () => {
              setLatency(all, SPIKE_LATENCY_MS);
              await sleep(SPIKE_DURATION_MS);
              setLatency(all, 0);
            },
          },
          {},
        ]);
        return undefined;
      },
    });

    const { verdict, fleet } = result;
    for (const worker of fleet.workers) {
      expect(worker.exit, worker.describe()).toEqual({ code: 0, signal: null });
    }
    expect(verdict.sectionsChecked).toBe(WORKERS * SECTIONS_PER_PHASE * PHASES);
    expect(verdict.overlaps).toEqual([]);
    expect(verdict.validityOverruns).toEqual([]);
    expect(verdict.repeatedReads).toEqual([]);
    expect(verdict.lostIncrements).toBe(0);
    expect(result.finalCounter).toBe(verdict.sectionsChecked);
    expect(result.leftoverKeys, result.leftoverDetails).toEqual([[], [], [], [], []]);
  });
});
