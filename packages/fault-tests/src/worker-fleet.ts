/**
 * Several worker processes contending for one lock, and a way to wait for
 * progress across all of them.
 */
import { WorkerProcess } from './worker-process.js';
import type { SectionRecord, WorkerConfig, WorkerEvent } from './worker-protocol.js';

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

export class WorkerFleet {
  readonly workers: WorkerProcess[];
  readonly #waiters = new Set<Waiter>();

  /** Starts one worker per config. */
  constructor(configs: readonly WorkerConfig[]) {
    this.workers = configs.map((config) => new WorkerProcess(config, () => this.#check()));
    for (const worker of this.workers) void worker.exited.then(() => this.#check());
  }

  worker(id: string): WorkerProcess {
    const worker = this.workers.find((candidate) => candidate.id === id);
    if (!worker) throw new Error(`no worker "${id}"`);
    return worker;
  }

  /** Every completed critical section of every worker. */
  get sections(): SectionRecord[] {
    return this.workers.flatMap((worker) => worker.sections);
  }

  get events(): WorkerEvent[] {
    return this.workers.flatMap((worker) => worker.events);
  }

  get runningCount(): number {
    return this.workers.filter((worker) => worker.exit === undefined).length;
  }

  /**
   * Resolves once `condition` holds, re-checked on every event and exit.
   * Rejects, describing every worker, if it does not hold within
   * `deadlineMs` (a bound against hanging, never a synchronisation), or if
   * every worker has exited without it holding.
   */
  waitUntil(what: string, condition: () => boolean, deadlineMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(() => reject(this.#failure(`no "${what}" within ${deadlineMs} ms`))),
        deadlineMs,
      );
      const waiter: Waiter = {
        ready: () => {
          if (condition()) return true;
          if (this.runningCount === 0) {
            finish(() => reject(this.#failure(`every worker exited before "${what}"`)));
          }
          return false;
        },
        resolve: () => finish(resolve),
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        settle();
      };
      this.#waiters.add(waiter);
      this.#check();
    });
  }

  /** Waits until `count` more critical sections than now have completed. */
  waitForMoreSections(count: number, deadlineMs: number): Promise<void> {
    const target = this.sections.length + count;
    return this.waitUntil(
      `${count} more critical sections (${target} in all)`,
      () => this.sections.length >= target,
      deadlineMs,
    );
  }

  #barriersPassed = 0;

  /**
   * For workers with `startGate`: waits until every worker is ready (its
   * clients created), then lets them all start at once.
   */
  async start(deadlineMs: number): Promise<void> {
    await this.waitUntil(
      'every worker ready',
      () => this.workers.every((worker) => worker.events.some((event) => event.type === 'ready')),
      deadlineMs,
    );
    for (const worker of this.workers) worker.proceed();
  }

  /**
   * Waits until every worker is at its next barrier (see
   * `WorkerConfig.barrierEvery`): each has finished the phase and holds
   * nothing.
   */
  waitForBarrier(deadlineMs: number): Promise<void> {
    const barrier = this.#barriersPassed + 1;
    return this.waitUntil(
      `every worker at barrier ${barrier}`,
      () => this.workers.every((worker) => worker.barriersReached >= barrier),
      deadlineMs,
    );
  }

  /** Lets every worker go on from the barrier it waits at. */
  passBarrier(): void {
    this.#barriersPassed++;
    for (const worker of this.workers) worker.proceed();
  }

  /** Waits for every worker to exit; rejects after `deadlineMs`. */
  async waitForExit(deadlineMs: number): Promise<void> {
    await this.waitUntil('every worker exited', () => this.runningCount === 0, deadlineMs);
  }

  /** SIGKILLs whatever still runs (cleanup after a failed test). */
  async killAll(): Promise<void> {
    for (const worker of this.workers) if (worker.exit === undefined) worker.kill('SIGKILL');
    await Promise.all(this.workers.map((worker) => worker.exited));
  }

  describe(): string {
    return this.workers.map((worker) => worker.describe()).join('\n');
  }

  #failure(message: string): Error {
    return new Error(`${message}; ${this.sections.length} sections so far\n${this.describe()}`);
  }

  #check(): void {
    for (const waiter of [...this.#waiters]) if (waiter.ready()) waiter.resolve();
  }
}
