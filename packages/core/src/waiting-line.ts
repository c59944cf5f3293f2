import { InvalidArgumentError } from './errors.js';
import type { AcquireReply, LockNode } from './lock-node.js';

/**
 * # The waiting line (an optional node capability)
 *
 * Across processes, plain Redlock waiters all retry when a release wakes
 * them; their votes split over the nodes (2-2-1 of 5), nobody reaches a
 * quorum, and everyone waits for a release that never comes. With the
 * waiting line every waiter takes a place in a per-key line on every node,
 * with the *same* place everywhere (its score: when the acquisition
 * started; ties broken by the value). A node grants the keys only to the
 * first live place of every key's line, so all nodes agree on who is next,
 * votes do not split, and turns go in order across processes.
 *
 * The lock itself is unchanged: a key is still set only when it is free
 * (`SET NX PX`), on a quorum, within validity. The line only adds refusals,
 * so it cannot weaken mutual exclusion. A place lives for `entryTtlMs` and
 * is refreshed by each attempt; a waiter that dies or is cut off from a node
 * stops refreshing, and its place lapses on that node after at most
 * `entryTtlMs`.
 *
 * Turned on by the `waitingLine` option. Nodes without `acquireInLine` are
 * asked with plain `acquire`, as before.
 */
export interface LinePlace {
  /**
   * Order in the line: smaller goes first; equal scores go by `value`,
   * compared as bytes. The same number on every node.
   */
  readonly score: number;
  /**
   * How long (ms) the place stays without being refreshed. `0`: take no
   * place and drop ours if there is one, only respect the line (a single
   * attempt that will not come back, or a winner leaving the lines of the
   * nodes that did not grant it).
   */
  readonly entryTtlMs: number;
}

/** The reply of {@link LockNode.acquireInLine}. */
export type InLineReply =
  | { readonly acquired: true }
  | {
      readonly acquired: false;
      /**
       * Longest remaining TTL (ms) among the keys held by another value; -1
       * when the keys are free but a place ranks before ours (or unknown).
       */
      readonly pttl: number;
      /** Live places before ours, the most over the keys; 0 when we are first. */
      readonly ahead: number;
    };

/** The longest place TTL a node is asked to keep (the longest timer Node can set). */
export const MAX_ENTRY_TTL_MS = 2 ** 31 - 1;

/**
 * How long a waiter's place lives between refreshes: twice the longest gap
 * between two of its attempts (the retry wait, then an attempt and the undo
 * of the one before, each bounded by the per-node timeout), so a timer firing
 * late on a busy machine does not lose a live waiter its place.
 */
export function entryTtlFor(
  retry: { readonly retryDelay: number; readonly retryJitter: number },
  nodeTimeoutMs: number,
): number {
  const gapMs = retry.retryDelay + retry.retryJitter + 2 * nodeTimeoutMs;
  return Math.min(MAX_ENTRY_TTL_MS, Math.ceil(2 * gapMs));
}

/**
 * How long a waiter with others ahead of it may sleep: a quarter of its
 * place's TTL, so three refreshes may go missing before the place lapses.
 * It still wakes when enough releases passed to make it first.
 */
export function refreshDelayMs(place: LinePlace): number {
  return place.entryTtlMs / 4;
}

/** One attempt on one node: in line when the node can, as a plain acquire when it cannot. */
export function acquireOnNode(
  node: LockNode,
  keys: readonly string[],
  value: string,
  ttlMs: number,
  place: LinePlace | undefined,
  signal: AbortSignal,
  onAhead?: (ahead: number, node: LockNode) => void,
): Promise<AcquireReply> {
  if (place !== undefined && node.acquireInLine !== undefined) {
    const asked = node.acquireInLine(keys, value, ttlMs, place, signal);
    if (onAhead === undefined) return asked;
    return asked.then((reply) => {
      if (reply?.acquired === false && Number.isInteger(reply.ahead)) onAhead(reply.ahead, node);
      return reply;
    });
  }
  return node.acquire(keys, value, ttlMs, signal);
}

/**
 * After winning with a place: a node that refused us (the keys were still
 * held there when our attempt arrived) still has our place, which would
 * rank first in its lines and refuse every other waiter there until it
 * lapses. Leave those lines: a call with `entryTtlMs` 0 (should it grant,
 * the key is ours anyway and our release removes it). Sent, not awaited.
 * Nodes still pending when the round was decided are left alone: they
 * usually grant (which removes the place); one that refuses late is told
 * through {@link leaveLineOn} when its answer arrives.
 */
export function leaveLinesAfterWin(
  nodes: readonly LockNode[],
  outcomes: readonly { readonly status: string }[],
  keys: readonly string[],
  value: string,
  ttlMs: number,
  place: LinePlace,
): void {
  nodes.forEach((node, index) => {
    if (outcomes[index]?.status === 'held') leaveLineOn(node, keys, value, ttlMs, place);
  });
}

/** Remove our place from the lines of `node` (see {@link leaveLinesAfterWin}). */
export function leaveLineOn(
  node: LockNode,
  keys: readonly string[],
  value: string,
  ttlMs: number,
  place: LinePlace,
): void {
  if (node.acquireInLine === undefined) return;
  try {
    node.acquireInLine(keys, value, ttlMs, { score: place.score, entryTtlMs: 0 }).catch(ignore);
  } catch {
    // A node that throws synchronously keeps our place until it lapses.
  }
}

function ignore(): void {}

/**
 * How many releases a refused waiter may sleep through before it can be
 * first: one less than the fewest places ahead that any node reported, so a
 * wrong count (a place ahead that lapsed, a node that missed ours) costs one
 * extra attempt rather than a missed turn; its own timer still refreshes its
 * place. Only the first two in line wake on a release, not every waiter.
 */
export class AheadCount {
  #fewest = Number.POSITIVE_INFINITY;

  readonly heard = (ahead: number): void => {
    if (ahead < this.#fewest) this.#fewest = ahead;
  };

  /** The releases to skip, and a fresh count for the next attempt. */
  take(): number {
    const fewest = this.#fewest;
    this.#fewest = Number.POSITIVE_INFINITY;
    return Number.isFinite(fewest) ? Math.max(0, fewest - 1) : 0;
  }
}

/** Check a place before a node is touched (for adapters). */
export function validateLinePlace(place: unknown): LinePlace {
  const given = place as Partial<LinePlace> | null;
  if (
    given === null ||
    typeof given !== 'object' ||
    typeof given.score !== 'number' ||
    !Number.isFinite(given.score)
  ) {
    throw new InvalidArgumentError('a line place needs a finite number score');
  }
  const ttl = given.entryTtlMs;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_ENTRY_TTL_MS) {
    throw new InvalidArgumentError(
      `a line place needs an integer entryTtlMs in [0, ${MAX_ENTRY_TTL_MS}], got ${String(ttl)}`,
    );
  }
  return given as LinePlace;
}

/** Check the `waitingLine` option. */
export function validateWaitingLine(waitingLine: unknown): boolean {
  if (waitingLine === undefined || waitingLine === false) return false;
  if (waitingLine !== true) {
    throw new InvalidArgumentError(`waitingLine must be a boolean, got ${typeof waitingLine}`);
  }
  return true;
}
