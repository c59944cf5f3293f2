import { defineRedisScript } from './redis-script.js';

/**
 * Acquire every key in `KEYS` for the owner `ARGV[1]` with a TTL of
 * `ARGV[2]` ms, or none of them.
 *
 * Keys already holding our own value count as free: a straggler key left by
 * one of our earlier attempts must not block our own retry.
 *
 * Reply: `{1}` when acquired; otherwise `{0, pttl}` where `pttl` is the
 * longest remaining TTL among keys held by others (-1 when such a key has no
 * TTL). A bare integer could not tell "acquired" from "1 ms left", hence the
 * array.
 */
export const acquireScript = defineRedisScript(
  'acquire',
  `local value = ARGV[1]
local longest = nil
for _, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current and current ~= value then
    local pttl = redis.call('PTTL', key)
    if longest == nil or pttl > longest then longest = pttl end
  end
end
if longest ~= nil then return {0, longest} end
for _, key in ipairs(KEYS) do
  redis.call('SET', key, value, 'PX', ARGV[2])
end
return {1}
`,
);

/**
 * Set the TTL of every key in `KEYS` to `ARGV[2]` ms if all of them hold
 * `ARGV[1]`; otherwise change nothing. Never creates a key, so a lock that
 * lapsed on this node is not revived. Reply: 1 extended, 0 not.
 */
export const extendScript = defineRedisScript(
  'extend',
  `local value = ARGV[1]
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) ~= value then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('PEXPIRE', key, ARGV[2])
end
return 1
`,
);

/**
 * Delete each key in `KEYS` that holds `ARGV[1]`, and for each one PUBLISH
 * the released value on channel `ARGV[2] .. key`, so waiters wake up instead
 * of polling. Reply: the number of keys deleted.
 *
 * The channel prefix comes in `ARGV` (see {@link releaseChannel}) so the
 * subscriber side and this script cannot disagree on channel names.
 */
export const releaseScript = defineRedisScript(
  'release',
  `local value = ARGV[1]
local deleted = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == value then
    redis.call('DEL', key)
    deleted = deleted + 1
    redis.call('PUBLISH', ARGV[2] .. key, value)
  end
end
return deleted
`,
);

/**
 * Read the holder and remaining TTL of every key in `KEYS` in one atomic
 * step. Reply: a flat array `{value1, pttl1, value2, pttl2, ...}` where an
 * absent key's value is a nil reply and its pttl -2.
 */
export const inspectScript = defineRedisScript(
  'inspect',
  `local reply = {}
for _, key in ipairs(KEYS) do
  reply[#reply + 1] = redis.call('GET', key)
  reply[#reply + 1] = redis.call('PTTL', key)
end
return reply
`,
);

/** Every script the adapters run, e.g. for `SCRIPT LOAD` at startup. */
export const lockScripts = [acquireScript, extendScript, releaseScript, inspectScript] as const;

/**
 * The scripts an adapter loads (`SCRIPT LOAD`) whenever a connection becomes
 * ready: every lock call uses one of them. `inspect` is left out; it is not
 * on the locking path.
 */
export const preloadedScripts = [acquireScript, extendScript, releaseScript] as const;
