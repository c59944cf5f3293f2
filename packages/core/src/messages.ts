import type { AttemptReport, NodeOutcome } from './errors.js';

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
 */
export function describeRound(
  report: AttemptReport,
  nodeCount: number,
  nodeTimeoutMs: number,
): string {
  const parts: string[] = [];
  const held = report.outcomes.filter((o) => o.status === 'held');
  if (held.length > 0) {
    const longestPttl = Math.max(...held.map((o) => (o.status === 'held' ? o.pttl : -1)));
    const expiry = longestPttl >= 0 ? ` (expires in ${formatMs(longestPttl)})` : '';
    parts.push(
      `held by another owner on ${held.length}/${nodeCount} ${plural(nodeCount, 'node')}${expiry}`,
    );
  }
  const notHeld = report.outcomes.filter((o) => o.status === 'not-held');
  if (notHeld.length > 0) {
    parts.push(
      `not held by this lock on ${notHeld.length}/${nodeCount} ${plural(nodeCount, 'node')}`,
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
      `${timedOut.length} ${plural(timedOut.length, 'node')} did not answer within ${nodeTimeoutMs} ms (${names})`,
    );
  }
  const won = report.outcomes.filter((o) => o.status === 'acquired' || o.status === 'extended');
  if (parts.length === 0 || (won.length > nodeCount / 2 && report.validityMs <= 0)) {
    parts.push(
      `${won.length}/${nodeCount} ${plural(nodeCount, 'node')} agreed but the round took ${formatMs(report.elapsedMs)}, leaving no validity`,
    );
  }
  return parts.join('; ');
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
