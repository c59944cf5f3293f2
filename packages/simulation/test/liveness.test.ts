import { describe, expect, it } from 'vitest';
import { generateScenario, type Scenario } from '../src/scenario.js';
import { runScenario } from '../src/world.js';

describe('the liveness check', () => {
  it('passes when every fault heals', async () => {
    const scenario = generateScenario(3);
    const result = await runScenario(scenario);
    expect(result.violation).toBeUndefined();
    expect(result.virtualMs).toBeGreaterThanOrEqual(scenario.faultsEndMs);
  });

  it('fails when a majority of servers never comes back', async () => {
    const base = generateScenario(3, { nodes: 3 });
    const scenario: Scenario = {
      ...base,
      faults: [0, 1].map((server) => ({
        kind: 'crash' as const,
        atMs: 0,
        durationMs: 1_000_000,
        server,
        dataLost: false,
      })),
    };
    const result = await runScenario(scenario);
    expect(result.violation?.kind).toBe('liveness');
    expect(result.violation?.message).toMatch(/could not lock a\+b/);
  });
});
