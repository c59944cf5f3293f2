import type { ServerAddress } from '../contender.js';

/** The environment variable that makes the benchmark bundle start as a worker (see main.ts). */
export const WORKER_ROLE_ENV = 'REDLOCK_BENCH_ROLE';
export const WORKER_ROLE = 'multi-process-worker';

/** Parent -> worker: connect this contender and get ready. */
export interface OpenMessage {
  readonly type: 'open';
  readonly contenderId: string;
  readonly servers: readonly ServerAddress[];
  readonly workerIndex: number;
  readonly keys: readonly string[];
  /** Cumulative popularity of `keys` (last entry 1): a worker draws its next key from it. */
  readonly cumulativeWeights: readonly number[];
  readonly seed: number;
  readonly holdMs: number;
  readonly thinkMs: number;
}

/**
 * Parent -> worker: run. Times are in ms since `baseNs`, a reading of
 * `process.hrtime.bigint()` in the parent: CLOCK_MONOTONIC on Linux, one
 * kernel clock for every process on the machine, so the workers' readings
 * can be compared with each other to the microsecond (unlike
 * `performance.now()`, whose origin is each process's own start).
 */
export interface GoMessage {
  readonly type: 'go';
  readonly baseNs: string;
  readonly startMs: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** After the window, how long an acquisition still in flight may take before it is cut off. */
  readonly graceMs: number;
}

export type ParentMessage = OpenMessage | GoMessage;

/** What one worker measured. */
export interface WorkerResult {
  /** Flat triples `[keyIndex, heldFromMs, heldToMs]` of every critical section, warm-up included. */
  readonly sections: number[];
  /** Waits (ms) of acquisitions that ended in or after the window. */
  readonly waits: number[];
  /** Waits still unfinished at the cut-off, with their length so far (a lower bound). */
  readonly unfinishedWaits: number[];
  /** Critical sections begun inside the window. */
  readonly turns: number;
  /** Acquire attempts (rounds) of the acquisitions counted in `waits`. */
  readonly attempts: number;
  /** Acquisitions whose attempts could be counted. */
  readonly attemptsCounted: number;
  /** Whether the votes of each round were seen (ours, through wrapped nodes). */
  readonly votesCounted: boolean;
  /** Ours only: failed rounds by how many nodes said yes (index = yes votes). */
  readonly failedRoundsByVotes: number[];
  /** Ours only: release notifications (watch callbacks) received. */
  readonly releaseNotifications: number;
  /** Ours: ms from the last release notification received to holding, per acquisition that got one. */
  readonly wakeToHeld: number[];
  readonly acquireErrors: number;
  readonly releaseErrors: number;
  readonly lastError?: string;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'result'; readonly result: WorkerResult };
