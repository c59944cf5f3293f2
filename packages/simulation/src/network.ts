import type { Prng } from './prng.js';
import type { NetworkSpec } from './scenario.js';
import type { Scheduler } from './scheduler.js';

/**
 * The wires between clients and servers: how long each message takes,
 * whether it is lost, and which client-server pairs are cut off. Loss and
 * latency spikes happen only while faults last; afterwards every message
 * arrives within `maxLatencyMs`.
 */
export class Network {
  /** `client:server` -> how many partitions currently cut that pair. */
  readonly #cuts = new Map<string, number>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly random: Prng,
    readonly spec: NetworkSpec,
    private readonly faultsEndMs: number,
    /** Whether each client-server link delivers in order (one TCP connection). */
    readonly fifo: boolean,
  ) {}

  get faultsActive(): boolean {
    return this.scheduler.now < this.faultsEndMs;
  }

  /** Latency of one message (one leg: request or reply). */
  latencyMs(): number {
    const { minLatencyMs, maxLatencyMs, spikeRate, spikeMaxMs } = this.spec;
    if (this.faultsActive && spikeRate > 0 && this.random.chance(spikeRate)) {
      return this.random.between(maxLatencyMs, spikeMaxMs);
    }
    return this.random.between(minLatencyMs, maxLatencyMs);
  }

  /** Whether the next message is lost on the wire. */
  lost(): boolean {
    return this.faultsActive && this.spec.lossRate > 0 && this.random.chance(this.spec.lossRate);
  }

  cut(client: number, server: number): void {
    const key = `${client}:${server}`;
    this.#cuts.set(key, (this.#cuts.get(key) ?? 0) + 1);
  }

  heal(client: number, server: number): void {
    const key = `${client}:${server}`;
    const count = (this.#cuts.get(key) ?? 0) - 1;
    if (count > 0) this.#cuts.set(key, count);
    else this.#cuts.delete(key);
  }

  /** Whether `client` and `server` cannot talk right now. */
  partitioned(client: number, server: number): boolean {
    return this.#cuts.size > 0 && this.#cuts.has(`${client}:${server}`);
  }
}
