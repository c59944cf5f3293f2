/**
 * Attribute names on Redlock's spans and metrics. Metric attributes are
 * bounded: outcome, operation, node name (the nodes are a fixed, credential-
 * free list). Resource names are not, so they go on metrics only when
 * `resourceNamesInMetrics` is on.
 */
export const RedlockAttributes = {
  /** `acquire`, `tryAcquire` or `using` (acquisitions); `acquire`, `extend` or `release` (node failures). */
  OPERATION: 'redlock.operation',
  /** How it ended: `acquired`, `contention`, `failed`, `aborted`, `invalid`; `extended` or `lost`; `released`. */
  OUTCOME: 'redlock.outcome',
  /** The locked resources (spans; metrics only when opted in, joined with `,`). */
  RESOURCES: 'redlock.resources',
  /** The lock's TTL in ms (spans). */
  TTL_MS: 'redlock.ttl_ms',
  /** Attempts an acquisition made (spans). */
  ATTEMPTS: 'redlock.attempts',
  /** Ms an acquisition spent waiting for its turn (spans). */
  WAIT_MS: 'redlock.wait_ms',
  /** Whether an acquisition found the lock held by another owner (spans). */
  CONTENDED: 'redlock.contended',
  /** The node's name, e.g. `redis://10.0.0.3:6379/0` (node failures). */
  NODE: 'redlock.node',
  /** `error` or `timeout` (node failures). */
  FAILURE: 'redlock.failure',
  /** Nodes that confirmed a release (spans). */
  RELEASED_NODES: 'redlock.released_nodes',
} as const;
