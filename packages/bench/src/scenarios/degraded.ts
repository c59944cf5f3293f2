import type { LockSession } from '../contender.js';
import { runWithDeadline, waitForStop } from '../deadline.js';
import { LatencyRecorder } from '../latency-recorder.js';
import {
  type BenchContext,
  describeError,
  flushServers,
  openSessions,
  rowFor,
  type ScenarioResult,
  type ScenarioRow,
  waitUntilServersIdle,
} from '../scenario.js';
import { LOCK_SETTINGS } from '../settings.js';

const WARMUP_CYCLES = 20;
/** How long to wait, after resuming, for an abandoned run to return before closing its clients. */
const DRAIN_MS = 10_000;

/**
 * Sequential acquire+release while a minority of servers is frozen with
 * SIGSTOP (connections open, nothing answered): the case a per-node timeout
 * exists for. Only acquisition is timed; each implementation's run is bounded
 * by a deadline, and one that hangs is reported as "timed out".
 */
export async function runDegraded(context: BenchContext): Promise<ScenarioResult> {
  const { plan, servers } = context;
  const paused = servers.slice(servers.length - plan.degradedPausedServers);
  const rows: ScenarioRow[] = [];
  for (const contender of context.contenders) {
    context.log(`  ${contender.label}`);
    const opened = await openSessions([contender], servers);
    const session = opened.sessions.get(contender);
    if (session === undefined) {
      rows.push(rowFor(contender, 'error', {}, opened.failures.get(contender)));
      continue;
    }
    const acquireLatency = new LatencyRecorder();
    const key = `bench:degraded:${contender.id}`;
    try {
      await runCycles(session, key, WARMUP_CYCLES, 0, undefined, new AbortController().signal);
      for (const server of paused) server.pause();
      const run = await runWithDeadline(
        (signal) =>
          runCycles(
            session,
            key,
            Number.POSITIVE_INFINITY,
            plan.degradedMs,
            acquireLatency,
            signal,
          ),
        plan.degradedMs + plan.degradedGraceMs,
      );
      for (const server of paused) server.resume();
      await waitForStop(run, DRAIN_MS);
      const metrics: Record<string, number> =
        acquireLatency.count === 0
          ? {}
          : {
              acquireP50Ms: acquireLatency.percentile(50),
              acquireP99Ms: acquireLatency.percentile(99),
              acquireMaxMs: acquireLatency.percentile(100),
              acquisitions: acquireLatency.count,
            };
      if (run.outcome.status === 'ok') {
        rows.push(rowFor(contender, 'ok', metrics));
      } else if (run.outcome.status === 'timed out') {
        rows.push(
          rowFor(
            contender,
            'timed out',
            metrics,
            `an acquire or release did not return within ${plan.degradedGraceMs} ms past the run's end ` +
              `(${acquireLatency.count} acquisitions completed before)`,
          ),
        );
      } else {
        rows.push(rowFor(contender, 'error', metrics, describeError(run.outcome.error)));
      }
    } catch (error) {
      rows.push(rowFor(contender, 'error', {}, describeError(error)));
    } finally {
      for (const server of paused) if (server.isPaused) server.resume();
      await opened.close();
      await flushServers(servers);
      await waitUntilServersIdle(servers);
    }
  }
  return {
    id: 'degraded',
    title: `Degraded (${plan.degradedPausedServers} of ${servers.length} servers paused with SIGSTOP)`,
    description:
      `Sequential acquire+release on one key for ${plan.degradedMs} ms with ${plan.degradedPausedServers} ` +
      `servers frozen; only acquisition is timed. Per-node timeout: ${LOCK_SETTINGS.nodeTimeoutMs} ms where ` +
      `the implementation has one. A run not done ${plan.degradedGraceMs} ms after its end is "timed out".`,
    columns: [
      { key: 'acquireP50Ms', header: 'acquire p50 ms', digits: 2, better: 'lower' },
      { key: 'acquireP99Ms', header: 'acquire p99 ms', digits: 2, better: 'lower' },
      { key: 'acquireMaxMs', header: 'acquire max ms', digits: 2, better: 'lower' },
      { key: 'acquisitions', header: 'acquisitions', digits: 0 },
    ],
    rows,
  };
}

async function runCycles(
  session: LockSession,
  key: string,
  maxCycles: number,
  durationMs: number,
  acquireLatency: LatencyRecorder | undefined,
  signal: AbortSignal,
): Promise<void> {
  const endAt = durationMs > 0 ? performance.now() + durationMs : Number.POSITIVE_INFINITY;
  for (let cycle = 0; cycle < maxCycles && !signal.aborted && performance.now() < endAt; cycle++) {
    const startedAt = performance.now();
    const release = await session.acquire([key]);
    // An acquisition that only returns after the deadline (servers resumed) is not a sample.
    if (!signal.aborted) acquireLatency?.record(performance.now() - startedAt);
    await release();
  }
}
