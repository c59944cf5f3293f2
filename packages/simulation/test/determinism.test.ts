import { describe, expect, it } from 'vitest';
import { runCampaign } from '../src/campaign.js';
import { generateScenario, type Scenario } from '../src/scenario.js';
import { shrinkScenario } from '../src/shrink.js';
import { runScenario } from '../src/world.js';

const traced = (scenario: Scenario) => runScenario(scenario, { trace: true });

describe('determinism', () => {
  it('gives the same trace for the same seed', async () => {
    const first = await traced(generateScenario(7));
    const second = await traced(generateScenario(7));
    expect(first.trace.length).toBeGreaterThan(100);
    expect(second.trace).toEqual(first.trace);
    expect(second.events).toBe(first.events);
  });

  it('gives different runs for different seeds', async () => {
    const first = await traced(generateScenario(7));
    const other = await traced(generateScenario(8));
    expect(other.trace).not.toEqual(first.trace);
  });

  it('counts the same with and without tracing', async () => {
    const scenario = generateScenario(11);
    const plain = await runScenario(scenario);
    const withTrace = await traced(scenario);
    expect(plain.events).toBe(withTrace.events);
    expect(plain.operations).toBe(withTrace.operations);
  });

  it('shrinks a failure to a smaller scenario that replays identically from its JSON', async () => {
    const summary = await runCampaign({
      runs: 30,
      broken: 'restart-without-persistence',
      stopAtFirstViolation: true,
    });
    const failing = summary.failures[0]!;
    expect(failing).toBeDefined();
    const shrunk = await shrinkScenario(failing, traced, { maxTrials: 80 });
    expect(shrunk.result.violation?.kind).toBe(failing.violation?.kind);
    const size = (scenario: Scenario) =>
      scenario.clients.length +
      scenario.faults.length +
      scenario.clients.reduce((sum, client) => sum + Math.min(client.maxOperations, 100), 0);
    expect(size(shrunk.scenario)).toBeLessThan(size(failing.scenario));

    const replayed = await traced(JSON.parse(JSON.stringify(shrunk.scenario)) as Scenario);
    expect(replayed.violation).toEqual(shrunk.result.violation);
    expect(replayed.trace).toEqual(shrunk.result.trace);
  });
});
