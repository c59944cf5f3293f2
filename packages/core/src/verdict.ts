import type { RoundRules } from './messages.js';
import type { AttemptReport } from './reports.js';
import type { Tally } from './round.js';

/**
 * What a round decided, and the rules that stop a round early.
 *
 * @module
 */

/**
 * When a lock's validity ends, on both clocks. Both come from one instant
 * (the start of the round that set it), so `expiration` never drifts from
 * the monotonic end however late the caller reads the round's result.
 */
export interface Validity {
  /** Monotonic end of validity, on the runtime's `now()` clock. */
  readonly validUntil: number;
  /** The same end in epoch ms (`lock.expiration`). */
  readonly expiration: number;
}

/**
 * The outcome of one acquisition or extension round: whether it won, what
 * each node did, and the validity it gives, computed once as
 * `start + ttl - drift`.
 */
export interface RoundVerdict {
  readonly succeeded: boolean;
  /**
   * The holds alone put quorum out of reach: another owner has the lock.
   * (`false` when failing or slow nodes decided the round.)
   */
  readonly contention: boolean;
  readonly report: AttemptReport;
  readonly validity: Validity;
  /** With `fencing`: the lock's token, written back on a quorum. */
  readonly fencingToken?: bigint | undefined;
  /** The rules the round applied, for its description. */
  readonly rules: RoundRules;
  /** The one-line explanation of the round (for a failed one). */
  describe(): string;
}

/** How an acquisition round may stop before every node answered. */
export type AcquireDecision =
  /** As soon as quorum is reached or out of reach (fastest; the default). */
  | 'quorum'
  /**
   * Also tell contention from failure: stop early only once quorum is
   * reached, or the holds alone rule it out, or failures rule it out even
   * if every node still out said "held". Otherwise wait for the rest
   * (within the per-node timeout). Used by `tryAcquire`.
   */
  | 'contention';

/** Quorum reached, or so many failures that it is out of reach. */
export function quorumDecided(tally: Tally, quorum: number): boolean {
  return tally.successes >= quorum || tally.failures > tally.nodeCount - quorum;
}

/**
 * Quorum reached; or the holds alone rule it out (contention, whatever
 * the others say); or failures rule it out and the holds could not rule
 * it out even if every node still out said "held" (failure, whatever the
 * others say). Anything else depends on the nodes still out.
 */
export function contentionDecided(tally: Tally, quorum: number): boolean {
  const spare = tally.nodeCount - quorum;
  if (tally.successes >= quorum || tally.held > spare) return true;
  const outstanding = tally.nodeCount - tally.settled;
  return tally.failures > spare && tally.held + outstanding <= spare;
}
