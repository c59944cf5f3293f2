import {
  type AcquireScriptReply,
  decodeAcquireReply,
  decodeExtendReply,
  decodeInspectReply,
  decodeReleaseReply,
  type InspectedKey,
} from './decode-replies.js';
import { describeInvalidKeys, describeInvalidLockArguments } from './lock-arguments.js';
import { acquireScript, extendScript, inspectScript, releaseScript } from './lock-scripts.js';
import type { RedisScript } from './redis-script.js';
import { RELEASE_CHANNEL_PREFIX } from './release-channel.js';

/** Runs one script on a node: how an adapter sends EVALSHA/EVAL through its client. */
export type ScriptRunner = (
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
  signal: AbortSignal | undefined,
) => Promise<unknown>;

/** The script-backed operations of a Redis `LockNode`, independent of the client. */
export interface LockCommands {
  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireScriptReply>;
  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean>;
  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number>;
  inspect(keys: readonly string[]): Promise<InspectedKey[]>;
}

/**
 * One home for what every Redis adapter does around a script: check the
 * arguments, lay them out as the script expects, decode the reply. The
 * adapter supplies how to run a script and which error a bad argument is
 * (`InvalidArgumentError` from `@redlock/core`; this package depends on no
 * client and no core).
 */
export function lockCommands(run: ScriptRunner, reject: (problem: string) => Error): LockCommands {
  const check = (problem: string | undefined): void => {
    if (problem !== undefined) throw reject(problem);
  };
  return {
    async acquire(keys, value, ttlMs, signal) {
      check(describeInvalidLockArguments(keys, value, ttlMs));
      return decodeAcquireReply(await run(acquireScript, keys, [value, String(ttlMs)], signal));
    },
    async extend(keys, value, ttlMs, signal) {
      check(describeInvalidLockArguments(keys, value, ttlMs));
      return decodeExtendReply(await run(extendScript, keys, [value, String(ttlMs)], signal));
    },
    async release(keys, value, signal) {
      check(describeInvalidLockArguments(keys, value));
      const reply = await run(releaseScript, keys, [value, RELEASE_CHANNEL_PREFIX], signal);
      return decodeReleaseReply(reply, keys.length);
    },
    async inspect(keys) {
      check(describeInvalidKeys(keys));
      return decodeInspectReply(await run(inspectScript, keys, [], undefined), keys.length);
    },
  };
}
