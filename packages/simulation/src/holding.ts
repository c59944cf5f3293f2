import type { Lock } from '@redlock/core';
import type { SimulatedClient } from './simulated-client.js';

/** How a client came to hold a lock: the two ways the library offers, plus the liveness probe. */
export type HoldingStyle = 'acquire' | 'try-acquire' | 'using' | 'probe';

/**
 * One lock as one client sees it, from the moment `acquire` (or `using`)
 * handed it over until the client stops relying on it.
 *
 * A client *believes* it holds the lock while all of these are true:
 *
 * - it has not released it, given up on it, or seen an extension fail;
 * - its own clock is before `lock.validUntil`, the end of validity as its
 *   Redlock computed it (`startedAt + ttl - drift`, moved on each successful
 *   extension). Redlock promises nothing after that instant, so a careful
 *   client checks it before acting, and that is what counts here, even
 *   through a GC pause;
 * - for `using`: the routine's signal has not aborted;
 * - the process is alive.
 *
 * Mutual exclusion means no two holdings that share a resource are believed
 * at the same virtual instant.
 */
export class Holding {
  /** Virtual time the belief started. */
  readonly sinceMs: number;
  /** Why the client stopped relying on the lock; `undefined` while it still does. */
  endReason: string | undefined;

  constructor(
    readonly client: SimulatedClient,
    readonly lock: Lock,
    readonly style: HoldingStyle,
    /** `using` only: the routine's signal. */
    readonly signal: AbortSignal | undefined,
    sinceMs: number,
  ) {
    this.sinceMs = sinceMs;
  }

  get ended(): boolean {
    return this.endReason !== undefined;
  }

  /** Whether the client relies on the lock at this instant (see the class comment). */
  get believed(): boolean {
    return (
      this.endReason === undefined &&
      !this.client.crashed &&
      this.signal?.aborted !== true &&
      this.client.clock.now() < this.lock.validUntil
    );
  }

  /** Virtual time at which the client's clock reaches the lock's validity end. */
  get validUntilVirtualMs(): number {
    const { clock } = this.client;
    return (this.lock.validUntil - clock.offsetMs) / clock.rate;
  }

  describe(): string {
    return `${this.client.name} (${this.style}, value ${this.lock.value}, since ${this.sinceMs.toFixed(3)}, valid until ${this.validUntilVirtualMs.toFixed(3)})`;
  }
}
