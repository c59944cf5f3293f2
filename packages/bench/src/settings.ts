/**
 * The settings every implementation runs with, chosen to be as equivalent as
 * each library allows (see docs/benchmarks.md for the per-library mapping).
 */
export const LOCK_SETTINGS = {
  /** Independent redis-server masters. */
  nodeCount: 5,
  /** Votes needed: a majority of 5. */
  quorum: 3,
  /** TTL of every lock. Long against every critical section here, so no lock expires while held. */
  ttlMs: 5_000,
  /** Clock drift allowance as a fraction of the TTL (the node-redlock default). */
  driftFactor: 0.01,
  /**
   * Wait between attempts on a held lock, drawn uniformly from
   * [retryDelayMinMs, retryDelayMaxMs] where the library allows jitter, and
   * their midpoint where it does not.
   */
  retryDelayMinMs: 10,
  retryDelayMaxMs: 20,
  /** Per-node request bound: our `nodeTimeoutMs` (its default) and its equivalents. */
  nodeTimeoutMs: 100,
} as const;

/** Midpoint of the retry window, for libraries with a fixed retry delay. */
export const FIXED_RETRY_DELAY_MS =
  (LOCK_SETTINGS.retryDelayMinMs + LOCK_SETTINGS.retryDelayMaxMs) / 2;

/** How long and how many times each scenario measures; `quick` is a smoke run. */
export interface RunPlan {
  /** Interleaved rounds of the sequential scenarios, so a noisy moment hits every implementation. */
  readonly rounds: number;
  readonly uncontendedMsPerRound: number;
  readonly uncontendedWarmupCycles: number;
  readonly contendedRounds: number;
  readonly contendedMsPerRound: number;
  readonly contendedWarmupMs: number;
  readonly contendedWorkers: number;
  readonly holdMs: number;
  readonly thinkMs: number;
  readonly multiResourceKeys: number;
  readonly multiResourceMsPerRound: number;
  readonly degradedPausedServers: number;
  readonly degradedMs: number;
  /** Extra time a degraded run may take before it is abandoned as "timed out". */
  readonly degradedGraceMs: number;
  readonly coreOverheadMs: number;
  readonly memoryCycles: number;
  readonly memoryRedisCycles: number;
  readonly memoryWarmupCycles: number;
  /** Concurrent lockers, each cycling on a key of its own, in the many-keys scenario. */
  readonly manyKeysLockers: number;
  readonly manyKeysMsPerRound: number;
  /** Rounds of each multi-process scenario; every contender runs in fresh processes each round. */
  readonly multiProcessRounds: number;
  readonly multiProcessWarmupMs: number;
  readonly multiProcessMsPerRound: number;
  /** How long an acquisition in flight at the window's end may still finish before it is cut off. */
  readonly multiProcessGraceMs: number;
}

export const FULL_PLAN: RunPlan = {
  rounds: 6,
  uncontendedMsPerRound: 500,
  uncontendedWarmupCycles: 300,
  contendedRounds: 3,
  contendedMsPerRound: 1_500,
  contendedWarmupMs: 300,
  contendedWorkers: 8,
  holdMs: 1,
  thinkMs: 1,
  multiResourceKeys: 10,
  multiResourceMsPerRound: 350,
  degradedPausedServers: 2,
  degradedMs: 4_000,
  degradedGraceMs: 3_000,
  coreOverheadMs: 3_000,
  memoryCycles: 1_000_000,
  memoryRedisCycles: 100_000,
  memoryWarmupCycles: 10_000,
  manyKeysLockers: 64,
  manyKeysMsPerRound: 400,
  multiProcessRounds: 1,
  multiProcessWarmupMs: 500,
  multiProcessMsPerRound: 3_000,
  multiProcessGraceMs: 1_500,
};

export const QUICK_PLAN: RunPlan = {
  ...FULL_PLAN,
  rounds: 1,
  uncontendedMsPerRound: 400,
  uncontendedWarmupCycles: 300,
  contendedRounds: 1,
  contendedMsPerRound: 600,
  contendedWarmupMs: 100,
  multiResourceMsPerRound: 300,
  degradedMs: 500,
  degradedGraceMs: 1_000,
  coreOverheadMs: 500,
  memoryCycles: 50_000,
  memoryRedisCycles: 2_000,
  memoryWarmupCycles: 1_000,
  manyKeysMsPerRound: 300,
  multiProcessRounds: 1,
  multiProcessWarmupMs: 300,
  multiProcessMsPerRound: 700,
  multiProcessGraceMs: 1_000,
};
