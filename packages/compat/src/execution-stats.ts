import type { AttemptReport, NodeOutcome, ReleaseReport } from '@redlock/core';
import type { Client } from './client.js';
import { ResourceLockedError } from './errors.js';

/** How one server voted in one attempt, as node-redlock reports it. */
export type ClientExecutionResult =
  | { client: Client; vote: 'for'; value: number }
  | { client: Client; vote: 'against'; error: Error };

/**
 * The votes of one attempt. A server whose answer was not in when the
 * attempt was decided (see the migration guide) is in neither collection.
 */
export type ExecutionStats = {
  readonly membershipSize: number;
  readonly quorumSize: number;
  readonly votesFor: Set<Client>;
  readonly votesAgainst: Map<Client, Error>;
};

/** What `release` resolves with: one entry per attempt, and when it started (epoch ms). */
export type ExecutionResult = {
  attempts: ReadonlyArray<Promise<ExecutionStats>>;
  start: number;
};

/** node-redlock's message for a server that applied an operation to fewer keys than asked. */
export function appliedTo(applied: number, requested: number): ResourceLockedError {
  return new ResourceLockedError(
    `The operation was applied to: ${applied} of the ${requested} requested resources.`,
  );
}

/** An `Error` for the `votesAgainst` map, whatever the node rejected with. */
export function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}

/** Empty stats for `clients`, to be filled with votes. */
export function emptyStats(clients: readonly Client[]): ExecutionStats {
  return {
    membershipSize: clients.length,
    quorumSize: Math.floor(clients.length / 2) + 1,
    votesFor: new Set(),
    votesAgainst: new Map(),
  };
}

/** The vote of one node outcome of `@redlock/core`, or `undefined` if it had not answered. */
function voteOf(
  outcome: NodeOutcome,
  keyCount: number,
  nodeTimeoutMs: number,
): { for: true } | { for: false; error: Error } | undefined {
  switch (outcome.status) {
    case 'acquired':
    case 'extended':
      return { for: true };
    case 'released':
      return outcome.deleted === keyCount
        ? { for: true }
        : { for: false, error: appliedTo(outcome.deleted, keyCount) };
    case 'held':
    case 'not-held':
      return { for: false, error: appliedTo(0, keyCount) };
    case 'error':
      return { for: false, error: asError(outcome.cause) };
    case 'timeout':
      return {
        for: false,
        error: new Error(`${outcome.node} did not answer within ${nodeTimeoutMs} ms.`),
      };
    case 'pending':
      return undefined;
  }
}

/** node-redlock's stats for one round of `@redlock/core` (outcomes are in client order). */
export function statsOfOutcomes(
  outcomes: readonly NodeOutcome[],
  clients: readonly Client[],
  keyCount: number,
  nodeTimeoutMs: number,
): ExecutionStats {
  const stats = emptyStats(clients);
  outcomes.forEach((outcome, index) => {
    const client = clients[index];
    const vote = voteOf(outcome, keyCount, nodeTimeoutMs);
    if (client === undefined || vote === undefined) return;
    if (vote.for) stats.votesFor.add(client);
    else stats.votesAgainst.set(client, vote.error);
  });
  return stats;
}

/** Stats promises for the failed attempts `@redlock/core` reported. */
export function statsOfAttempts(
  attempts: readonly AttemptReport[],
  clients: readonly Client[],
  keyCount: number,
  nodeTimeoutMs: number,
): Promise<ExecutionStats>[] {
  return attempts.map((attempt) =>
    Promise.resolve(statsOfOutcomes(attempt.outcomes, clients, keyCount, nodeTimeoutMs)),
  );
}

/** Stats of a release report. */
export function statsOfRelease(
  report: ReleaseReport,
  clients: readonly Client[],
  keyCount: number,
  nodeTimeoutMs: number,
): ExecutionStats {
  return statsOfOutcomes(report.outcomes, clients, keyCount, nodeTimeoutMs);
}
