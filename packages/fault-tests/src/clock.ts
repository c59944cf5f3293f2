/**
 * Milliseconds on the machine's monotonic clock (`CLOCK_MONOTONIC`, read
 * through `process.hrtime`). Unlike `performance.now()`, whose origin is
 * per process, and `Date.now()`, which NTP may step, this clock is one and
 * the same for every process on the machine: critical sections recorded by
 * different worker processes (and fault times recorded by the test) can be
 * ordered against each other exactly.
 */
export function monotonicNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Wall-clock epoch milliseconds with sub-millisecond precision, comparable with `lock.expiration`. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
