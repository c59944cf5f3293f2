/**
 * A one-shot "stop every call in flight" signal for a node, as cheap per call
 * as a `Set` insertion. An `AbortSignal` would do the same job, but every
 * call registering and removing an `EventTarget` listener on it was 5 % of
 * the CPU of 64 concurrent lockers over ioredis (`docs/benchmarks.md`,
 * profile). Dozens of calls in flight are normal use, so there is no
 * listener limit to warn about either.
 */
export class Interrupt {
  #aborted = false;
  #reason: unknown;
  readonly #listeners = new Set<(reason: unknown) => void>();

  /** Whether {@link abort} was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted (`undefined` before). */
  get reason(): unknown {
    return this.#reason;
  }

  /** Calls `listener` once, with the reason, when it aborts; not at all if it already has. */
  listen(listener: (reason: unknown) => void): void {
    if (!this.#aborted) this.#listeners.add(listener);
  }

  /** Stops `listener` (a call that settled). */
  forget(listener: (reason: unknown) => void): void {
    this.#listeners.delete(listener);
  }

  /** Aborts once: every listener is told, in the order they listened; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener(reason);
  }
}
