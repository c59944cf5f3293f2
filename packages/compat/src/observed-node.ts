import type { AcquireReply, LockNode } from '@redlock/core';
import { appliedTo, asError } from './execution-stats.js';

/** One server's answer to one request, as a node-redlock vote. */
export type Vote = { readonly for: true } | { readonly for: false; readonly error: Error };

export type Operation = 'acquire' | 'extend' | 'release';

/** Hears every vote as it comes in. */
export interface VoteListener {
  /** A vote against, the moment it is known (node-redlock's `error` event). */
  onVoteAgainst(error: Error, nodeIndex: number): void;
  /** A request was sent; `vote` settles (never rejects) with the server's answer. */
  onRequest(operation: Operation, value: string, nodeIndex: number, vote: Promise<Vote>): void;
}

/**
 * A `LockNode` that reports each request's vote, wrapped around the Redis
 * node of one client.
 *
 * `watch` and `close` are left out on purpose: waking on releases needs a
 * pub/sub connection of our own, and node-redlock apps end by quitting their
 * own clients, so such a connection would keep their process alive.
 */
export function observedNode(
  node: LockNode,
  nodeIndex: number,
  nodeTimeoutMs: number,
  listener: VoteListener,
): LockNode {
  function observe<T>(
    operation: Operation,
    value: string,
    request: Promise<T>,
    voteOf: (reply: T) => Vote,
  ): Promise<T> {
    const vote = request.then(
      voteOf,
      (error: unknown): Vote => ({ for: false, error: asError(error) }),
    );
    listener.onRequest(operation, value, nodeIndex, vote);
    // A paused server never answers, and once a round is decided without it
    // nothing rejects its request: report the silence when its time is up, once.
    let reported = false;
    const silence = setTimeout(() => {
      reported = true;
      listener.onVoteAgainst(
        new Error(`${node.name} did not answer within ${nodeTimeoutMs} ms.`),
        nodeIndex,
      );
    }, nodeTimeoutMs);
    silence.unref?.();
    void vote.then((settled) => {
      clearTimeout(silence);
      if (!settled.for && !reported) listener.onVoteAgainst(settled.error, nodeIndex);
    });
    return request;
  }

  return {
    name: node.name,
    acquire(keys, value, ttlMs, signal) {
      const request = node.acquire(keys, value, ttlMs, signal);
      return observe('acquire', value, request, (reply: AcquireReply) =>
        reply.acquired ? { for: true } : { for: false, error: appliedTo(0, keys.length) },
      );
    },
    extend(keys, value, ttlMs, signal) {
      const request = node.extend(keys, value, ttlMs, signal);
      return observe('extend', value, request, (extended: boolean) =>
        extended ? { for: true } : { for: false, error: appliedTo(0, keys.length) },
      );
    },
    release(keys, value, signal) {
      // A release that finds fewer keys than asked is no refusal: the lock
      // expired, or @redlock/core is cleaning up after a late acquire reply
      // (it releases again once that reply lands). Only failures are votes
      // against here; the release's own stats come from core's report.
      return observe('release', value, node.release(keys, value, signal), () => ({ for: true }));
    },
  };
}
