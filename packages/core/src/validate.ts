/**
 * Every argument check of `@redlock/*`, in one place. Core uses them before
 * any node is touched; adapters (memory, the Redis nodes) use the exported
 * ones for the arguments of their own `LockNode` methods and options, so a
 * value that core accepts is never refused by a node, and the other way round.
 *
 * Each check returns the value it accepted (normalised where it says so) and
 * throws an {@link InvalidArgumentError} naming the argument and what it got.
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import type { LockNode } from './lock-node.js';

/**
 * The longest delay Node.js timers keep, 2^31 - 1 ms (about 24.8 days).
 * `setTimeout` clamps a larger delay to 1 ms, so any option that ends up in
 * a timer (a TTL that is auto-extended, a command or close timeout, a
 * latency) must not exceed it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A short, credential-free description of a bad input for error messages:
 * `"abc" (string)`, `-1 (number)`, `null`, `an array of length 3`, `object`.
 * Long strings are cut at 40 characters.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `"${value.slice(0, 40)}..." (string)` : `"${value}" (string)`;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${String(value)} (${typeof value})`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** Options of {@link validateTimerMs}. */
export interface TimerRule {
  /** Smallest accepted value (inclusive). Default `0`. */
  readonly min?: number;
  /** Only whole milliseconds (e.g. a Redis `PX`). Default `false`. */
  readonly integer?: boolean;
}

/**
 * A duration that ends up in a timer: a finite number of milliseconds in
 * `[min, MAX_TIMER_MS]` (both inclusive), optionally whole. Returns it.
 *
 * ```ts
 * const closeTimeoutMs = validateTimerMs('closeTimeoutMs', options.closeTimeoutMs ?? 1000);
 * const commandTimeoutMs = validateTimerMs('commandTimeoutMs', value, { min: 1 });
 * ```
 *
 * @throws {InvalidArgumentError} `name must be a finite number of milliseconds >= min, got ...`
 *   or `name must be at most 2147483647 ms ..., got ...`.
 */
export function validateTimerMs(name: string, value: unknown, rule: TimerRule = {}): number {
  const { min = 0, integer = false } = rule;
  const kind = integer ? 'an integer number' : 'a finite number';
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min
  ) {
    throw new InvalidArgumentError(
      `${name} must be ${kind} of milliseconds >= ${min}, got ${describeValue(value)}`,
    );
  }
  if (value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      `${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer Node.js keeps), got ${value}`,
    );
  }
  return value;
}

/**
 * A TTL: a positive whole number of milliseconds that fits a timer (core
 * extends locks with timers, so a longer TTL could never be kept alive).
 *
 * @throws {InvalidArgumentError}
 */
export function validateTtl(ttlMs: unknown, name = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new InvalidArgumentError(
      `${name} must be a positive integer number of milliseconds, got ${describeValue(ttlMs)}`,
    );
  }
  return validateTimerMs(name, ttlMs, { min: 1, integer: true });
}

/**
 * The `keys` of a `LockNode` call: a non-empty array of non-empty strings.
 * (Core hands nodes what `validateResources` accepted, so this only
 * refuses what a direct caller of a node got wrong.)
 *
 * @throws {InvalidArgumentError}
 */
export function validateKeys(keys: unknown): readonly string[] {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new InvalidArgumentError(
      `keys must be a non-empty array of strings, got ${describeValue(keys)}`,
    );
  }
  for (let index = 0; index < keys.length; index++) {
    const key: unknown = keys[index];
    if (typeof key !== 'string' || key.length === 0) {
      throw new InvalidArgumentError(
        `keys[${index}] must be a non-empty string, got ${describeValue(key)}`,
      );
    }
  }
  return keys as readonly string[];
}

/**
 * The lock `value` of a `LockNode` call: a non-empty string.
 *
 * @throws {InvalidArgumentError}
 */
export function validateLockValue(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`value must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The arguments of `LockNode.acquire` / `extend` (with `ttlMs`) or `release`
 * (without): {@link validateKeys}, {@link validateLockValue}, {@link validateTtl}.
 *
 * @throws {InvalidArgumentError} on the first bad argument.
 */
export function validateLockArguments(
  keys: unknown,
  value: unknown,
  ...ttlMs: [] | [unknown]
): void {
  validateKeys(keys);
  validateLockValue(value);
  if (ttlMs.length === 1) validateTtl(ttlMs[0]);
}

/** An optional `AbortSignal`. @throws {InvalidArgumentError} */
export function validateSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
  }
  return signal;
}

/** Normalise `resources` to a non-empty list of distinct, non-empty strings. */
export function validateResources(resources: unknown): readonly string[] {
  const list = typeof resources === 'string' ? [resources] : resources;
  if (!Array.isArray(list)) {
    throw new InvalidArgumentError(
      `resources must be a string or an array of strings, got ${describeValue(resources)}`,
    );
  }
  if (list.length === 0) throw new InvalidArgumentError('resources must not be empty');
  const seen = new Set<string>();
  for (const resource of list) {
    if (typeof resource !== 'string' || resource.length === 0) {
      throw new InvalidArgumentError(
        `every resource must be a non-empty string, got ${describeValue(resource)}`,
      );
    }
    if (seen.has(resource)) {
      throw new InvalidArgumentError(`resource ${describeValue(resource)} is listed twice`);
    }
    seen.add(resource);
  }
  return list.slice();
}

export function validateNodes(nodes: unknown): readonly LockNode[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new InvalidArgumentError('Redlock needs at least one LockNode');
  }
  const names = new Set<string>();
  const seen = new Set<unknown>();
  nodes.forEach((node: unknown, index) => {
    const candidate = node as Partial<LockNode> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      typeof candidate.acquire !== 'function' ||
      typeof candidate.extend !== 'function' ||
      typeof candidate.release !== 'function' ||
      typeof candidate.name !== 'string'
    ) {
      throw new InvalidArgumentError(
        `nodes[${index}] is not a LockNode (needs name, acquire, extend and release)`,
      );
    }
    if (seen.has(candidate) || names.has(candidate.name)) {
      throw new InvalidArgumentError(
        `node "${candidate.name}" is given twice: each node must be an independent store`,
      );
    }
    seen.add(candidate);
    names.add(candidate.name);
  });
  return nodes.slice() as LockNode[];
}

export function validateQuorum(quorum: unknown, nodeCount: number): number {
  const majority = Math.floor(nodeCount / 2) + 1;
  if (quorum === undefined) return majority;
  if (typeof quorum !== 'number' || !Number.isInteger(quorum)) {
    throw new InvalidArgumentError(`quorum must be an integer, got ${describeValue(quorum)}`);
  }
  if (quorum > nodeCount) {
    throw new InvalidArgumentError(
      `quorum ${quorum} is larger than the number of nodes (${nodeCount})`,
    );
  }
  if (quorum < majority) {
    throw new InvalidArgumentError(
      `quorum ${quorum} is not a majority of ${nodeCount} nodes: two owners could hold the lock at once (minimum ${majority})`,
    );
  }
  return quorum;
}

/** A finite number within `[min, max]`, both inclusive (or `>= min` without `max`). */
export function validateNumber(
  name: string,
  value: unknown,
  { min, max, integer = false, allowInfinity = false }: NumberRule,
): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (allowInfinity && value === Number.POSITIVE_INFINITY)) &&
    (!integer || !Number.isFinite(value) || Number.isInteger(value)) &&
    value >= min &&
    (max === undefined || value <= max);
  if (!ok) {
    const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidArgumentError(
      `${name} must be ${integer ? 'an integer' : 'a number'} ${range}, got ${describeValue(value)}`,
    );
  }
  return value as number;
}

interface NumberRule {
  min: number;
  max?: number;
  integer?: boolean;
  allowInfinity?: boolean;
}

/** An options argument: an object; `null` or a primitive is a mistake, not "no options". */
export function validateOptionsObject(options: unknown): object {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options must be an object');
  }
  return options;
}
