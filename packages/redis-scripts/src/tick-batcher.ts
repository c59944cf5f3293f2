import { PerClient } from './per-client.js';

/** What the batcher uses of an ioredis-family pipeline (`client.pipeline()`). */
export interface IoredisFamilyPipeline {
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: string[]): unknown;
  eval(source: string, numkeys: number, ...keysAndArgs: string[]): unknown;
  /** One `[error, reply]` per command, in order. */
  exec(): Promise<[Error | null, unknown][] | null>;
}

interface Queued {
  readonly add: (pipeline: IoredisFamilyPipeline) => void;
  readonly direct: () => Promise<unknown>;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends the commands that one turn of the event loop issues on one ioredis
 * connection in one socket write, as node-redis always does.
 *
 * ioredis without `enableAutoPipelining` writes every command on its own,
 * and on loopback a socket write was 55 % of the CPU of 64 concurrent
 * lockers (`docs/benchmarks.md`). The first command of a turn still goes
 * out at once, so a lone call (an uncontended lock) waits for nothing; the
 * ones after it in the same turn are queued and sent as one pipeline once
 * the turn's promise callbacks have run (`process.nextTick`). Commands keep
 * the order they were issued in, which the lock relies on (a release is
 * written after the acquire it follows), and each settles on its own
 * reply, as it would alone.
 */
export class TickBatcher {
  readonly #pipeline: () => IoredisFamilyPipeline;
  /** A command went out in this turn: the ones after it wait for the end of the turn. */
  #open = false;
  /** Those commands; made only when a second one comes (an uncontended lock never does). */
  #queued: Queued[] | undefined;

  constructor(pipeline: () => IoredisFamilyPipeline) {
    this.#pipeline = pipeline;
  }

  /** Sends one command: `direct` alone, or `add` into this turn's pipeline. */
  send(
    direct: () => Promise<unknown>,
    add: (pipeline: IoredisFamilyPipeline) => void,
  ): Promise<unknown> {
    if (!this.#open) {
      this.#open = true;
      endOfTurn(this);
      return direct();
    }
    return new Promise((resolve, reject) => {
      this.#queued ??= [];
      this.#queued.push({ add, direct, resolve, reject });
    });
  }

  /** The turn is over: sends what waited for it. */
  flush(): void {
    this.#open = false;
    const queued = this.#queued;
    this.#queued = undefined;
    if (queued === undefined) return;
    if (queued.length === 1) {
      const [only] = queued as [Queued];
      only.direct().then(only.resolve, only.reject);
      return;
    }
    let pipeline: IoredisFamilyPipeline;
    try {
      pipeline = this.#pipeline();
      for (const command of queued) command.add(pipeline);
    } catch (error) {
      for (const command of queued) command.reject(error);
      return;
    }
    pipeline.exec().then(
      (results) => {
        queued.forEach((command, index) => {
          const result = results?.[index];
          if (result === undefined) command.reject(new Error('the pipeline returned no reply'));
          else if (result[0]) command.reject(result[0]);
          else command.resolve(result[1]);
        });
      },
      (error: unknown) => {
        for (const command of queued) command.reject(error);
      },
    );
  }
}

/** Batchers that sent a command in this turn; one `nextTick` ends the turn for all (a round uses five). */
let openBatchers: TickBatcher[] = [];

function endOfTurn(batcher: TickBatcher): void {
  if (openBatchers.length === 0) process.nextTick(flushOpenBatchers);
  openBatchers.push(batcher);
}

function flushOpenBatchers(): void {
  const batchers = openBatchers;
  openBatchers = [];
  for (const batcher of batchers) batcher.flush();
}

const batchers = new PerClient<TickBatcher>();

/** The one batcher of `client`, shared by every node over it, so their commands share its writes. */
export function sharedTickBatcher(
  client: object,
  pipeline: () => IoredisFamilyPipeline,
): TickBatcher {
  return batchers.of(client, () => new TickBatcher(pipeline));
}
