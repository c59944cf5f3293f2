import type { Contender } from '../contender.js';
import { LatencyRecorder } from '../latency-recorder.js';
import { runFleet, START_DELAY_MS } from '../multi-process/fleet.js';
import { countOverlaps, handoverGaps, sectionsOf } from '../multi-process/section-analysis.js';
import type { WorkerResult } from '../multi-process/worker-protocol.js';
import {
  type BenchContext,
  flushServers,
  type MetricColumn,
  rotate,
  rowFor,
  type ScenarioId,
  type ScenarioResult,
} from '../scenario.js';
import { LOCK_SETTINGS } from '../settings.js';

/** One multi-process configuration: how many processes, over how many keys, how skewed. */
export interface MultiProcessConfig {
  readonly id: ScenarioId;
  readonly processes: number;
  readonly keys: number;
  /** Zipf exponent of key popularity: key k is drawn with weight 1 / (k + 1)^skew (0 = uniform). */
  readonly skew: number;
}

const COLUMNS: readonly MetricColumn[] = [
  { key: 'sectionsPerSec', header: 'sections/s', digits: 0, better: 'higher' },
  { key: 'waitP50Ms', header: 'wait p50 ms', digits: 2, better: 'lower' },
  { key: 'waitP99Ms', header: 'wait p99 ms', digits: 1, better: 'lower' },
  { key: 'waitMaxMs', header: 'wait max ms', digits: 0, better: 'lower' },
  { key: 'fairness', header: 'fairness', digits: 3, better: 'higher' },
  { key: 'attemptsPerSection', header: 'attempts/section', digits: 2, better: 'lower' },
  { key: 'violations', header: 'overlaps', digits: 0 },
  // Diagnosis: time the hottest key stood free between holders, and (ours) how votes split.
  { key: 'gapP50Ms', header: 'hand-over p50 ms', digits: 2 },
  { key: 'gapP99Ms', header: 'hand-over p99 ms', digits: 1 },
  { key: 'splitRoundsPerSection', header: 'split rounds/section', digits: 2 },
  { key: 'noVoteRoundsPerSection', header: '0-vote rounds/section', digits: 2 },
  { key: 'wakeupsPerSection', header: 'notifications/section', digits: 1 },
  { key: 'wakeToHeldP50Ms', header: 'notified->held p50 ms', digits: 2 },
  { key: 'sections', header: 'sections', digits: 0 },
];

interface Tally {
  readonly wait: LatencyRecorder;
  readonly gaps: LatencyRecorder;
  readonly wakeToHeld: LatencyRecorder;
  readonly turns: number[];
  measuredMs: number;
  attempts: number;
  attemptsCounted: number;
  readonly failedRoundsByVotes: number[];
  notifications: number;
  votesCounted: boolean;
  overlaps: number;
  unfinished: number;
  errors: number;
  lastError: string | undefined;
  failure: { status: 'error' | 'timed out'; note: string } | undefined;
}

/**
 * P worker processes, each with its own clients and its own lock instance,
 * contend for one hot key (or several keys of skewed popularity): acquire,
 * hold ~holdMs, release, think ~thinkMs. Every contender runs in fresh
 * processes, one after the other, in rotated order per round.
 */
export async function runMultiProcess(
  context: BenchContext,
  config: MultiProcessConfig,
): Promise<ScenarioResult> {
  const { plan } = context;
  const weights = Array.from({ length: config.keys }, (_, key) => 1 / (key + 1) ** config.skew);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  const cumulativeWeights = weights.map((weight) => (running += weight / total));
  const tallies = new Map<Contender, Tally>();
  for (const contender of context.contenders) tallies.set(contender, newTally(config.processes));
  const windowStart = START_DELAY_MS + plan.multiProcessWarmupMs;
  const windowEnd = windowStart + plan.multiProcessMsPerRound;

  for (let round = 0; round < plan.multiProcessRounds; round++) {
    for (const contender of rotate(context.contenders, round)) {
      const tally = tallies.get(contender)!;
      if (tally.failure) continue;
      context.log(
        `  ${contender.label}: ${config.processes} processes, round ${round + 1}/${plan.multiProcessRounds}`,
      );
      const keys = Array.from(
        { length: config.keys },
        (_, key) => `bench:${config.id}:${contender.id}:${round}:${key}`,
      );
      const outcome = await runFleet({
        contenderId: contender.id,
        processes: config.processes,
        servers: context.servers,
        keys,
        cumulativeWeights,
        seed: round + 1,
        holdMs: plan.holdMs,
        thinkMs: plan.thinkMs,
        warmupMs: plan.multiProcessWarmupMs,
        windowMs: plan.multiProcessMsPerRound,
        graceMs: plan.multiProcessGraceMs,
      });
      // Keys left by processes cut off mid-acquisition must not meet the next run.
      await flushServers(context.servers);
      if (outcome.status !== 'ok') {
        tally.failure = { status: outcome.status, note: outcome.note };
        continue;
      }
      addRound(tally, outcome.results, windowStart, windowEnd);
      tally.measuredMs += plan.multiProcessMsPerRound;
    }
  }

  const rows = context.contenders.map((contender) => {
    const tally = tallies.get(contender)!;
    const metrics = metricsOf(tally);
    const notes = [
      tally.unfinished > 0
        ? `${tally.unfinished} wait(s) still unfinished at the cut-off, counted with their length so far`
        : undefined,
      tally.errors > 0 ? `${tally.errors} failed calls (last: ${tally.lastError})` : undefined,
      tally.failure?.note,
    ].filter((note) => note !== undefined);
    const note = notes.length > 0 ? notes.join('; ') : undefined;
    return rowFor(contender, tally.failure?.status ?? 'ok', metrics, note);
  });
  const keysText =
    config.keys === 1
      ? 'one key'
      : `${config.keys} keys, key k drawn with weight 1/(k+1)${config.skew === 1 ? '' : `^${config.skew}`}`;
  return {
    id: config.id,
    title: `Multi-process (${config.processes} processes, ${config.keys === 1 ? 'one hot key' : `${config.keys} keys, skewed`})`,
    description:
      `${config.processes} worker processes, each with its own clients and lock instance, on ${keysText}; ` +
      `each holds ~${plan.holdMs} ms and thinks ~${plan.thinkMs} ms between turns; ${plan.multiProcessRounds} round(s) ` +
      `of ${plan.multiProcessMsPerRound} ms after ${plan.multiProcessWarmupMs} ms of warm-up, fresh processes per run. ` +
      'Fairness = fewest / most turns of a process; overlaps from [start, end] of every critical section on the ' +
      "machine's monotonic clock, checked across processes; hand-over = free time of the hottest key between holders; " +
      'split rounds = failed rounds that got 1 or 2 of 5 votes (ours only).',
    columns: COLUMNS,
    rows,
  };
}

function newTally(processes: number): Tally {
  return {
    wait: new LatencyRecorder(),
    gaps: new LatencyRecorder(),
    wakeToHeld: new LatencyRecorder(),
    turns: new Array<number>(processes).fill(0),
    measuredMs: 0,
    attempts: 0,
    attemptsCounted: 0,
    failedRoundsByVotes: new Array<number>(LOCK_SETTINGS.nodeCount + 1).fill(0),
    notifications: 0,
    votesCounted: false,
    overlaps: 0,
    unfinished: 0,
    errors: 0,
    lastError: undefined,
    failure: undefined,
  };
}

function addRound(
  tally: Tally,
  results: readonly WorkerResult[],
  windowStart: number,
  windowEnd: number,
): void {
  const sections = sectionsOf(results.map((result) => result.sections));
  tally.overlaps += countOverlaps(sections);
  for (const gap of handoverGaps(sections, 0, windowStart, windowEnd)) tally.gaps.record(gap);
  results.forEach((result, index) => {
    tally.turns[index]! += result.turns;
    for (const wait of result.waits) tally.wait.record(wait);
    for (const delay of result.wakeToHeld) tally.wakeToHeld.record(delay);
    for (const wait of result.unfinishedWaits) tally.wait.record(wait);
    tally.unfinished += result.unfinishedWaits.length;
    tally.attempts += result.attempts;
    tally.attemptsCounted += result.attemptsCounted;
    result.failedRoundsByVotes.forEach((count, votes) => {
      tally.failedRoundsByVotes[votes]! += count;
    });
    tally.notifications += result.releaseNotifications;
    if (result.votesCounted) tally.votesCounted = true;
    tally.errors += result.acquireErrors + result.releaseErrors;
    if (result.lastError !== undefined) tally.lastError = result.lastError;
  });
}

function metricsOf(tally: Tally): Record<string, number> {
  const sections = tally.turns.reduce((sum, turns) => sum + turns, 0);
  if (tally.measuredMs === 0) return { violations: tally.overlaps };
  const measuredSections = tally.wait.count - tally.unfinished;
  const metrics: Record<string, number> = {
    sectionsPerSec: sections / (tally.measuredMs / 1000),
    waitP50Ms: tally.wait.percentile(50),
    waitP99Ms: tally.wait.percentile(99),
    waitMaxMs: tally.wait.percentile(100),
    // No turn at all in the window (a lock that stalls for its TTL): 0, not "all equal".
    fairness: sections === 0 ? 0 : Math.min(...tally.turns) / Math.max(...tally.turns),
    violations: tally.overlaps,
    gapP50Ms: tally.gaps.percentile(50),
    gapP99Ms: tally.gaps.percentile(99),
    sections,
  };
  if (tally.attemptsCounted > 0)
    metrics.attemptsPerSection = tally.attempts / tally.attemptsCounted;
  if (tally.votesCounted && measuredSections > 0) {
    const split = tally.failedRoundsByVotes
      .slice(1, LOCK_SETTINGS.quorum)
      .reduce((sum, count) => sum + count, 0);
    metrics.splitRoundsPerSection = split / measuredSections;
    metrics.noVoteRoundsPerSection = tally.failedRoundsByVotes[0]! / measuredSections;
    metrics.wakeupsPerSection = tally.notifications / measuredSections;
    metrics.wakeToHeldP50Ms = tally.wakeToHeld.percentile(50);
  }
  return metrics;
}
