/**
 * # Diagnostics channels
 *
 * Redlock publishes what it does on `node:diagnostics_channel`, the hook
 * undici, fastify and pg use for instrumentation, so tracing and metrics
 * need no wrapper around your Redlock (see `@redlock/opentelemetry`):
 *
 * - `redlock:acquire`, `redlock:extend`, `redlock:release`: tracing channels
 *   (`start`, `end`, `asyncStart`, `asyncEnd`, `error`). The message is one
 *   object per operation ({@link AcquireMessage}, {@link ExtendMessage},
 *   {@link ReleaseMessage}); its `outcome`, `attempts` and `rounds` are
 *   filled in by the time `asyncEnd` is published.
 * - `redlock:lock-lost`: a plain channel, published when a lock kept alive by
 *   `using` is lost ({@link LockLostMessage}).
 * - `redlock:late-outcome`: a plain channel, published when a node answers
 *   (or fails, or times out) after its round was already decided without it
 *   ({@link LateOutcomeMessage}); the round's own messages report such a
 *   node as `pending`, so this is where a slow or failing minority shows.
 *
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * diagnostics_channel.tracingChannel('redlock:acquire').subscribe({
 *   start() {},
 *   end() {},
 *   asyncStart() {},
 *   error() {},
 *   asyncEnd(message) {
 *     console.log(message.resources, message.outcome, message.attempts);
 *   },
 * });
 * ```
 *
 * With no subscriber nothing is built or published: each operation checks
 * `hasSubscribers` first, so the cost is a few property reads.
 *
 * @module
 */
import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { AcquisitionHooks } from './acquisition.js';
import { InvalidArgumentError, LockAcquireError, type LockLostError } from './errors.js';
import type { Lock } from './lock.js';
import type { AttemptReport, NodeOutcome, ReleaseReport } from './reports.js';
import type { RedlockRuntime } from './runtime.js';

/** The names of the channels Redlock publishes on. */
export const diagnosticsChannels = {
  acquire: 'redlock:acquire',
  extend: 'redlock:extend',
  release: 'redlock:release',
  lockLost: 'redlock:lock-lost',
  lateOutcome: 'redlock:late-outcome',
} as const;

/** Which call acquired: `acquire`, `tryAcquire` or `using`. */
export type AcquireOperation = 'acquire' | 'tryAcquire' | 'using';

/**
 * How an acquisition ended: `acquired`; `contention` (`tryAcquire` found it
 * held and resolved `null`); `failed` (gave up: retries, wait timeout, or
 * failing nodes); `aborted` (the caller's signal); `invalid` (bad input,
 * or a node refused the call as invalid).
 */
export type AcquireOutcome = 'acquired' | 'contention' | 'failed' | 'aborted' | 'invalid';

/** The message of the `redlock:acquire` tracing channel. */
export interface AcquireMessage {
  readonly operation: AcquireOperation;
  /** The resources asked for, in order. */
  readonly resources: readonly string[];
  readonly ttlMs: number;
  /** Attempts (rounds sent to the nodes) so far; final at `asyncEnd`. */
  readonly attempts: number;
  /** Every decided round, in order, the winning one included. */
  readonly rounds: readonly AttemptReport[];
  /**
   * Milliseconds the acquisition spent waiting rather than asking: in the
   * line behind other callers of this process and between attempts. 0 when
   * the first attempt got the lock.
   */
  readonly waitedMs: number;
  /** Whether any round found a resource held by another owner. */
  readonly contended: boolean;
  /** Set at `asyncEnd`. */
  readonly outcome: AcquireOutcome | undefined;
  /** The lock, when `outcome` is `acquired`. */
  readonly lock: Lock | undefined;
  /** Set by the tracing channel: the value the call resolved with. */
  readonly result?: unknown;
  /** Set by the tracing channel: the error the call rejected with. */
  readonly error?: unknown;
}

/** The message of the `redlock:extend` tracing channel. */
export interface ExtendMessage {
  readonly resources: readonly string[];
  readonly ttlMs: number;
  readonly lock: Lock;
  /** The extension round, when one was sent (none for a lock already released, lost or expired). */
  readonly round: AttemptReport | undefined;
  /** `extended`, or `lost` (the extension failed and the lock must be treated as gone). Set at `asyncEnd`. */
  readonly outcome: 'extended' | 'lost' | undefined;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** The message of the `redlock:release` tracing channel. */
export interface ReleaseMessage {
  readonly resources: readonly string[];
  readonly lock: Lock;
  /** What each node did; set at `asyncEnd` (release never rejects). */
  readonly report: ReleaseReport | undefined;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** The message of the `redlock:lock-lost` channel. */
export interface LockLostMessage {
  readonly resources: readonly string[];
  readonly lock: Lock;
  /** The reason `using` aborted its routine's signal with. */
  readonly error: LockLostError;
}

/** Which kind of round a late outcome belongs to (`release` includes undoing a failed attempt). */
export type RoundOperation = 'acquire' | 'extend' | 'release';

/** The message of the `redlock:late-outcome` channel. */
export interface LateOutcomeMessage {
  readonly operation: RoundOperation;
  readonly resources: readonly string[];
  /** What the node did, as it would have appeared in the round's outcomes. */
  readonly outcome: NodeOutcome;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type PendingAcquire = Mutable<AcquireMessage> & {
  readonly rounds: AttemptReport[];
  readonly runtime: Pick<RedlockRuntime, 'now'>;
  /** When the wait in progress began, on the Redlock's clock. */
  waitStartedAt: number | undefined;
};

const acquireChannel = tracingChannel<unknown, AcquireMessage>(diagnosticsChannels.acquire);
const extendChannel = tracingChannel<unknown, ExtendMessage>(diagnosticsChannels.extend);
const releaseChannel = tracingChannel<unknown, ReleaseMessage>(diagnosticsChannels.release);
const lockLostChannel = channel(diagnosticsChannels.lockLost);
const lateOutcomeChannel = channel(diagnosticsChannels.lateOutcome);

/**
 * @internal A round's listener for answers that come after it was decided,
 * or `undefined` (nothing built) when nobody listens and `inner` is unset.
 */
export function lateOutcomeListener(
  operation: RoundOperation,
  keys: readonly string[],
  inner?: (index: number, outcome: NodeOutcome) => void,
): ((index: number, outcome: NodeOutcome) => void) | undefined {
  if (!lateOutcomeChannel.hasSubscribers) return inner;
  return (index, outcome) => {
    inner?.(index, outcome);
    if (!lateOutcomeChannel.hasSubscribers) return;
    const message: LateOutcomeMessage = { operation, resources: keys, outcome };
    lateOutcomeChannel.publish(message);
  };
}

/**
 * `TracingChannel.hasSubscribers` exists from Node 20.13 only; the five
 * channels' own flags work on every Node 20.
 */
function traced(channels: typeof acquireChannel | typeof extendChannel | typeof releaseChannel) {
  return (
    channels.start.hasSubscribers ||
    channels.end.hasSubscribers ||
    channels.asyncStart.hasSubscribers ||
    channels.asyncEnd.hasSubscribers ||
    channels.error.hasSubscribers
  );
}

/** @internal Whether an acquisition must be traced (check before building anything). */
export const acquireTraced = (): boolean => traced(acquireChannel);
/** @internal */
export const extendTraced = (): boolean => traced(extendChannel);
/** @internal */
export const releaseTraced = (): boolean => traced(releaseChannel);

// Acquisitions being traced, by their validated keys array (a fresh copy per
// call, the same array the loop's hooks are given): the hooks fill in the
// message of their own call. `tracing` keeps the hooks to one compare when
// nothing is traced.
const pending = new WeakMap<readonly string[], PendingAcquire>();
let tracing = 0;

/**
 * @internal The acquisition loop's hooks: count attempts, time the waits,
 * keep every round, for the message of a traced acquisition.
 */
export const diagnosticsHooks: AcquisitionHooks = {
  onAttempt(keys, attempt) {
    if (tracing === 0) return;
    const message = pending.get(keys);
    if (!message) return;
    message.attempts = attempt + 1;
    if (message.waitStartedAt !== undefined) {
      message.waitedMs += message.runtime.now() - message.waitStartedAt;
      message.waitStartedAt = undefined;
    }
  },
  onAttemptFailed(keys, _attempt, report) {
    if (tracing === 0) return;
    pending.get(keys)?.rounds.push(report);
  },
  onWait(keys) {
    if (tracing === 0) return;
    const message = pending.get(keys);
    if (message) message.waitStartedAt = message.runtime.now();
  },
  onAcquired(lock, report) {
    if (tracing === 0 || report === undefined) return;
    pending.get(lock.resources)?.rounds.push(report);
  },
};

/** @internal Run an acquisition under the `redlock:acquire` tracing channel. */
export function traceAcquire(
  operation: AcquireOperation,
  keys: readonly string[],
  ttlMs: number,
  runtime: Pick<RedlockRuntime, 'now'>,
  acquire: () => Promise<Lock | null>,
): Promise<Lock | null> {
  const message: PendingAcquire = {
    operation,
    resources: keys,
    ttlMs,
    attempts: 0,
    rounds: [],
    waitedMs: 0,
    contended: false,
    outcome: undefined,
    lock: undefined,
    runtime,
    waitStartedAt: undefined,
  };
  pending.set(keys, message);
  tracing++;
  return acquireChannel.tracePromise(async () => {
    try {
      const lock = await acquire();
      message.outcome = lock === null ? 'contention' : 'acquired';
      message.lock = lock ?? undefined;
      return lock;
    } catch (error) {
      message.outcome = acquireOutcomeOf(error);
      throw error;
    } finally {
      // Gave up while waiting (the signal, the deadline): that wait counts too.
      if (message.waitStartedAt !== undefined) {
        message.waitedMs += runtime.now() - message.waitStartedAt;
      }
      message.contended = message.rounds.some((round) =>
        round.outcomes.some((outcome) => outcome.status === 'held'),
      );
      pending.delete(keys);
      tracing--;
    }
  }, message);
}

function acquireOutcomeOf(error: unknown): AcquireOutcome {
  if (error instanceof LockAcquireError) return error.code === 'ABORTED' ? 'aborted' : 'failed';
  if (error instanceof InvalidArgumentError) return 'invalid';
  return 'failed';
}

/**
 * @internal Run an extension under `redlock:extend`; `extend` is given the
 * callback that records its round.
 */
export function traceExtend<T>(
  lock: Lock,
  ttlMs: number,
  extend: (onRound: (report: AttemptReport) => void) => Promise<T>,
): Promise<T> {
  const message: Mutable<ExtendMessage> = {
    resources: lock.resources,
    ttlMs,
    lock,
    round: undefined,
    outcome: undefined,
  };
  return extendChannel.tracePromise(async () => {
    try {
      const result = await extend((report) => {
        message.round = report;
      });
      message.outcome = 'extended';
      return result;
    } catch (error) {
      message.outcome = 'lost';
      throw error;
    }
  }, message);
}

/** @internal Run a release under `redlock:release`. */
export function traceRelease(
  lock: Lock,
  release: () => Promise<ReleaseReport>,
): Promise<ReleaseReport> {
  const message: Mutable<ReleaseMessage> = {
    resources: lock.resources,
    lock,
    report: undefined,
  };
  return releaseChannel.tracePromise(async () => {
    const report = await release();
    message.report = report;
    return report;
  }, message);
}

/** @internal Tell `redlock:lock-lost` subscribers that a `using` lock was lost. */
export function publishLockLost(lock: Lock, error: LockLostError): void {
  if (!lockLostChannel.hasSubscribers) return;
  const message: LockLostMessage = { resources: lock.resources, lock, error };
  lockLostChannel.publish(message);
}
