import type { Redlock, RedlockRuntime } from '@redlock/core';
import { DriftingClock } from './drifting-clock.js';
import { deriveSeed, Prng } from './prng.js';
import type { ClientSpec } from './scenario.js';
import type { ScheduledEvent, Scheduler } from './scheduler.js';

/** Fixed epoch origin of every client's wall clock, so traces do not depend on the date. */
export const EPOCH_ORIGIN_MS = Date.UTC(2030, 0, 1);

/**
 * One client process: its clock, its random streams, its `RedlockRuntime`
 * on virtual time, and whether it is paused or dead. Its timers and the
 * replies it receives are scheduler events owned by it, so a pause holds
 * them back and a crash drops them.
 */
export class SimulatedClient {
  readonly id: number;
  readonly name: string;
  readonly clock: DriftingClock;
  /** Drives the workload: what to do next, for how long. */
  readonly random: Prng;
  readonly runtime: RedlockRuntime;
  /** Set once the world has built the client's Redlock over its links. */
  redlock!: Redlock;
  /** Virtual time until which the process is stopped; what came due meanwhile runs then. */
  pausedUntil = Number.NEGATIVE_INFINITY;
  crashed = false;
  /** Events that came due while paused, in the order they came due. */
  readonly heldBack: ScheduledEvent[] = [];
  /** What the workload is doing now, for liveness reports. */
  activity = 'starting';
  /** Operations the workload started. */
  operationsStarted = 0;
  #values = 0;

  constructor(
    readonly spec: ClientSpec,
    private readonly scheduler: Scheduler,
    runSeed: number,
  ) {
    this.id = spec.id;
    this.name = `c${spec.id}`;
    this.clock = new DriftingClock(scheduler, spec.clockRate, spec.clockOffsetMs);
    // Two streams: the algorithm's jitter and values, and the workload's choices.
    const runtimeRandom = new Prng(deriveSeed(runSeed, 1000 + spec.id * 2));
    this.random = new Prng(deriveSeed(runSeed, 1001 + spec.id * 2));
    this.runtime = {
      now: () => this.clock.now(),
      epochNow: () => EPOCH_ORIGIN_MS + this.clock.now(),
      setTimer: (callback, delayMs) =>
        this.scheduler.schedule(this.clock.toVirtualMs(delayMs), this.id, 'timer', callback),
      clearTimer: (handle) => {
        if (handle !== undefined && handle !== null) (handle as ScheduledEvent).cancelled = true;
      },
      random: () => runtimeRandom.next(),
      // Readable in traces (who, which acquisition) and still 32 random bits.
      randomValue: () => `${this.name}.${++this.#values}.${runtimeRandom.hex(8)}`,
    };
  }

  /** Whether the process is stopped at this instant. */
  get paused(): boolean {
    return this.pausedUntil > this.scheduler.now;
  }

  /** Sleep `localMs` on this client's clock (the workload's "doing work"). */
  sleep(localMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.scheduler.schedule(this.clock.toVirtualMs(localMs), this.id, 'sleep', resolve);
    });
  }
}
