/**
 * One fault scenario run: start the servers, start the workers, inject
 * faults as the run progresses, wait for the workers, check the history and
 * look for leftover keys. Tests only describe their faults and assert on
 * the returned result.
 */
import { appendFileSync } from 'node:fs';
import type { AdapterName } from './adapters.js';
import { checkHistory, type HistoryVerdict, type HoldInterval } from './history-checks.js';
import { type LockDeployment, startLockDeployment } from './lock-deployment.js';
import { WorkerFleet } from './worker-fleet.js';
import type { WorkerConfig } from './worker-protocol.js';

/** Settings shared by the scenarios; each may override some. */
export const scenarioDefaults = {
  lockServerCount: 5,
  workerCount: 4,
  increments: 40,
  /** Long against the work (a few ms), so no section can outlive its validity short of a stalled process. */
  ttlMs: 2_000,
  /** Small, so a dead or slow node costs a round at most this long. */
  nodeTimeoutMs: 50,
  retryDelayMs: 20,
  retryJitterMs: 20,
  /** One acquisition's budget; waiting this long under a minority fault would itself be a bug. */
  waitTimeoutMs: 20_000,
  /** Between GET and SET of the counter, so overlapping holders would lose increments. */
  workMs: 2,
} as const;

export interface ScenarioOptions {
  readonly name: string;
  readonly adapter: AdapterName;
  /** Put a fault proxy in front of every lock server. */
  readonly proxied: boolean;
  readonly workerCount?: number;
  readonly increments?: number;
  readonly ttlMs?: number;
  /** Pause between reading and writing the counter. */
  readonly workMs?: number;
  /** See `WorkerConfig.barrierEvery`; `runPhases` needs it. */
  readonly barrierEvery?: number;
  /** Per worker id: the section on which it stalls while holding (see `WorkerConfig.stallAtSection`). */
  readonly stallAtSection?: Readonly<Record<string, number>>;
  /**
   * Injects the faults while the workers run; resolves when the faults are
   * healed. Returns hold intervals the workers could not report themselves
   * (a holder killed mid-section).
   */
  readonly faults: (run: ScenarioRun) => Promise<HoldInterval[] | undefined>;
  /**
   * How long after the last worker exited leftover lock keys may still be
   * there: 0 for "none, right away". Keys that no release could reach (a
   * SIGKILLed holder's, or a release lost in a black hole) need their TTL.
   */
  readonly leftoverKeysDeadlineMs?: number;
}

export interface ScenarioRun {
  readonly deployment: LockDeployment;
  readonly fleet: WorkerFleet;
  readonly ttlMs: number;
}

export interface ScenarioResult extends ScenarioRun {
  readonly verdict: HistoryVerdict;
  readonly finalCounter: number;
  /** Keys on the lock servers right when the last worker exited, per server. */
  readonly keysAtExit: string[][];
  /** Keys still on the lock servers after the deadline, per server. */
  readonly leftoverKeys: string[][];
  /** The leftover keys with values and TTLs, and which section held each value. */
  readonly leftoverDetails: string;
  readonly acquireFailures: number;
  /** One line for the figures table. */
  readonly summary: ScenarioSummary;
}

export interface ScenarioSummary {
  readonly scenario: string;
  readonly adapter: AdapterName;
  readonly workers: number;
  readonly increments: number;
  readonly sectionsChecked: number;
  readonly overlaps: number;
  readonly lostIncrements: number;
  readonly leftoverKeys: number;
  /** Keys present when the last worker exited (before TTLs ran out). */
  readonly keysAtExit: number;
  readonly acquireFailures: number;
  readonly durationMs: number;
}

/** Deadline for a worker to finish once faults are healed: generous, it bounds a hang only. */
const EXIT_DEADLINE_MS = 60_000;
/** Deadline for every worker process to start: generous, it bounds a hang only. */
const START_DEADLINE_MS = 30_000;
const COUNTER_KEY = 'fault-tests:counter';
const RESOURCE = 'fault-tests:resource';

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const ttlMs = options.ttlMs ?? scenarioDefaults.ttlMs;
  const workerCount = options.workerCount ?? scenarioDefaults.workerCount;
  const increments = options.increments ?? scenarioDefaults.increments;
  const deployment = await startLockDeployment({
    lockServerCount: scenarioDefaults.lockServerCount,
    proxied: options.proxied,
  });
  let fleet: WorkerFleet | undefined;
  try {
    const configs = Array.from({ length: workerCount }, (_, index): WorkerConfig => {
      const workerId = `w${index}`;
      return {
        workerId,
        adapter: options.adapter,
        lockUrls: deployment.lockUrls,
        dataUrl: deployment.dataServer.url,
        resource: RESOURCE,
        counterKey: COUNTER_KEY,
        ttlMs,
        increments,
        nodeTimeoutMs: scenarioDefaults.nodeTimeoutMs,
        retryDelayMs: scenarioDefaults.retryDelayMs,
        retryJitterMs: scenarioDefaults.retryJitterMs,
        waitTimeoutMs: scenarioDefaults.waitTimeoutMs,
        workMs: options.workMs ?? scenarioDefaults.workMs,
        startGate: true,
        barrierEvery: options.barrierEvery,
        stallAtSection: options.stallAtSection?.[workerId],
      };
    });
    fleet = new WorkerFleet(configs);
    await fleet.start(START_DEADLINE_MS);
    const run: ScenarioRun = { deployment, fleet, ttlMs };
    const extraIntervals = (await options.faults(run)) ?? [];
    await fleet.waitForExit(EXIT_DEADLINE_MS);
    const finalCounter = await deployment.readCounter(COUNTER_KEY);
    const verdict = checkHistory(fleet.sections, finalCounter, extraIntervals);
    const keysAtExit = await deployment.lockKeys();
    const leftoverKeys = await waitForNoLockKeys(deployment, options.leftoverKeysDeadlineMs ?? 0);
    const leftoverDetails = await describeLeftovers(deployment, fleet);
    const acquireFailures = fleet.events.filter((event) => event.type === 'acquire-failed').length;
    const summary: ScenarioSummary = {
      scenario: options.name,
      adapter: options.adapter,
      workers: workerCount,
      increments,
      sectionsChecked: verdict.sectionsChecked,
      overlaps: verdict.overlaps.length,
      lostIncrements: verdict.lostIncrements,
      leftoverKeys: leftoverKeys.flat().length,
      keysAtExit: keysAtExit.flat().length,
      acquireFailures,
      durationMs: Math.round(performance.now() - startedAt),
    };
    reportFigures(summary);
    return {
      ...run,
      verdict,
      finalCounter,
      keysAtExit,
      leftoverKeys,
      leftoverDetails,
      acquireFailures,
      summary,
    };
  } finally {
    await fleet?.killAll();
    await deployment.stop();
  }
}

/** One phase of a phased scenario (see {@link runPhases}). */
export interface Phase {
  /** Runs while every worker waits at the barrier before this phase (nothing is held). */
  readonly before?: () => Promise<void> | void;
  /** Runs once the phase is under way (a few sections done): inject or heal a fault here. */
  readonly during?: () => Promise<void> | void;
}

/** Sections that must complete in a phase before its `during` step runs, so the fault lands mid-run. */
const SECTIONS_BEFORE_FAULT = 2;
/** Bound on one phase: generous, it only stops a hung run. */
const PHASE_DEADLINE_MS = 30_000;

/**
 * Drives workers that stop at a barrier every `barrierEvery` sections (so
 * `increments` must be `phases.length * barrierEvery`): each phase runs its
 * `before` step at the barrier, lets the workers go, runs its `during` step
 * once they are busy, and ends when every worker reached the next barrier
 * (or exited, after the last phase). Every phase thus gets the same number
 * of sections, whatever the speed of the machine.
 */
export async function runPhases(fleet: WorkerFleet, phases: readonly Phase[]): Promise<void> {
  for (const [index, phase] of phases.entries()) {
    if (index > 0) {
      await fleet.waitForBarrier(PHASE_DEADLINE_MS);
      await phase.before?.();
      fleet.passBarrier();
    } else {
      await phase.before?.();
    }
    if (phase.during) {
      await fleet.waitForMoreSections(SECTIONS_BEFORE_FAULT, PHASE_DEADLINE_MS);
      await phase.during();
    }
  }
}

/**
 * Polls every lock server until none holds a key, or the deadline passes;
 * resolves with the keys left (empty lists when clean). Polling is the only
 * way to see a TTL run out; the deadline is explicit.
 */
async function waitForNoLockKeys(
  deployment: LockDeployment,
  deadlineMs: number,
): Promise<string[][]> {
  const giveUpAt = performance.now() + deadlineMs;
  for (;;) {
    const keys = await deployment.lockKeys();
    if (keys.every((list) => list.length === 0) || performance.now() >= giveUpAt) return keys;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function describeLeftovers(deployment: LockDeployment, fleet: WorkerFleet): Promise<string> {
  const keys = await deployment.describeLockKeys();
  const owners = fleet.sections
    .filter((section) => keys.includes(section.value))
    .map(
      (section) =>
        `${section.worker}#${section.index} held ${section.value}: ${JSON.stringify(section)}`,
    );
  return [keys, ...owners].join('\n');
}

/**
 * Prints the run's figures, and appends them as a JSON line to
 * `$FAULT_TESTS_FIGURES` when set (used to fill the table in docs/safety.md).
 */
function reportFigures(summary: ScenarioSummary): void {
  console.info(`[fault-tests] ${JSON.stringify(summary)}`);
  const file = process.env.FAULT_TESTS_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(summary)}\n`);
}
