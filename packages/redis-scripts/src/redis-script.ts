import { createHash } from 'node:crypto';

/**
 * A Lua script as Redis knows it: the source sent with `EVAL`, and the SHA1
 * digest `EVALSHA` refers to once the server has cached the source.
 */
export interface RedisScript {
  /** Short name used in error messages, e.g. `"acquire"`. */
  readonly name: string;
  /** The Lua source. Keys and values only ever arrive as `KEYS` and `ARGV`. */
  readonly source: string;
  /** Lower-case hex SHA1 of `source`, the name `EVALSHA` and `SCRIPT LOAD` use. */
  readonly sha1: string;
}

/**
 * Builds a {@link RedisScript}, computing its SHA1 at module load so the
 * digest can never drift from the source it names.
 */
export function defineRedisScript(name: string, source: string): RedisScript {
  const sha1 = createHash('sha1').update(source, 'utf8').digest('hex');
  return Object.freeze({ name, source, sha1 });
}

/**
 * True when `error` is Redis telling us it has not cached a script (after a
 * restart, a failover or `SCRIPT FLUSH`): the caller should resend it with
 * `EVAL`, which caches it again for later `EVALSHA` calls.
 */
export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** How {@link evalScript} reaches the server; both receive keys and arguments separately. */
export interface ScriptEvaluator {
  /** `EVALSHA sha1 numkeys ...keys ...args`; `signal` aborts once the caller gave up. */
  evalSha(
    sha1: string,
    keys: readonly string[],
    args: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<unknown>;
  /** `EVAL source numkeys ...keys ...args`; `signal` aborts once the caller gave up. */
  eval(
    source: string,
    keys: readonly string[],
    args: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<unknown>;
}

/**
 * Runs `script` with `EVALSHA`, falling back to `EVAL` when the server has
 * not cached it (`NOSCRIPT`). `EVAL` caches the script, so the next call is
 * an `EVALSHA` again. Once `deadlineSignal` has aborted, no fallback is sent:
 * the caller has already given up, and a late `EVAL` could only take a lock
 * nobody is waiting for.
 *
 * Pass `scriptCached: false` when the server is not known to have the script
 * (a connection that is not ready yet, see `ScriptPreloader`): then it
 * sends `EVAL` at once, one round trip instead of `EVALSHA`, `NOSCRIPT` and
 * `EVAL`.
 */
export function evalScript(
  evaluator: ScriptEvaluator,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
  deadlineSignal?: AbortSignal,
  scriptCached = true,
): Promise<unknown> {
  // Promise chaining rather than async/await: this runs for every command,
  // and each await is another turn of the microtask queue.
  try {
    if (!scriptCached) return evaluator.eval(script.source, keys, args, deadlineSignal);
    return evaluator.evalSha(script.sha1, keys, args, deadlineSignal).catch((error: unknown) => {
      if (!isNoScriptError(error)) throw error;
      deadlineSignal?.throwIfAborted();
      return evaluator.eval(script.source, keys, args, deadlineSignal);
    });
  } catch (error) {
    // A client that throws instead of rejecting still gives a rejected promise.
    return Promise.reject(error);
  }
}
