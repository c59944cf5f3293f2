import { validateKeys, validateLockArguments } from '@redlock/core';
import {
  type AcquireScriptReply,
  decodeAcquireReply,
  decodeExtendReply,
  decodeInspectReply,
  decodeReleaseReply,
  type InspectedKey,
} from './decode-replies.js';
import { acquireScript, extendScript, inspectScript, releaseScript } from './lock-scripts.js';
import type { RedisScript } from './redis-script.js';
import { RELEASE_CHANNEL_PREFIX } from './release-channel.js';

/** Runs one script on a node: how the node sends EVALSHA/EVAL through its client port. */
export type ScriptRunner = (
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
  signal: AbortSignal | undefined,
) => Promise<unknown>;

/** The script-backed operations of a Redis `LockNode`, independent of the client. */
export interface LockCommands {
  /** Runs the acquire script: sets every key to `value` with TTL `ttlMs` if all are free or ours. */
  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireScriptReply>;
  /** Runs the extend script: resets the TTL of every key that holds `value`; never creates a key. */
  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /** Runs the release script: deletes each key holding `value`, resolves with how many. */
  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number>;
  /** Reads each key's value and remaining TTL. */
  inspect(keys: readonly string[]): Promise<InspectedKey[]>;
}

/**
 * What every Redis node does around a script: check the arguments with
 * core's checks (an `InvalidArgumentError` before the server is touched),
 * lay them out as the script expects, decode the reply.
 */
export function lockCommands(run: ScriptRunner): LockCommands {
  return {
    async acquire(keys, value, ttlMs, signal) {
      validateLockArguments(keys, value, ttlMs);
      return decodeAcquireReply(await run(acquireScript, keys, [value, String(ttlMs)], signal));
    },
    async extend(keys, value, ttlMs, signal) {
      validateLockArguments(keys, value, ttlMs);
      return decodeExtendReply(await run(extendScript, keys, [value, String(ttlMs)], signal));
    },
    async release(keys, value, signal) {
      validateLockArguments(keys, value);
      const reply = await run(releaseScript, keys, [value, RELEASE_CHANNEL_PREFIX], signal);
      return decodeReleaseReply(reply, keys.length);
    },
    async inspect(keys) {
      validateKeys(keys);
      return decodeInspectReply(await run(inspectScript, keys, [], undefined), keys.length);
    },
  };
}
