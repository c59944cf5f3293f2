import { PerClient } from './per-client.js';

/** The script commands the lock sends: `EVALSHA` by SHA1, `EVAL` by source. */
export type ScriptCommand = 'evalsha' | 'eval';

/** A script command's arguments as ioredis takes them: SHA1 or source, key count, keys, then args. */
export type ScriptArguments = [script: string, numkeys: number, ...keysAndArgs: string[]];

/** What the batcher uses of an ioredis-family client or pipeline: the two script commands. */
export interface ScriptCommands<Reply> {
  evalsha(...argv: ScriptArguments): Reply;
  eval(...argv: ScriptArguments): Reply;
}

/** What the batcher uses of an ioredis-family pipeline (`client.pipeline()`). */
export interface IoredisFamilyPipeline extends ScriptCommands<unknown> {
  /** One `[error, reply]` per command, in order. */
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** What the batcher uses of an ioredis-family client. */
export interface BatchedClient extends ScriptCommands<Promise<unknown>> {
  pipeline(): IoredisFamilyPipeline;
}

interface Queued {
  readonly command: ScriptCommand;
  readonly argv: ScriptArguments;
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
  readonly #client: BatchedClient;
  /** A command went out in this turn: the ones after it wait for the end of the turn. */
  #open = false;
  /** Those commands; made only when a second one comes (an uncontended lock never does). */
  #queued: Queued[] | undefined;

  constructor(client: BatchedClient) {
    this.#client = client;
  }

  /** Sends one script command: at once if it is the turn's first, else in the turn's pipeline. */
  send(command: ScriptCommand, argv: ScriptArguments): Promise<unknown> {
    if (!this.#open) {
      this.#open = true;
      endOfTurn(this);
      return this.#client[command](...argv);
    }
    return new Promise((resolve, reject) => {
      this.#queued ??= [];
      this.#queued.push({ command, argv, resolve, reject });
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
      this.#client[only.command](...only.argv).then(only.resolve, only.reject);
      return;
    }
    let pipeline: IoredisFamilyPipeline;
    try {
      pipeline = this.#client.pipeline();
      for (const { command, argv } of queued) pipeline[command](...argv);
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
export function sharedTickBatcher(client: BatchedClient): TickBatcher {
  return batchers.of(client, () => new TickBatcher(client));
}
