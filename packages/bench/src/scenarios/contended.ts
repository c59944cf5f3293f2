import { setTimeout as sleep } from 'node:timers/promises';
import type { Contender, LockSession } from '../contender.js';
import { runWithDeadline, waitForStop } from '../deadline.js';
import { LatencyRecorder } from '../latency-recorder.js';
import {
  type BenchContext,
  describeError,
  flushServers,
  openSessions,
  rotate,
  rowFor,
  type ScenarioResult,
} from '../scenario.js';
import type { RunPlan } from '../settings.js';

/** Extra time a round may take before it counts as hung. */
const ROUND_GRACE_MS = 10_000;

interface Tally {
  readonly wait: LatencyRecorder;
  readonly turns: number[];
  measuredMs: number;
  violations: number;
  acquireErrors: number;
  releaseErrors: number;
  lastError: string | undefined;
  timedOut: boolean;
}

/**
 * Workers (async tasks in this process) compete for one key: each acquires,
 * holds ~`holdMs`, releases, thinks ~`thinkMs`, and again. Measures
 * critical sections per second, the wait from starting to acquire until
 * holding, fairness (fewest / most turns of a worker) and overlaps (a
 * worker entering while another is inside).
 */
export async function runContended(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const opened = await openSessions(context.contenders, context.servers);
  const tallies = new Map<Contender, Tally>();
  for (const contender of opened.sessions.keys()) {
    tallies.set(contender, {
      wait: new LatencyRecorder(),
      turns: new Array<number>(plan.contendedWorkers).fill(0),
      measuredMs: 0,
      violations: 0,
      acquireErrors: 0,
      releaseErrors: 0,
      lastError: undefined,
      timedOut: false,
    });
  }
  try {
    for (let round = 0; round < plan.contendedRounds; round++) {
      for (const contender of rotate([...opened.sessions.keys()], round)) {
        const tally = tallies.get(contender)!;
        if (tally.timedOut) continue;
        context.log(`  ${contender.label}: round ${round + 1}/${plan.contendedRounds}`);
        const session = opened.sessions.get(contender)!;
        const run = await runWithDeadline(
          (signal) => contendRound(session, `bench:contended:${contender.id}`, plan, tally, signal),
          plan.contendedWarmupMs + plan.contendedMsPerRound + ROUND_GRACE_MS,
        );
        if (run.outcome.status === 'timed out') tally.timedOut = true;
        if (run.outcome.status === 'error') tally.lastError = describeError(run.outcome.error);
        await waitForStop(run, ROUND_GRACE_MS);
      }
    }
  } finally {
    await opened.close();
    await flushServers(context.servers);
  }

  const rows = context.contenders.map((contender) => {
    const failure = opened.failures.get(contender);
    if (failure !== undefined) return rowFor(contender, 'error', {}, failure);
    const tally = tallies.get(contender)!;
    const sections = tally.turns.reduce((sum, turns) => sum + turns, 0);
    const metrics: Record<string, number> =
      sections === 0
        ? { violations: tally.violations }
        : {
            sectionsPerSec: sections / (tally.measuredMs / 1000),
            waitP50Ms: tally.wait.percentile(50),
            waitP99Ms: tally.wait.percentile(99),
            fairness: Math.min(...tally.turns) / Math.max(...tally.turns),
            violations: tally.violations,
            sections,
          };
    const errors = tally.acquireErrors + tally.releaseErrors;
    const note =
      errors > 0
        ? `${tally.acquireErrors} failed acquisitions, ${tally.releaseErrors} failed releases (last: ${tally.lastError})`
        : tally.lastError;
    if (tally.timedOut) {
      return rowFor(contender, 'timed out', metrics, 'a round did not finish within its deadline');
    }
    return rowFor(contender, 'ok', metrics, note);
  });
  return {
    id: 'contended',
    title: `Contended (${plan.contendedWorkers} workers, one key)`,
    description:
      `${plan.contendedWorkers} async workers in one process on one key, each holding ~${plan.holdMs} ms ` +
      `(setTimeout) and thinking ~${plan.thinkMs} ms between turns; ${plan.contendedRounds} interleaved ` +
      `round(s) of ${plan.contendedMsPerRound} ms after ${plan.contendedWarmupMs} ms of warm-up each. ` +
      'Wait = from calling acquire to holding; fairness = fewest turns / most turns of a worker.',
    columns: [
      { key: 'sectionsPerSec', header: 'sections/s', digits: 0, better: 'higher' },
      { key: 'waitP50Ms', header: 'wait p50 ms', digits: 2, better: 'lower' },
      { key: 'waitP99Ms', header: 'wait p99 ms', digits: 2, better: 'lower' },
      { key: 'fairness', header: 'fairness', digits: 3, better: 'higher' },
      { key: 'violations', header: 'overlaps', digits: 0, better: 'lower' },
      { key: 'sections', header: 'sections', digits: 0 },
    ],
    rows,
  };
}

/** One warm-up plus measured window. */
async function contendRound(
  session: LockSession,
  key: string,
  plan: RunPlan,
  tally: Tally,
  signal: AbortSignal,
): Promise<void> {
  const windowStart = performance.now() + plan.contendedWarmupMs;
  const windowEnd = windowStart + plan.contendedMsPerRound;
  let inside = 0;

  const worker = async (index: number): Promise<void> => {
    while (!signal.aborted && performance.now() < windowEnd) {
      const startedAt = performance.now();
      let release: () => Promise<unknown>;
      try {
        release = await session.acquire([key]);
      } catch (error) {
        tally.acquireErrors++;
        tally.lastError = describeError(error);
        await sleep(plan.thinkMs);
        continue;
      }
      const heldAt = performance.now();
      if (inside !== 0) tally.violations++;
      inside++;
      // Every wait that ends in or after the window counts, however long ago it began, so slow
      // tails are not cut off; a turn counts when it is taken inside the window.
      if (heldAt >= windowStart) tally.wait.record(heldAt - startedAt);
      if (heldAt >= windowStart && heldAt <= windowEnd) tally.turns[index]!++;
      await sleep(plan.holdMs);
      inside--;
      try {
        await release();
      } catch (error) {
        tally.releaseErrors++;
        tally.lastError = describeError(error);
      }
      await sleep(plan.thinkMs);
    }
  };

  await Promise.all(Array.from({ length: plan.contendedWorkers }, (_, index) => worker(index)));
  tally.measuredMs += plan.contendedMsPerRound;
}
