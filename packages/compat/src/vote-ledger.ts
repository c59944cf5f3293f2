import type { Client } from './client.js';
import { type ExecutionStats, emptyStats } from './execution-stats.js';
import type { Operation, Vote } from './observed-node.js';

/** Bound on rounds kept, so values whose outcome nobody asks for cannot pile up. */
const MAX_OPEN_ROUNDS = 10_000;

/** One server's request in a round, with its vote once it settled. */
interface RecordedVote {
  readonly promise: Promise<Vote>;
  settled: Vote | undefined;
}

/**
 * The latest request of each operation and lock value, per server. `@redlock/core`
 * reports the rounds that failed; the round that succeeded (which node-redlock
 * also lists in `lock.attempts`) is read from here.
 */
export class VoteLedger {
  readonly #clients: readonly Client[];
  readonly #nodeTimeoutMs: number;
  readonly #rounds = new Map<string, (RecordedVote | undefined)[]>();

  constructor(clients: readonly Client[], nodeTimeoutMs: number) {
    this.#clients = clients;
    this.#nodeTimeoutMs = nodeTimeoutMs;
  }

  record(operation: Operation, value: string, nodeIndex: number, vote: Promise<Vote>): void {
    if (operation === 'release') {
      // The lock (or a failed attempt) is over: nobody will ask for its rounds.
      this.#rounds.delete(roundKey('acquire', value));
      this.#rounds.delete(roundKey('extend', value));
      return;
    }
    const key = roundKey(operation, value);
    let round = this.#rounds.get(key);
    if (round === undefined) {
      round = [];
      this.#rounds.set(key, round);
      if (this.#rounds.size > MAX_OPEN_ROUNDS) {
        const oldest = this.#rounds.keys().next().value;
        if (oldest !== undefined) this.#rounds.delete(oldest);
      }
    }
    const recorded: RecordedVote = { promise: vote, settled: undefined };
    void vote.then((settled) => {
      recorded.settled = settled;
    });
    round[nodeIndex] = recorded;
  }

  /**
   * The votes of the latest `operation` round of `value`, once every server
   * answered or `nodeTimeoutMs` passed (a server still silent then is a vote
   * against), so awaiting it never hangs on a paused server.
   */
  takeRound(operation: Operation, value: string): Promise<ExecutionStats> {
    const key = roundKey(operation, value);
    const round = this.#rounds.get(key) ?? [];
    this.#rounds.delete(key);
    const build = () => this.#statsOf(round);
    const pending = round.filter((vote) => vote !== undefined && vote.settled === undefined);
    if (pending.length === 0) return Promise.resolve(build());
    return new Promise((resolve) => {
      // One timer per round, and it never holds the process open.
      const timer = setTimeout(() => resolve(build()), this.#nodeTimeoutMs);
      timer.unref?.();
      void Promise.all(pending.map((vote) => vote!.promise)).then(() => {
        clearTimeout(timer);
        resolve(build());
      });
    });
  }

  #statsOf(round: readonly (RecordedVote | undefined)[]): ExecutionStats {
    const stats = emptyStats(this.#clients);
    this.#clients.forEach((client, index) => {
      const recorded = round[index];
      if (recorded === undefined) return;
      const vote = recorded.settled;
      if (vote === undefined) {
        stats.votesAgainst.set(client, new Error(`No answer within ${this.#nodeTimeoutMs} ms.`));
      } else if (vote.for) {
        stats.votesFor.add(client);
      } else {
        stats.votesAgainst.set(client, vote.error);
      }
    });
    return stats;
  }
}

function roundKey(operation: Operation, value: string): string {
  return `${operation}:${value}`;
}
