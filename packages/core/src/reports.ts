/**
 * What the nodes did, as Redlock reports it: per node in a round
 * ({@link NodeOutcome}), per round ({@link AttemptReport}), and per release
 * ({@link ReleaseReport}). Errors carry them; successful locks too.
 *
 * @module
 */

/**
 * What one node did in one round of requests. `acquired`, `extended`,
 * `released` and `raised` (a fencing write-back) are successes of the
 * matching operation; `held` means another owner holds a key (with its
 * remaining TTL, -1 if unknown); `not-held` means our value was not there to
 * extend or release (expired, or never set); `restarting` means the node's
 * server started less than `restartGuardMs` ago, so its answer did not count
 * (with how long ago, and when it counts again); `error` carries the node's
 * rejection; `timeout` means no answer within the per-node timeout;
 * `pending` means the round was decided before the node answered.
 */
export type NodeOutcome =
  | {
      readonly node: string;
      readonly status: 'acquired' | 'extended' | 'raised' | 'not-held' | 'pending' | 'timeout';
    }
  | {
      readonly node: string;
      readonly status: 'restarting';
      /** How long ago the node's server started (ms). */
      readonly restartedMsAgo: number;
      /** In how many ms its answers count again. */
      readonly countedAgainInMs: number;
    }
  | { readonly node: string; readonly status: 'released'; readonly deleted: number }
  | { readonly node: string; readonly status: 'held'; readonly pttl: number }
  | { readonly node: string; readonly status: 'error'; readonly cause: unknown };

/** One round of requests to every node: an acquisition attempt or an extension. */
export interface AttemptReport {
  /** Per node, in the order the nodes were given to `Redlock`. */
  readonly outcomes: readonly NodeOutcome[];
  /** Monotonic ms the round took until it was decided. */
  readonly elapsedMs: number;
  /** Remaining validity when the round was decided (may be <= 0). */
  readonly validityMs: number;
}

/**
 * What `lock.release()` did on each node. Releasing never throws. It
 * resolves once a quorum of nodes deleted the keys (or every node answered,
 * or the per-node timeout passed); nodes that had not answered by then are
 * `pending`: they were sent the release and apply it in order.
 */
export interface ReleaseReport {
  /** Nodes that confirmed deleting a key of this lock before the report was made. */
  readonly releasedNodes: number;
  /** Per node, in the order the nodes were given to `Redlock`. */
  readonly outcomes: readonly NodeOutcome[];
}
