/**
 * Every sentence Redlock puts in an error message, in one place, so that
 * the numbers they state are the ones the algorithm applied.
 *
 * @module
 */
import type { AttemptReport, NodeOutcome } from './reports.js';

/** What a round description needs to know about the round's rules. */
export interface RoundRules {
  readonly nodeCount: number;
  readonly quorum: number;
  /** The per-node timeout the round applied (it is capped at the TTL). */
  readonly nodeTimeoutMs: number;
}

/** `"orders:42"` or `"a", "b" and "c"`. */
export function describeResources(resources: readonly string[]): string {
  const quoted = resources.slice(0, 5).map((resource) => JSON.stringify(truncate(resource, 60)));
  if (resources.length > 5) quoted.push(`${resources.length - 5} more`);
  if (quoted.length === 1) return quoted[0]!;
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * One line on what the nodes did in a round, e.g.
 * `held by another owner on 3/5 nodes (expires in 4.2 s); 1 node unreachable (redis://10.0.0.3:6379: ECONNREFUSED)`.
 * Counts are of the answers the round had when it was decided: with nodes
 * still `pending`, a count of holds is a lower bound and says so.
 */
export function describeRound(report: AttemptReport, rules: RoundRules): string {
  const { nodeCount } = rules;
  const parts: string[] = [];
  const pending = report.outcomes.filter((o) => o.status === 'pending');
  const atLeast = pending.length > 0 ? 'at least ' : '';
  const held = report.outcomes.filter((o) => o.status === 'held');
  if (held.length > 0) {
    const longestPttl = Math.max(...held.map((o) => (o.status === 'held' ? o.pttl : -1)));
    const expiry = longestPttl >= 0 ? ` (expires in ${formatMs(longestPttl)})` : '';
    parts.push(
      `held by another owner on ${atLeast}${held.length}/${nodeCount} ${plural(nodeCount, 'node')}${expiry}`,
    );
  }
  const notHeld = report.outcomes.filter((o) => o.status === 'not-held');
  if (notHeld.length > 0) {
    parts.push(
      `not held by this lock on ${atLeast}${notHeld.length}/${nodeCount} ${plural(nodeCount, 'node')}`,
    );
  }
  const failed = report.outcomes.filter((o) => o.status === 'error');
  if (failed.length > 0) {
    const details = failed.map((o) => `${o.node}: ${reason(o)}`).join(', ');
    parts.push(`${failed.length} ${plural(failed.length, 'node')} unreachable (${details})`);
  }
  const timedOut = report.outcomes.filter((o) => o.status === 'timeout');
  if (timedOut.length > 0) {
    const names = timedOut.map((o) => o.node).join(', ');
    parts.push(
      `${timedOut.length} ${plural(timedOut.length, 'node')} did not answer within ${rules.nodeTimeoutMs} ms (${names})`,
    );
  }
  const restarting = report.outcomes.filter((o) => o.status === 'restarting');
  if (restarting.length > 0) {
    const details = restarting
      .map((o) =>
        o.status === 'restarting'
          ? `${o.node}: restarted ${formatMs(o.restartedMsAgo)} ago, counted again in ${formatMs(o.countedAgainInMs)}`
          : o.node,
      )
      .join(', ');
    parts.push(
      `${restarting.length} ${plural(restarting.length, 'node')} started too recently to count (${details})`,
    );
  }
  if (pending.length > 0 && parts.length > 0) {
    const names = pending.map((o) => o.node).join(', ');
    parts.push(
      `${pending.length} ${plural(pending.length, 'node')} had not answered when the round was decided (${names})`,
    );
  }
  const won = report.outcomes.filter(
    (o) => o.status === 'acquired' || o.status === 'extended' || o.status === 'raised',
  ).length;
  if (parts.length === 0 || (won >= rules.quorum && report.validityMs <= 0)) {
    parts.push(
      `${won}/${nodeCount} ${plural(nodeCount, 'node')} agreed but the round took ${formatMs(report.elapsedMs)}, leaving no validity`,
    );
  }
  return parts.join('; ');
}

/** The message of a `LockAcquireError` with code `ACQUIRE_FAILED`. */
export function acquireFailedMessage(
  resources: readonly string[],
  attempts: readonly AttemptReport[],
  rules: RoundRules,
  gaveUpAfterMs: number | undefined,
): string {
  const last = attempts[attempts.length - 1]!;
  const count = `${attempts.length} ${plural(attempts.length, 'attempt')}`;
  const stopped =
    gaveUpAfterMs === undefined
      ? count
      : `${count}, gave up after waitTimeoutMs ${formatMs(gaveUpAfterMs)}`;
  return `could not lock ${describeResources(resources)}: ${describeRound(last, rules)}; ${stopped}`;
}

/** The message of a `LockAcquireError` with code `ABORTED`. */
export function acquireAbortedMessage(resources: readonly string[], attemptCount: number): string {
  return `stopped waiting for the lock on ${describeResources(resources)}: the signal was aborted after ${attemptCount} ${plural(attemptCount, 'attempt')}`;
}

/** The message of a `LockLostError` with code `EXTEND_FAILED`. */
export function extendFailedMessage(resources: readonly string[], why: string): string {
  return `could not extend the lock on ${describeResources(resources)}: ${why}`;
}

/** The message of a `LockLostError` with code `LOCK_LOST`. */
export function lockLostMessage(resources: readonly string[], why: string): string {
  return `lost the lock on ${describeResources(resources)}: ${why}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function reason(outcome: NodeOutcome): string {
  if (outcome.status !== 'error') return outcome.status;
  const cause = outcome.cause as { code?: unknown; message?: unknown } | null | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return truncate(cause.message, 80);
  return truncate(String(cause), 80);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}...` : text;
}
