import {
  type InLineReply,
  type LinePlace,
  validateLinePlace,
  validateLockArguments,
} from '@redlock/core';
import type { ScriptRunner } from './lock-commands.js';
import { defineRedisScript } from './redis-script.js';

/**
 * `LockNode.acquireInLine` on Redis. `KEYS` are the n lock keys, then their
 * n line keys (sorted sets: member = value, score = the place's score), then
 * n deadline keys (sorted sets: member = value, score = when the place lapses,
 * on this server's clock, from `TIME`). `ARGV`: value, ttl ms, score, entry
 * TTL ms.
 *
 * Lapsed places are dropped first. The keys are granted (as the acquire
 * script does) only when they are free and no live place of any line ranks
 * before ours (lower score, or the same score and a smaller value: the order
 * Redis keeps equal scores in); then our places go. Otherwise no key
 * changes; with an entry TTL above 0 our place is added or refreshed in
 * every line (and the lines live as long as their newest place), with 0 it
 * is removed (the caller leaves the line).
 *
 * Reply: `{1}` when acquired; otherwise `{0, pttl, ahead}` with `pttl` the
 * longest TTL among keys held by others (-1 when they are free but it is not
 * our turn) and `ahead` the most live places before ours in any line.
 */
export const acquireInLineScript = defineRedisScript(
  'acquire-in-line',
  `local value = ARGV[1]
local entryTtl = tonumber(ARGV[4])
local n = #KEYS / 3
local longest = nil
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  if current and current ~= value then
    local pttl = redis.call('PTTL', KEYS[i])
    if longest == nil or pttl > longest then longest = pttl end
  end
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local ahead = 0
for i = 1, n do
  local line, untils = KEYS[n + i], KEYS[2 * n + i]
  if redis.call('EXISTS', line) == 1 then
    local lapsed = redis.call('ZRANGEBYSCORE', untils, '-inf', now)
    if #lapsed > 0 then
      for _, member in ipairs(lapsed) do redis.call('ZREM', line, member) end
      redis.call('ZREMRANGEBYSCORE', untils, '-inf', now)
    end
    local rank = redis.call('ZRANK', line, value)
    if not rank then
      rank = redis.call('ZCOUNT', line, '-inf', '(' .. ARGV[3])
      for _, member in ipairs(redis.call('ZRANGEBYSCORE', line, ARGV[3], ARGV[3])) do
        if member < value then rank = rank + 1 end
      end
    end
    if rank > ahead then ahead = rank end
  end
end
if longest == nil and ahead == 0 then
  for i = 1, n do
    redis.call('SET', KEYS[i], value, 'PX', ARGV[2])
    redis.call('ZREM', KEYS[n + i], value)
    redis.call('ZREM', KEYS[2 * n + i], value)
  end
  return {1}
end
for i = 1, n do
  if entryTtl > 0 then
    redis.call('ZADD', KEYS[n + i], ARGV[3], value)
    redis.call('ZADD', KEYS[2 * n + i], now + entryTtl, value)
    redis.call('PEXPIRE', KEYS[n + i], entryTtl)
    redis.call('PEXPIRE', KEYS[2 * n + i], entryTtl)
  else
    redis.call('ZREM', KEYS[n + i], value)
    redis.call('ZREM', KEYS[2 * n + i], value)
  end
end
return {0, longest or -1, ahead}
`,
);

/**
 * The line keys of a lock key, in the key's hash slot: `<key>:line` when the
 * key has a `{hash tag}`, else `{<key>}:line` (the same rule as the fencing
 * counters).
 */
export function lineKeysOf(key: string): { line: string; until: string } {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const base = close > open + 1 ? key : `{${key}}`;
  return { line: `${base}:line`, until: `${base}:line:until` };
}

/** Runs the script through a node's runner: checks, key layout, reply decoding. */
export async function acquireInLineCommand(
  run: ScriptRunner,
  keys: readonly string[],
  value: string,
  ttlMs: number,
  place: LinePlace,
  signal: AbortSignal | undefined,
): Promise<InLineReply> {
  validateLockArguments(keys, value, ttlMs);
  validateLinePlace(place);
  const lines = keys.map(lineKeysOf);
  const reply = await run(
    acquireInLineScript,
    [...keys, ...lines.map((line) => line.line), ...lines.map((line) => line.until)],
    [value, String(ttlMs), String(place.score), String(place.entryTtlMs)],
    signal,
  );
  return decodeInLineReply(reply);
}

function decodeInLineReply(reply: unknown): InLineReply {
  if (Array.isArray(reply)) {
    const [flag, pttl, ahead] = reply as unknown[];
    if (Number(flag) === 1 && reply.length === 1) return { acquired: true };
    if (Number(flag) === 0 && reply.length === 3) {
      const pttlMs = Number(pttl);
      const aheadCount = Number(ahead);
      if (Number.isInteger(pttlMs) && Number.isInteger(aheadCount) && aheadCount >= 0) {
        return { acquired: false, pttl: pttlMs, ahead: aheadCount };
      }
    }
  }
  throw new TypeError(`unexpected acquire-in-line reply: ${JSON.stringify(reply)}`);
}
