import type {
  AcquireReply,
  FencedAcquireReply,
  InLineReply,
  LinePlace,
  LockNode,
  ReleaseListener,
  ServerRun,
} from '@redlock/core';
import type { Network } from './network.js';
import type { Scheduler } from './scheduler.js';
import type { SimulatedClient } from './simulated-client.js';
import type { SimulatedServer } from './simulated-server.js';
import type { Trace } from './trace.js';

/** What a link needs from the world it lives in. */
export interface LinkContext {
  readonly scheduler: Scheduler;
  readonly network: Network;
  readonly trace: Trace;
}

/**
 * One client's connection to one server, as a {@link LockNode}. A request
 * travels to the server (it may be lost, or meet a partition or a crashed
 * server), is applied there by the server's `MemoryLockNode` at that
 * instant, and the reply travels back (it may be lost too). A request whose
 * reply never comes hangs until Redlock's per-node timeout aborts it: the
 * abort rejects the call at once but cannot recall a request already on the
 * wire, so the server may still apply it later, as over a real network.
 * Requests (and replies) on one link arrive in the order they were sent, as
 * on the single connection a Redis client keeps to a server. Release
 * notifications travel on their own (a pub/sub connection) and may overtake.
 *
 * `serverRun` (restart detection) is a round trip that ties the link to the
 * server's current run, as a Redis adapter's `INFO` on (re)connection does:
 * once tied, a request that reaches a server that restarted since is
 * refused (the connection was reset), never applied by the new run.
 */
export class SimulatedLink implements LockNode {
  readonly name: string;
  /** Virtual time the last request sent on this link arrives (FIFO links only). */
  #lastRequestAt = 0;
  /** Virtual time the last reply sent on this link arrives (FIFO links only). */
  #lastReplyAt = 0;
  /** The server run this link checked last (`serverRun`); undefined until then. */
  #checkedRun: string | undefined;

  constructor(
    private readonly context: LinkContext,
    private readonly client: SimulatedClient,
    private readonly server: SimulatedServer,
  ) {
    this.name = server.name;
  }

  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    return this.#request(
      `acquire ${describeKeys(keys)} ${value} ttl=${ttlMs}`,
      signal,
      async () => {
        const reply = await this.server.node.acquire(keys, value, ttlMs);
        if (reply.acquired) this.server.recordWrite(keys, value, ttlMs);
        return reply;
      },
      (reply) => (reply.acquired ? 'acquired' : `held (pttl ${reply.pttl})`),
    );
  }

  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return this.#request(
      `extend ${describeKeys(keys)} ${value} ttl=${ttlMs}`,
      signal,
      async () => {
        const extended = await this.server.node.extend(keys, value, ttlMs);
        if (extended) this.server.recordWrite(keys, value, ttlMs);
        return extended;
      },
      (extended) => (extended ? 'extended' : 'not held'),
    );
  }

  acquireInLine(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    place: LinePlace,
    signal?: AbortSignal,
  ): Promise<InLineReply> {
    return this.#request(
      `acquireInLine ${describeKeys(keys)} ${value} ttl=${ttlMs} place=${place.score}/${place.entryTtlMs}`,
      signal,
      async () => {
        const reply = await this.server.node.acquireInLine(keys, value, ttlMs, place);
        if (reply.acquired) this.server.recordWrite(keys, value, ttlMs);
        return reply;
      },
      (reply) =>
        reply.acquired ? 'acquired' : `refused (pttl ${reply.pttl}, ${reply.ahead} ahead)`,
    );
  }

  acquireFenced(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply> {
    return this.#request(
      `acquireFenced ${describeKeys(keys)} ${value} ttl=${ttlMs}`,
      signal,
      async () => {
        const reply = await this.server.node.acquireFenced(keys, value, ttlMs);
        if (reply.acquired) this.server.recordWrite(keys, value, ttlMs);
        return reply;
      },
      (reply) => (reply.acquired ? `acquired, fence ${reply.fence}` : `held (pttl ${reply.pttl})`),
    );
  }

  raiseFence(keys: readonly string[], fence: bigint, signal?: AbortSignal): Promise<bigint> {
    return this.#request(
      `raiseFence ${describeKeys(keys)} ${fence}`,
      signal,
      () => this.server.node.raiseFence(keys, fence),
      (smallest) => `counters now >= ${smallest}`,
    );
  }

  /** A round trip: the run of the server when the request arrived, which this link is now tied to. */
  serverRun(signal?: AbortSignal): Promise<ServerRun> {
    return this.#request(
      'serverRun',
      signal,
      async () => {
        const run = this.server.node.store.serverRun();
        this.#checkedRun = run.runId;
        return run;
      },
      (run) => `run ${run.runId}, up ${run.uptimeMs.toFixed(0)} ms`,
      { checkRun: false },
    );
  }

  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number> {
    return this.#request(
      `release ${describeKeys(keys)} ${value}`,
      signal,
      () => this.server.node.release(keys, value),
      (deleted) => `deleted ${deleted}`,
      // Deleting only our own value is harmless on any run: a reconnected client sends it.
      { checkRun: false },
    );
  }

  /**
   * Subscribing takes a round trip; release notifications then travel like
   * replies (late, lost, cut by partitions, held back by a pause). Stopping
   * takes effect on the server at once.
   */
  watch(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>> {
    const { scheduler, network, trace } = this.context;
    const { client, server } = this;
    return new Promise((resolve) => {
      const lost = network.lost();
      scheduler.schedule(network.latencyMs(), 'world', 'watch request', () => {
        if (lost || !server.up || network.partitioned(client.id, server.index)) {
          trace.add(() => `${client.name} -> ${server.name} watch ${describeKeys(keys)}: lost`);
          return;
        }
        let active = true;
        const notify = (releasedValue?: string): void => {
          if (!active || network.lost() || !server.up) return;
          scheduler.schedule(network.latencyMs(), client.id, 'release notice', () => {
            if (!active || network.partitioned(client.id, server.index)) return;
            trace.add(() => `${server.name} -> ${client.name} released ${releasedValue}`);
            onRelease(releasedValue);
          });
        };
        server.node.watch(keys, notify).then((stop) => {
          const unsubscribe = async (): Promise<void> => {
            active = false;
            await stop();
          };
          this.#reply('watch', () => resolve(unsubscribe));
        }, ignore);
      });
    });
  }

  /** Send `apply` to the server; settle with its result unless aborted first. */
  #request<T>(
    what: string,
    signal: AbortSignal | undefined,
    apply: () => Promise<T>,
    describeResult: (result: T) => string,
    { checkRun = true }: { checkRun?: boolean } = {},
  ): Promise<T> {
    const { scheduler, network, trace } = this.context;
    const { client, server } = this;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (outcome: () => void): void => {
        if (settled) {
          trace.add(() => `${server.name} -> ${client.name} reply to ${what}: too late, ignored`);
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const lost = network.lost();
      scheduler.scheduleAt(this.#arrival('request'), 'world', 'request', () => {
        if (lost || !server.up || network.partitioned(client.id, server.index)) {
          const why = lost ? 'lost' : server.up ? 'partitioned' : 'server down';
          trace.add(() => `${client.name} -> ${server.name} ${what}: ${why}`);
          return;
        }
        if (checkRun && this.#checkedRun !== undefined && this.#checkedRun !== server.runId) {
          trace.add(() => `${client.name} -> ${server.name} ${what}: connection reset (restart)`);
          this.#reply(what, () =>
            settle(() => reject(new Error('ECONNRESET: the server restarted'))),
          );
          return;
        }
        apply().then(
          (result) => {
            trace.add(
              () => `${server.name} ${what} from ${client.name}: ${describeResult(result)}`,
            );
            this.#reply(what, () => settle(() => resolve(result)));
          },
          (error: unknown) => {
            trace.add(() => `${server.name} ${what} from ${client.name}: error ${String(error)}`);
            this.#reply(what, () => settle(() => reject(error)));
          },
        );
      });
    });
  }

  /**
   * When a message sent now arrives. Like one TCP connection, a link
   * delivers in order: a slow message holds back the ones behind it (unless
   * the scenario breaks that assumption).
   */
  #arrival(direction: 'request' | 'reply'): number {
    const { scheduler, network } = this.context;
    const arrivesAt = scheduler.now + network.latencyMs();
    if (!network.fifo) return arrivesAt;
    if (direction === 'request') {
      this.#lastRequestAt = Math.max(arrivesAt, this.#lastRequestAt);
      return this.#lastRequestAt;
    }
    this.#lastReplyAt = Math.max(arrivesAt, this.#lastReplyAt);
    return this.#lastReplyAt;
  }

  /** Carry a reply back to the client, unless the wire or a partition loses it. */
  #reply(what: string, deliver: () => void): void {
    const { scheduler, network, trace } = this.context;
    const { client, server } = this;
    const lost = network.lost();
    scheduler.scheduleAt(this.#arrival('reply'), client.id, 'reply', () => {
      if (lost || network.partitioned(client.id, server.index)) {
        trace.add(() => `${server.name} -> ${client.name} reply to ${what}: lost`);
        return;
      }
      deliver();
    });
  }
}

function describeKeys(keys: readonly string[]): string {
  return keys.join('+');
}

function ignore(): void {}
