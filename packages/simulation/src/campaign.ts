import { generateScenario, type ScenarioOptions } from './scenario.js';
import { type RunResult, runScenario } from './world.js';

export interface CampaignOptions extends ScenarioOptions {
  /** How many seeds to run. */
  readonly runs: number;
  /** The first seed; run `i` uses seed `firstSeed + i`. Default 1. */
  readonly firstSeed?: number;
  /** Stop at the first violation. Default `false`: count them all. */
  readonly stopAtFirstViolation?: boolean;
  /** Called after each run, e.g. to show progress. */
  readonly onRun?: (result: RunResult, index: number) => void;
}

export interface CampaignSummary {
  readonly runs: number;
  /** Scheduler events, each followed by a check of every invariant. */
  readonly events: number;
  /** Redlock calls completed. */
  readonly operations: number;
  readonly locksHeld: number;
  /** With fencing: pairs of acquisitions whose token order was checked. */
  readonly tokenChecks: number;
  /** Kleppmann's scenario: accepted writes based on superseded reads. */
  readonly lostUpdates: number;
  /** Kleppmann's scenario: writes the fenced store refused (stale tokens). */
  readonly refusedWrites: number;
  /** The runs that broke an invariant, in seed order. */
  readonly failures: readonly RunResult[];
  /** Wall-clock ms the campaign took. */
  readonly elapsedMs: number;
}

/** Run consecutive seeds and add up what they checked. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const firstSeed = options.firstSeed ?? 1;
  const startedAt = performance.now();
  const failures: RunResult[] = [];
  let events = 0;
  let operations = 0;
  let locksHeld = 0;
  let tokenChecks = 0;
  let lostUpdates = 0;
  let refusedWrites = 0;
  let runs = 0;
  for (let index = 0; index < options.runs; index++) {
    const result = await runScenario(generateScenario(firstSeed + index, options));
    runs++;
    events += result.events;
    operations += result.operations;
    locksHeld += result.locksHeld;
    tokenChecks += result.tokenChecks;
    lostUpdates += result.lostUpdates;
    refusedWrites += result.refusedWrites;
    options.onRun?.(result, index);
    if (result.violation !== undefined) {
      failures.push(result);
      if (options.stopAtFirstViolation) break;
    }
  }
  return {
    runs,
    events,
    operations,
    locksHeld,
    tokenChecks,
    lostUpdates,
    refusedWrites,
    failures,
    elapsedMs: performance.now() - startedAt,
  };
}
