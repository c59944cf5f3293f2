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
import { CYCLE_COLUMNS } from './sequential-cycles.js';

const ROUND_GRACE_MS = 5_000;
const WARMUP_CYCLES_PER_LOCKER = 20;

interface Tally {
  readonly latency: LatencyRecorder;
  cycles: number;
  elapsedMs: number;
  cpuMicros: number;
  failure: { status: 'timed out' | 'error'; note: string } | undefined;
}

/**
 * Many independent lockers in one process, each cycling acquire+release on
 * a key of its own: no contention, but every lock's requests share the same
 * five connections and the same event loop, which is where per-call
 * overhead (timers, listeners, promise layers) adds up.
 */
export async function runManyKeys(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const opened = await openSessions(context.contenders, context.servers);
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
          lockers(session, contender, plan, 0, WARMUP_CYCLES_PER_LOCKER, undefined, signal),
        ROUND_GRACE_MS * 4,
      );
      record(tally, warmup.outcome, 'warm-up');
      await waitForStop(warmup, ROUND_GRACE_MS);
    }
    for (let round = 0; round < plan.rounds; round++) {
      for (const contender of rotate([...opened.sessions.keys()], round)) {
        const tally = tallies.get(contender)!;
        if (tally.failure) continue;
        context.log(`  ${contender.label}: round ${round + 1}/${plan.rounds}`);
        const session = opened.sessions.get(contender)!;
        const run = await runWithDeadline(
          (signal) =>
            lockers(
              session,
              contender,
              plan,
              plan.manyKeysMsPerRound,
              Number.POSITIVE_INFINITY,
              tally.latency,
              signal,
            ),
          plan.manyKeysMsPerRound + ROUND_GRACE_MS,
        );
        if (run.outcome.status === 'ok') {
          tally.cycles += run.outcome.value.cycles;
          tally.elapsedMs += run.outcome.value.elapsedMs;
          tally.cpuMicros += run.outcome.value.cpuMicros;
        }
        record(tally, run.outcome, `round ${round + 1}`);
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
  return {
    id: 'many-keys',
    title: `Many keys (${plan.manyKeysLockers} concurrent lockers, a key each)`,
    description:
      `${plan.manyKeysLockers} async lockers in one process, each cycling acquire+release on its own key ` +
      `(no contention), ${plan.rounds} interleaved round(s) of ${plan.manyKeysMsPerRound} ms. ` +
      'ops/s = cycles of all lockers together per second; latency is one whole cycle.',
    columns: CYCLE_COLUMNS,
    rows,
  };
}

function record(
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

/** Every locker cycles until `durationMs` (0: no limit) or `maxCycles` each, or the signal. */
async function lockers(
  session: LockSession,
  contender: Contender,
  plan: RunPlan,
  durationMs: number,
  maxCycles: number,
  latency: LatencyRecorder | undefined,
  signal: AbortSignal,
): Promise<{ cycles: number; elapsedMs: number; cpuMicros: number }> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const endAt = durationMs > 0 ? startedAt + durationMs : Number.POSITIVE_INFINITY;
  let cycles = 0;
  const locker = async (index: number): Promise<void> => {
    const resources = [`bench:many-keys:${contender.id}:${index}`];
    for (let own = 0; own < maxCycles && !signal.aborted; own++) {
      const cycleStart = performance.now();
      if (cycleStart >= endAt) return;
      const release = await session.acquire(resources);
      await release();
      latency?.record(performance.now() - cycleStart);
      cycles++;
    }
  };
  await Promise.all(Array.from({ length: plan.manyKeysLockers }, (_, index) => locker(index)));
  const cpu = process.cpuUsage(cpuBefore);
  return { cycles, elapsedMs: performance.now() - startedAt, cpuMicros: cpu.user + cpu.system };
}
