/**
 * How many waiters in other processes (or other Redlock instances) are
 * likely to wake on the same release as ours: the herd. Every process that
 * waits for a resource hears every release of it through `watch`; if each
 * sent an attempt at once, all but one would lose (or the votes would
 * split), and on a busy machine those lost rounds cost more than they save
 * (measured: 4.7 attempts per critical section at 6 processes, 12.7 at 12,
 * against 2 for a plain poller; see docs/benchmarks.md).
 *
 * So a release by someone else wakes our waiter only with probability
 * `min(1, passed / herd)`: `passed` is the number of such releases the
 * waiter has heard since its acquisition began, so a waiter that has let
 * `herd` of them go by wakes for sure, and turns still go round. The
 * estimate grows by one whenever an attempt woken this way loses to
 * another owner (failing nodes say nothing of the herd) and shrinks by
 * one whenever it wins, so it settles where about half the
 * woken attempts win. With one other process it stays at 1: every
 * release wakes our waiter, as before.
 *
 * It only decides *when* to send an attempt: the attempt itself, and with
 * it every safety argument, is unchanged. A waiter not woken still has its
 * own retry timer.
 */
export class HerdEstimate {
  #size = 1;

  /** The current estimate (at least 1). */
  get size(): number {
    return this.#size;
  }

  /** Whether a waiter that heard `passed` releases elsewhere (this one included) should wake for this one. */
  wakes(passed: number, random: number): boolean {
    return random * this.#size < passed;
  }

  /** An attempt woken by a release elsewhere lost to another owner (a node said "held"). */
  lost(): void {
    if (this.#size < MAX_HERD) this.#size++;
  }

  /** An attempt woken by a release elsewhere won. */
  won(): void {
    if (this.#size > 1) this.#size--;
  }
}

/** Above this a waiter still wakes at least once per `MAX_HERD` releases, and its timer bounds the rest. */
const MAX_HERD = 64;
