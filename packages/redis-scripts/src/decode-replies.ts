import { RedisReplyError } from './reply-error.js';

/** Decoded reply of the acquire script; the same shape as `AcquireReply` in `@redlock/core`. */
export type AcquireScriptReply =
  | { readonly acquired: true }
  | { readonly acquired: false; readonly pttl: number };

/** Decoded state of one key from the inspect script; the shape of `KeyState` in `@redlock/core`. */
export interface InspectedKey {
  readonly value: string | null;
  readonly pttl: number;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** An integer reply as a number; clients may map integers to `bigint` (RESP3 type mapping). */
function asInteger(reply: unknown): number | undefined {
  if (typeof reply === 'number' && Number.isSafeInteger(reply)) return reply;
  if (typeof reply === 'bigint') {
    const value = Number(reply);
    if (Number.isSafeInteger(value)) return value;
  }
  return undefined;
}

/** A bulk string reply as a string; clients may hand out `Buffer`s. */
function asString(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) {
    try {
      return textDecoder.decode(reply);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Decodes `{1}` / `{0, pttl}` from the acquire script. */
export function decodeAcquireReply(reply: unknown): AcquireScriptReply {
  if (Array.isArray(reply)) {
    const flag = asInteger(reply[0]);
    if (flag === 1 && reply.length === 1) return { acquired: true };
    const pttl = asInteger(reply[1]);
    if (flag === 0 && reply.length === 2 && pttl !== undefined && pttl >= -1) {
      return { acquired: false, pttl };
    }
  }
  throw new RedisReplyError('acquire', '[1] or [0, pttl]', reply);
}

/** Decodes 1 / 0 from the extend script. */
export function decodeExtendReply(reply: unknown): boolean {
  const flag = asInteger(reply);
  if (flag === 1) return true;
  if (flag === 0) return false;
  throw new RedisReplyError('extend', '1 or 0', reply);
}

/** Decodes the number of keys the release script deleted, at most `keyCount`. */
export function decodeReleaseReply(reply: unknown, keyCount: number): number {
  const deleted = asInteger(reply);
  if (deleted !== undefined && deleted >= 0 && deleted <= keyCount) return deleted;
  throw new RedisReplyError('release', `an integer from 0 to ${keyCount}`, reply);
}

/** Decodes the flat `[value, pttl, ...]` array of the inspect script, one entry per key. */
export function decodeInspectReply(reply: unknown, keyCount: number): InspectedKey[] {
  const expected = `[value | null, pttl] for each of ${keyCount} keys`;
  if (!Array.isArray(reply) || reply.length !== keyCount * 2) {
    throw new RedisReplyError('inspect', expected, reply);
  }
  const states: InspectedKey[] = [];
  for (let index = 0; index < reply.length; index += 2) {
    const rawValue: unknown = reply[index];
    const value = rawValue === null ? null : asString(rawValue);
    const pttl = asInteger(reply[index + 1]);
    if (value === undefined || pttl === undefined || pttl < -2) {
      throw new RedisReplyError('inspect', expected, reply);
    }
    states.push({ value, pttl });
  }
  return states;
}
