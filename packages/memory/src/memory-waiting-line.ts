import type { InLineReply, LinePlace } from '@redlock/core';
import type { MemoryStore } from './memory-store.js';

interface Place {
  readonly score: number;
  /** Store clock reading at which the place lapses. */
  expiresAt: number;
}

/** value -> place, per key. */
type Lines = Map<string, Map<string, Place>>;

/** The lines of each store, so nodes sharing a store (one server) share its lines. */
const linesOfStore = new WeakMap<MemoryStore, Lines>();

/**
 * `LockNode.acquireInLine` on a {@link MemoryStore}: grants like `acquire`,
 * but only to the first live place of every key's line (by score, then
 * value); otherwise takes or refreshes the caller's place. Synchronous, so
 * atomic like every store operation.
 */
export function acquireInLine(
  store: MemoryStore,
  keys: readonly string[],
  value: string,
  ttlMs: number,
  place: LinePlace,
): InLineReply {
  let lines = linesOfStore.get(store);
  if (lines === undefined) {
    lines = new Map();
    linesOfStore.set(store, lines);
  }
  const now = store.clock.now();
  let ahead = 0;
  for (const key of keys) {
    const line = lines.get(key);
    if (line === undefined) continue;
    let before = 0;
    for (const [waiter, other] of line) {
      if (other.expiresAt <= now) line.delete(waiter);
      else if (waiter !== value && ranksBefore(other.score, waiter, place.score, value)) before++;
    }
    if (line.size === 0) lines.delete(key);
    ahead = Math.max(ahead, before);
  }
  if (ahead === 0) {
    const reply = store.acquire(keys, value, ttlMs);
    if (reply.acquired) {
      for (const key of keys) leave(lines, key, value);
      return reply;
    }
    join(lines, keys, value, place, now);
    return { acquired: false, pttl: reply.pttl, ahead: 0 };
  }
  let pttl = -1;
  for (const state of store.inspect(keys)) {
    if (state.value !== null && state.value !== value) pttl = Math.max(pttl, state.pttl);
  }
  join(lines, keys, value, place, now);
  return { acquired: false, pttl, ahead };
}

/** Live places of `key` on `store`, first first: for tests and the simulation. */
export function linePlaces(store: MemoryStore, key: string): string[] {
  const line = linesOfStore.get(store)?.get(key);
  if (line === undefined) return [];
  const now = store.clock.now();
  return [...line]
    .filter(([, place]) => place.expiresAt > now)
    .sort(([a, x], [b, y]) => (ranksBefore(x.score, a, y.score, b) ? -1 : 1))
    .map(([waiter]) => waiter);
}

/** Whether place (score a, value x) goes before (score b, value y): by score, then value as bytes. */
function ranksBefore(a: number, x: string, b: number, y: string): boolean {
  if (a !== b) return a < b;
  return Buffer.compare(Buffer.from(x), Buffer.from(y)) < 0;
}

function join(
  lines: Lines,
  keys: readonly string[],
  value: string,
  place: LinePlace,
  now: number,
): void {
  if (place.entryTtlMs === 0) {
    for (const key of keys) leave(lines, key, value);
    return;
  }
  for (const key of keys) {
    let line = lines.get(key);
    if (line === undefined) {
      line = new Map();
      lines.set(key, line);
    }
    line.set(value, { score: place.score, expiresAt: now + place.entryTtlMs });
  }
}

function leave(lines: Lines, key: string, value: string): void {
  const line = lines.get(key);
  if (line === undefined) return;
  line.delete(value);
  if (line.size === 0) lines.delete(key);
}
