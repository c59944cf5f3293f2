import type { AcquireReply, FencedAcquireReply, LockNode } from './lock-node.js';
import type { NodeOutcome } from './reports.js';

/**
 * Replies are checked, not trusted: a node that resolves something of the
 * wrong shape (a buggy adapter, a proxy returning garbage) counts as a failed
 * node, never as a vote for the lock.
 */
export class InvalidReplyError extends TypeError {
  constructor(node: LockNode, operation: string, reply: unknown) {
    super(`${node.name} returned an invalid ${operation} reply: ${preview(reply)}`);
    this.name = 'InvalidReplyError';
  }
}

function preview(reply: unknown): string {
  try {
    const text = JSON.stringify(reply);
    if (text === undefined) return String(reply);
    return text.length > 80 ? `${text.slice(0, 80)}...` : text;
  } catch {
    return typeof reply;
  }
}

export function classifyAcquire(reply: AcquireReply, node: LockNode): NodeOutcome {
  if (reply !== null && typeof reply === 'object') {
    if (reply.acquired === true) return { node: node.name, status: 'acquired' };
    if (reply.acquired === false && typeof reply.pttl === 'number' && !Number.isNaN(reply.pttl)) {
      return { node: node.name, status: 'held', pttl: reply.pttl };
    }
  }
  throw new InvalidReplyError(node, 'acquire', reply);
}

export function classifyExtend(reply: boolean, node: LockNode): NodeOutcome {
  if (reply === true) return { node: node.name, status: 'extended' };
  if (reply === false) return { node: node.name, status: 'not-held' };
  throw new InvalidReplyError(node, 'extend', reply);
}

export function classifyRelease(reply: number, node: LockNode): NodeOutcome {
  if (typeof reply !== 'number' || !Number.isInteger(reply) || reply < 0) {
    throw new InvalidReplyError(node, 'release', reply);
  }
  return reply > 0
    ? { node: node.name, status: 'released', deleted: reply }
    : { node: node.name, status: 'not-held' };
}

export function classifyFencedAcquire(reply: FencedAcquireReply, node: LockNode): NodeOutcome {
  if (reply !== null && typeof reply === 'object' && reply.acquired === true) {
    if (typeof reply.fence === 'bigint' && reply.fence >= 0n) {
      return { node: node.name, status: 'acquired' };
    }
    throw new InvalidReplyError(node, 'acquireFenced', reply);
  }
  return classifyAcquire(reply as AcquireReply, node);
}

/** A write-back must leave every counter at least at the fence it was asked to raise them to. */
export function classifyRaise(fence: bigint): (reply: bigint, node: LockNode) => NodeOutcome {
  return (reply, node) => {
    if (typeof reply === 'bigint' && reply >= fence) return { node: node.name, status: 'raised' };
    throw new InvalidReplyError(node, 'raiseFence', reply);
  };
}
