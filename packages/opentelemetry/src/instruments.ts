import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** Seconds, in buckets from a round trip on a LAN to a long wait for a busy lock. */
const SECONDS_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
const ATTEMPT_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100];

/** The metrics `instrumentRedlock` records; see docs/observability.md for what each means. */
export interface RedlockInstruments {
  readonly acquireDuration: Histogram;
  readonly acquireWaitTime: Histogram;
  readonly acquireAttempts: Histogram;
  readonly acquireContended: Counter;
  readonly extendDuration: Histogram;
  readonly releaseDuration: Histogram;
  readonly locksLost: Counter;
  readonly nodeFailures: Counter;
}

/** Creates Redlock's instruments on `meter`. */
export function createInstruments(meter: Meter): RedlockInstruments {
  return {
    acquireDuration: meter.createHistogram('redlock.acquire.duration', {
      description:
        'Time from asking for a lock to having it or giving up, waits and retries included.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    acquireWaitTime: meter.createHistogram('redlock.acquire.wait_time', {
      description:
        'Part of an acquisition spent waiting for another owner (between attempts, in line), not asking the nodes.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    acquireAttempts: meter.createHistogram('redlock.acquire.attempts', {
      description: 'Rounds of requests an acquisition sent to the nodes; 1 when uncontended.',
      unit: '{attempt}',
      advice: { explicitBucketBoundaries: ATTEMPT_BUCKETS },
    }),
    acquireContended: meter.createCounter('redlock.acquire.contended', {
      description: 'Acquisitions that found the lock held by another owner at least once.',
      unit: '{acquisition}',
    }),
    extendDuration: meter.createHistogram('redlock.extend.duration', {
      description: 'Time an extension round took.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    releaseDuration: meter.createHistogram('redlock.release.duration', {
      description: 'Time until a release was confirmed by a quorum (or every node answered).',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    locksLost: meter.createCounter('redlock.lock.lost', {
      description: 'Locks kept alive by `using` that were lost while the routine ran.',
      unit: '{lock}',
    }),
    nodeFailures: meter.createCounter('redlock.node.failures', {
      description: 'Requests to a node that failed (error) or got no answer in time (timeout).',
      unit: '{request}',
    }),
  };
}
