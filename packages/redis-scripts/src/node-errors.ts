import { InvalidArgumentError } from '@redlock/core';

/**
 * A call failed at once because the node's connection is known to be down
 * (the last connection attempt failed), or because the client was closed.
 * It is an outcome of that node, not an error of the lock: Redlock reports
 * it per node, e.g. `redis://10.0.0.3:6379/0: ECONNREFUSED`, and carries on
 * with the others. `code` is the cause's code (`ECONNREFUSED`,
 * `ETIMEDOUT`, ...), else the cause's name (`SocketClosedUnexpectedlyError`),
 * or `CONNECTION_CLOSED` for a closed client; `cause` is the client's error.
 */
export class RedisNodeUnavailableError extends Error {
  readonly code: string;

  constructor(nodeName: string, cause: Error | undefined) {
    const code = codeOf(cause) ?? (cause ? cause.name : undefined) ?? 'CONNECTION_CLOSED';
    const detail = cause?.message || 'the client is closed';
    super(`${nodeName} is unavailable: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'RedisNodeUnavailableError';
    this.code = code;
  }
}

/** The `code` of a client error, looking through wrappers such as ioredis' `ClusterAllFailedError`. */
function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, lastNodeError, cause } = current as {
      code?: unknown;
      lastNodeError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && code !== '') return code;
    current = lastNodeError ?? cause;
  }
  return undefined;
}

/**
 * The error of every call on a node after `close()`, usually through
 * `redlock.close()`. An `InvalidArgumentError`: using a closed Redlock is a
 * programming error, so Redlock rejects with it at once instead of retrying.
 */
export function nodeClosedError(nodeName: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `this Redlock was closed (node ${nodeName} is closed): create a new one to lock again`,
  );
}
