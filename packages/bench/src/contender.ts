import type { RedisServer } from '@redlock/test-utils';

/**
 * Where a server listens: all a contender needs. Workers of the multi-process
 * scenarios get it over IPC, without the parent's `RedisServer` handles.
 */
export type ServerAddress = Pick<RedisServer, 'host' | 'port' | 'url'>;

/** Gives the lock back; resolves once the implementation considers it released. */
export type Release = () => Promise<unknown>;

/** One implementation, connected to the benchmark's servers with its own clients. */
export interface LockSession {
  /**
   * Acquire all of `resources` with the shared TTL, retrying while they are
   * held (shared retry settings); resolves once held.
   */
  acquire(resources: readonly string[]): Promise<Release>;
  /** Close every connection the session opened. */
  close(): Promise<void>;
}

/** What kind of row an implementation is in the tables: targets compare ours against libraries and the floor. */
export type ContenderKind = 'ours' | 'library' | 'floor';

/** An implementation under benchmark. */
export interface Contender {
  /** Stable id used in keys and JSON, e.g. `node-redlock`. */
  readonly id: string;
  /** Row label, e.g. `redlock@5.0.0-beta.2`. */
  readonly label: string;
  readonly kind: ContenderKind;
  /** The npm packages whose versions the report lists for this row. */
  readonly packages: readonly string[];
  /** Whether it can lock several resources at once, atomically, across the Redlock nodes. */
  readonly multiResource: boolean;
  /** How its settings map onto the shared ones (per-node timeout, retries), for the docs. */
  readonly settingsNote: string;
  /** Connects its own clients (one per server) and resolves once they are ready. */
  open(servers: readonly ServerAddress[]): Promise<LockSession>;
}
