import type { Client } from './client.js';
import { type ExecutionStats, emptyStats } from './execution-stats.js';
import type { Operation, Vote } from './observed-node.js';

/** Bound on rounds kept, so values whose outcome nobody asks for cannot pile up. */
const MAX_OPEN_ROUNDS = 10_000;

/**
 * The latest request of each operation and lock value, per server. `@redlock/core`
 * reports the rounds that failed; the round that succeeded (which node-redlock
 * also lists in `lock.attempts`) is read from here.
 */
export class VoteLedger {
  readonly #clients: readonly Client[];
  readonly #nodeTimeoutMs: number;
  readonly #rounds = new Map<string, (Promise<Vote> | undefined)[]>();

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
    round[nodeIndex] = vote;
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
    const stats = emptyStats(this.#clients);
    const timeoutMs = this.#nodeTimeoutMs;
    return Promise.all(
      this.#clients.map(async (client, index) => {
        const request = round[index];
        if (request === undefined) return;
        const vote = await withinMs(request, timeoutMs);
        if (vote === undefined) {
          stats.votesAgainst.set(client, new Error(`No answer within ${timeoutMs} ms.`));
        } else if (vote.for) {
          stats.votesFor.add(client);
        } else {
          stats.votesAgainst.set(client, vote.error);
        }
      }),
    ).then(() => stats);
  }
}

function roundKey(operation: Operation, value: string): string {
  return `${operation}:${value}`;
}

/** `vote`, or `undefined` if it has not settled within `ms` (the timer never holds the process). */
function withinMs(vote: Promise<Vote>, ms: number): Promise<Vote | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref?.();
    void vote.then((settled) => {
      clearTimeout(timer);
      resolve(settled);
    });
  });
}
