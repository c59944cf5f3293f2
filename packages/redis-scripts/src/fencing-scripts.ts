import { defineRedisScript } from './redis-script.js';

/**
 * The Redis side of two optional `LockNode` capabilities of `@redlock/core`:
 * fencing counters (`acquireFenced`, `raiseFence`) and restart detection
 * (`serverRun`), used by `RedisLockNode`.
 *
 * Counters are plain string keys next to their lock key, without a TTL (a
 * counter must outlive every lock on its key), in the same hash slot
 * ({@link fenceKeyOf}), so a Cluster runs each script on one node. They are
 * stored as decimal integers and computed in Lua doubles, exact below 2^53:
 * counters are microseconds since the epoch (about 1.8e15 in 2026), which
 * stays below 2^53 until the year 2255.
 */

/**
 * The counter key of lock key `key`, in the same Redis Cluster hash slot:
 * `<key>:fence` when `key` has a hash tag (the tag still comes first),
 * `{<key>}:fence` otherwise (the tag is then the whole key, which is what
 * Redis hashes for a key without a tag). A key without a valid tag that
 * contains `}` cannot be tagged that way; it gets `<key>:fence`, which on a
 * Cluster may hash elsewhere (give such keys a hash tag).
 */
export function fenceKeyOf(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hasTag = open !== -1 && close > open + 1;
  if (hasTag || key.includes('}')) return `${key}:fence`;
  return `{${key}}:fence`;
}

/**
 * `acquire` with fencing counters. `KEYS`: the n lock keys, then their n
 * counter keys in the same order; `ARGV[1]` the value, `ARGV[2]` the TTL in
 * ms. Grants exactly as the acquire script does; when it grants, sets each
 * counter to `max(counter + 1, TIME in µs)`.
 *
 * Reply: `{1, "<largest counter>"}` when acquired (a string: a Lua number
 * would be truncated to an integer reply, and formatted without exponent
 * only by `%.0f`); `{0, pttl}` otherwise, changing no counter.
 */
export const acquireFencedScript = defineRedisScript(
  'acquireFenced',
  `local n = #KEYS / 2
local value = ARGV[1]
local longest = nil
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  if current and current ~= value then
    local pttl = redis.call('PTTL', KEYS[i])
    if longest == nil or pttl > longest then longest = pttl end
  end
end
if longest ~= nil then return {0, longest} end
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local fence = 0
for i = 1, n do
  redis.call('SET', KEYS[i], value, 'PX', ARGV[2])
  local counter = tonumber(redis.call('GET', KEYS[n + i]) or '0') + 1
  if counter < floor then counter = floor end
  redis.call('SET', KEYS[n + i], string.format('%.0f', counter))
  if counter > fence then fence = counter end
end
return {1, string.format('%.0f', fence)}
`,
);

/**
 * The fencing write-back. `KEYS`: counter keys; `ARGV[1]`: the fence, a
 * decimal integer. Sets each counter below the fence to it, never lowers
 * one. Reply: the smallest counter afterwards, as a decimal string.
 */
export const raiseFenceScript = defineRedisScript(
  'raiseFence',
  `local fence = tonumber(ARGV[1])
local smallest = nil
for _, key in ipairs(KEYS) do
  local counter = tonumber(redis.call('GET', key) or '0')
  if counter < fence then
    counter = fence
    redis.call('SET', key, ARGV[1])
  end
  if smallest == nil or counter < smallest then smallest = counter end
end
return string.format('%.0f', smallest)
`,
);

/**
 * `INFO server` from inside a script (allowed since Redis 7): the reply of
 * the connection that runs it, so no client needs a generic command for it.
 */
export const serverInfoScript = defineRedisScript(
  'serverInfo',
  `return redis.call('INFO', 'server')`,
);

/** The fencing scripts, for `SCRIPT LOAD` when a node uses fencing. */
export const fencingScripts = [acquireFencedScript, raiseFenceScript] as const;

/** The arguments of {@link acquireFencedScript}: lock keys then counter keys. */
export function acquireFencedKeys(keys: readonly string[]): string[] {
  return [...keys, ...keys.map(fenceKeyOf)];
}

/** `{ acquired: true, fence }` or `{ acquired: false, pttl }` from the acquireFenced reply. */
export function decodeAcquireFencedReply(
  reply: unknown,
): { acquired: true; fence: bigint } | { acquired: false; pttl: number } {
  if (Array.isArray(reply) && reply.length === 2) {
    const [flag, payload] = reply as [unknown, unknown];
    if (Number(flag) === 1 && isDecimal(payload)) return { acquired: true, fence: BigInt(payload) };
    if (Number(flag) === 0 && Number.isFinite(Number(payload))) {
      return { acquired: false, pttl: Number(payload) };
    }
  }
  throw new TypeError(`unexpected acquireFenced reply: ${String(reply)}`);
}

/** The smallest counter after a write-back, from the raiseFence reply. */
export function decodeRaiseFenceReply(reply: unknown): bigint {
  if (isDecimal(reply)) return BigInt(reply);
  throw new TypeError(`unexpected raiseFence reply: ${String(reply)}`);
}

function isDecimal(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}

/**
 * Restart detection from `INFO server`: the `run_id` (new on every start)
 * and `uptime_in_seconds`, as a `serverRun()` reply. A node reads it on
 * every (re)connection, before that connection carries a request, and adds
 * the time since it read it.
 */
export function parseServerRun(info: string): { runId: string; uptimeMs: number } {
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const runId = field('run_id');
  const uptimeSeconds = Number(field('uptime_in_seconds'));
  if (runId === undefined || runId.length === 0 || !Number.isFinite(uptimeSeconds)) {
    throw new TypeError('INFO server reply without run_id and uptime_in_seconds');
  }
  return { runId, uptimeMs: uptimeSeconds * 1000 };
}
