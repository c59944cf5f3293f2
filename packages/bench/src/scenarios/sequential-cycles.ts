import type { Contender, LockSession } from '../contender.js';
import { runWithDeadline, waitForStop } from '../deadline.js';
import { LatencyRecorder } from '../latency-recorder.js';
import {
  type BenchContext,
  describeError,
  flushServers,
  type MetricColumn,
  openSessions,
  rotate,
  rowFor,
  type ScenarioRow,
} from '../scenario.js';

/** Extra time a round may take before it counts as hung (one cycle normally takes ~1 ms). */
const ROUND_GRACE_MS = 5_000;

export const CYCLE_COLUMNS: readonly MetricColumn[] = [
  { key: 'opsPerSec', header: 'ops/s', digits: 0, better: 'higher' },
  { key: 'p50Ms', header: 'p50 ms', digits: 3, better: 'lower' },
  { key: 'p99Ms', header: 'p99 ms', digits: 3, better: 'lower' },
  // CPU of this process only (user + system), not of the redis-servers: steadier than
  // wall-clock rates on a shared machine, and where client-side overhead shows.
  { key: 'cpuUsPerCycle', header: 'cpu µs/cycle', digits: 1, better: 'lower' },
  { key: 'cycles', header: 'cycles', digits: 0 },
];

export interface SequentialSpec {
  readonly resources: (contender: Contender) => readonly string[];
  readonly warmupCycles: number;
  readonly msPerRound: number;
  readonly rounds: number;
}

interface Tally {
  readonly latency: LatencyRecorder;
  cycles: number;
  elapsedMs: number;
  cpuMicros: number;
  failure: { status: 'timed out' | 'error'; note: string } | undefined;
}

/**
 * Acquire+release cycles, one after the other, on the same resources. Each
 * contender is warmed up, then measured in `rounds` interleaved slices of
 * `msPerRound`; ops/s is total cycles over total time, latencies are pooled.
 */
export async function measureSequentialCycles(
  context: BenchContext,
  contenders: readonly Contender[],
  spec: SequentialSpec,
): Promise<ScenarioRow[]> {
  const opened = await openSessions(contenders, context.servers);
  const tallies = new Map<Contender, Tally>();
  try {
    for (const [contender, session] of opened.sessions) {
      const tally: Tally = {
        latency: new LatencyRecorder(),
        cycles: 0,
        elapsedMs: 0,
        cpuMicros: 0,
        failure: undefined,
      };
      tallies.set(contender, tally);
      const warmup = await runWithDeadline(
        (signal) =>
          cycle(session, spec.resources(contender), spec.warmupCycles, 0, undefined, signal),
        spec.warmupCycles * 100 + ROUND_GRACE_MS,
      );
      recordFailure(tally, warmup.outcome, 'warm-up');
      await waitForStop(warmup, ROUND_GRACE_MS);
    }
    for (let round = 0; round < spec.rounds; round++) {
      for (const contender of rotate([...opened.sessions.keys()], round)) {
        const tally = tallies.get(contender)!;
        if (tally.failure) continue;
        const session = opened.sessions.get(contender)!;
        context.log(`  ${contender.label}: round ${round + 1}/${spec.rounds}`);
        const run = await runWithDeadline(
          (signal) =>
            cycle(
              session,
              spec.resources(contender),
              Number.POSITIVE_INFINITY,
              spec.msPerRound,
              tally.latency,
              signal,
            ),
          spec.msPerRound + ROUND_GRACE_MS,
        );
        if (run.outcome.status === 'ok') {
          tally.cycles += run.outcome.value.cycles;
          tally.elapsedMs += run.outcome.value.elapsedMs;
          tally.cpuMicros += run.outcome.value.cpuMicros;
        }
        recordFailure(tally, run.outcome, `round ${round + 1}`);
        await waitForStop(run, ROUND_GRACE_MS);
      }
    }
  } finally {
    await opened.close();
    await flushServers(context.servers);
  }
  return contenders.map((contender) => {
    const failure = opened.failures.get(contender);
    if (failure !== undefined) return rowFor(contender, 'error', {}, failure);
    const tally = tallies.get(contender)!;
    const metrics: Record<string, number> =
      tally.cycles === 0
        ? {}
        : {
            opsPerSec: tally.cycles / (tally.elapsedMs / 1000),
            p50Ms: tally.latency.percentile(50),
            p99Ms: tally.latency.percentile(99),
            cpuUsPerCycle: tally.cpuMicros / tally.cycles,
            cycles: tally.cycles,
          };
    return tally.failure
      ? rowFor(contender, tally.failure.status, metrics, tally.failure.note)
      : rowFor(contender, 'ok', metrics);
  });
}

function recordFailure(
  tally: Tally,
  outcome: Awaited<ReturnType<typeof runWithDeadline>>['outcome'],
  phase: string,
): void {
  if (tally.failure || outcome.status === 'ok') return;
  tally.failure =
    outcome.status === 'timed out'
      ? { status: 'timed out', note: `${phase} did not finish within its deadline` }
      : { status: 'error', note: `${phase}: ${describeError(outcome.error)}` };
}

/** Runs cycles until `maxCycles` or `durationMs` (0: no time limit) or the signal. */
async function cycle(
  session: LockSession,
  resources: readonly string[],
  maxCycles: number,
  durationMs: number,
  latency: LatencyRecorder | undefined,
  signal: AbortSignal,
): Promise<{ cycles: number; elapsedMs: number; cpuMicros: number }> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const endAt = durationMs > 0 ? startedAt + durationMs : Number.POSITIVE_INFINITY;
  let cycles = 0;
  let now = startedAt;
  while (cycles < maxCycles && now < endAt && !signal.aborted) {
    const release = await session.acquire(resources);
    await release();
    const finishedAt = performance.now();
    latency?.record(finishedAt - now);
    now = finishedAt;
    cycles++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { cycles, elapsedMs: now - startedAt, cpuMicros: cpu.user + cpu.system };
}
