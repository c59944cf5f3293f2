import type { Scenario } from './scenario.js';
import type { RunResult } from './world.js';

export interface ShrinkOptions {
  /** Give up improving after this many re-runs. Default 300. */
  readonly maxTrials?: number;
}

export interface ShrinkResult {
  /** The smallest scenario found that still breaks the same invariant. */
  readonly scenario: Scenario;
  /** Its run (traced when `run` traces). */
  readonly result: RunResult;
  readonly trials: number;
}

/**
 * Make a failing scenario smaller while it still breaks the same invariant:
 * drop clients, drop faults, stop message loss and latency spikes, stop
 * clients after fewer operations. Greedy: keep any step that still fails,
 * start over, stop when no step helps. Scenarios run deterministically, so
 * the result replays exactly.
 */
export async function shrinkScenario(
  failing: RunResult,
  run: (scenario: Scenario) => Promise<RunResult>,
  options: ShrinkOptions = {},
): Promise<ShrinkResult> {
  const kind = failing.violation?.kind;
  if (kind === undefined) throw new Error('shrinkScenario needs a failing run');
  const maxTrials = options.maxTrials ?? 300;
  let best = failing;
  let trials = 0;
  // Operations after the violation never ran: cap each client at what it started.
  const capped: Scenario = {
    ...failing.scenario,
    clients: failing.scenario.clients.map((client) => ({
      ...client,
      maxOperations: Math.min(client.maxOperations, failing.operationsStarted[client.id] ?? 0),
    })),
  };
  trials++;
  const cappedResult = await run(capped);
  if (cappedResult.violation?.kind === kind) best = cappedResult;
  let improved = true;
  while (improved && trials < maxTrials) {
    improved = false;
    for (const candidate of smallerScenarios(best.scenario)) {
      if (trials >= maxTrials) break;
      trials++;
      const result = await run(candidate);
      if (result.violation?.kind === kind) {
        best = result;
        improved = true;
        break;
      }
    }
  }
  return { scenario: best.scenario, result: best, trials };
}

/** Candidate simplifications of `scenario`, biggest cuts first. */
function* smallerScenarios(scenario: Scenario): Generator<Scenario> {
  const { clients, faults, network } = scenario;
  if (clients.length > 2) {
    for (const client of clients) {
      yield {
        ...scenario,
        clients: clients.filter((other) => other !== client),
        faults: faults.filter((fault) => !('client' in fault) || fault.client !== client.id),
      };
    }
  }
  for (let index = 0; index < faults.length; index++) {
    yield { ...scenario, faults: faults.filter((_, other) => other !== index) };
  }
  if (network.lossRate > 0) yield { ...scenario, network: { ...network, lossRate: 0 } };
  if (network.spikeRate > 0) yield { ...scenario, network: { ...network, spikeRate: 0 } };
  for (const client of clients) {
    for (const maxOperations of [
      0,
      Math.floor(client.maxOperations / 2),
      client.maxOperations - 1,
    ]) {
      if (maxOperations >= client.maxOperations || maxOperations < 0) continue;
      yield {
        ...scenario,
        clients: clients.map((other) => (other === client ? { ...other, maxOperations } : other)),
      };
    }
  }
}
