import type { LockNode } from '@redlock/core';
import { expect } from 'vitest';

/** TTL of a probe's own key; it is released at once, this only bounds a leak. */
const PROBE_TTL_MS = 10_000;

let probeCount = 0;
function probeValue(): string {
  probeCount += 1;
  return `probe-${probeCount}-${globalThis.crypto.randomUUID()}`;
}

/**
 * Whether another owner could take `key` right now. Probes with `acquire`,
 * which every node has, and releases the probe's key again, so the store is
 * left as it was found.
 */
export async function isFree(node: LockNode, key: string): Promise<boolean> {
  const probe = probeValue();
  const reply = await node.acquire([key], probe, PROBE_TTL_MS);
  if (!reply.acquired) return false;
  await node.release([key], probe);
  return true;
}

/** The remaining TTL another owner is told when it tries to take the held `key`. */
export async function pttlSeenByOthers(node: LockNode, key: string): Promise<number> {
  const probe = probeValue();
  const reply = await node.acquire([key], probe, PROBE_TTL_MS);
  if (reply.acquired) {
    await node.release([key], probe);
    expect.fail(`expected "${key}" to be held, but another owner could take it`);
  }
  return reply.pttl;
}

/** Asserts that each key is free, naming the first that is not. */
export async function expectFree(node: LockNode, keys: readonly string[], why: string) {
  for (const key of keys)
    expect(await isFree(node, key), `"${key}" should be free: ${why}`).toBe(true);
}

/** Asserts that each key is held (by anyone), naming the first that is not. */
export async function expectHeld(node: LockNode, keys: readonly string[], why: string) {
  for (const key of keys)
    expect(await isFree(node, key), `"${key}" should be held: ${why}`).toBe(false);
}

/** Values that are close to `value` but not equal: an exact comparison must refuse each. */
export function nearMisses(value: string): [string, string][] {
  return [
    ['case', value.toUpperCase()],
    ['a trailing space', `${value} `],
    ['a leading space', ` ${value}`],
    ['a missing last character', value.slice(0, -1)],
    ['an extra last character', `${value}0`],
  ];
}
