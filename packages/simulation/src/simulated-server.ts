import { MemoryLockNode, MemoryStore } from '@redlock/memory';
import type { DriftingClock } from './drifting-clock.js';

/** The last write of one key, as the server's own clock saw it. */
export interface KeyWrite {
  readonly value: string;
  /** Server clock reading when the key was set or its TTL reset. */
  readonly setAtMs: number;
  readonly ttlMs: number;
}

/**
 * One independent server: a {@link MemoryLockNode} whose keys expire on the
 * server's own drifting clock, plus whether it is up, plus a log of the last
 * write of every key (to check that no key outlives its TTL).
 */
export class SimulatedServer {
  readonly node: MemoryLockNode;
  up = true;
  /** How many times it restarted with its data lost. */
  wipes = 0;
  readonly writes = new Map<string, KeyWrite>();

  constructor(
    readonly index: number,
    readonly clock: DriftingClock,
    /** The server's wall clock in epoch ms (the floor of fencing counters). Default: `clock`. */
    wallClock: { now(): number } = clock,
  ) {
    this.node = new MemoryLockNode({
      store: new MemoryStore({ name: `n${index}`, clock, wallClock }),
    });
  }

  /** The current run of the server process; changes on every restart. */
  get runId(): string {
    return this.node.store.serverRun().runId;
  }

  get name(): string {
    return this.node.name;
  }

  /** Note a successful acquire or extend, at the instant the store applied it. */
  recordWrite(keys: readonly string[], value: string, ttlMs: number): void {
    const setAtMs = this.clock.now();
    for (const key of keys) this.writes.set(key, { value, setAtMs, ttlMs });
  }

  #downs = 0;

  /** Go down; crashes may overlap, the server is up again once each has restarted. */
  crash(): void {
    this.#downs++;
    this.up = false;
  }

  restart(dataLost: boolean): void {
    this.#downs--;
    if (dataLost) this.wipe();
    else this.node.restart({ keepData: true });
    this.up = this.#downs === 0;
  }

  /** Restart at once, losing every key and fencing counter (no persistence). */
  wipe(): void {
    this.node.restart();
    this.writes.clear();
    this.wipes++;
  }
}
