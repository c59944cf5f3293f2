import type { Scheduler } from './scheduler.js';

/**
 * A local clock that runs at its own rate against virtual time: it reads
 * `offsetMs + rate * virtualNow`. A rate of `1.001` is a clock that gains
 * 1 ms per second. Servers expire keys on their own clock and clients
 * measure validity on theirs, so the difference between rates is the drift
 * Redlock's `driftFactor` has to absorb.
 */
export class DriftingClock {
  constructor(
    private readonly scheduler: Scheduler,
    /** Local ms per virtual ms, e.g. `0.999` or `1.002`. */
    readonly rate: number,
    /** Reading at virtual time 0, so that clocks do not agree on absolute values. */
    readonly offsetMs: number,
  ) {}

  now(): number {
    return this.offsetMs + this.rate * this.scheduler.now;
  }

  /** Virtual ms until this clock has advanced by `localMs`. */
  toVirtualMs(localMs: number): number {
    return localMs / this.rate;
  }
}
