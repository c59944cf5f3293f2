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
import {
  type AcquireOptions,
  AUTO_RESTART_GUARD_MS,
  defaultOptions,
  type RedlockOptions,
} from './options.js';
import type { RedlockRuntime } from './runtime.js';
import { systemRuntime } from './runtime.js';
import { validateWaitingLine } from './waiting-line.js';

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
 * (Core hands nodes what {@link validateResources} accepted, so this only
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

/** How an acquisition retries; validated. `retryCount` -1 means no limit. */
export interface RetryPlan {
  readonly retryCount: number;
  readonly retryDelay: number;
  readonly retryJitter: number;
  readonly waitTimeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The settings of a `Redlock`, validated and with defaults filled in. */
export interface RedlockSettings {
  readonly nodes: readonly LockNode[];
  readonly quorum: number;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  readonly automaticExtensionThreshold: number;
  readonly retry: Omit<RetryPlan, 'signal'>;
  readonly runtime: RedlockRuntime;
  /** Locks carry fencing tokens (every node has the fencing capability). */
  readonly fencing: boolean;
  /** Resolved restart guard in ms; 0 when off. */
  readonly restartGuardMs: number;
  /** Acquisitions wait in the nodes' lines (see waiting-line.ts). */
  readonly waitingLine: boolean;
}

/** Check the arguments of `new Redlock(nodes, options)`. */
export function validateRedlockSettings(nodes: unknown, options: unknown): RedlockSettings {
  const given = validateOptionsObject(options) as RedlockOptions;
  const validNodes = validateNodes(nodes);
  return {
    nodes: validNodes,
    quorum: validateQuorum(given.quorum, validNodes.length),
    driftFactor: validateNumber('driftFactor', given.driftFactor ?? defaultOptions.driftFactor, {
      min: 0,
      max: 0.5,
    }),
    nodeTimeoutMs: validateTimerMs(
      'nodeTimeoutMs',
      given.nodeTimeoutMs ?? defaultOptions.nodeTimeoutMs,
      { min: 1 },
    ),
    automaticExtensionThreshold: validateTimerMs(
      'automaticExtensionThreshold',
      given.automaticExtensionThreshold ?? defaultOptions.automaticExtensionThreshold,
    ),
    retry: validateRetryOptions({
      retryCount: given.retryCount ?? defaultOptions.retryCount,
      retryDelay: given.retryDelay ?? defaultOptions.retryDelay,
      retryJitter: given.retryJitter ?? defaultOptions.retryJitter,
      waitTimeoutMs: given.waitTimeoutMs,
    }),
    runtime: given.runtime ?? systemRuntime,
    fencing: validateFencing(given.fencing, validNodes),
    restartGuardMs: resolveRestartGuard(given.restartGuardMs, validNodes),
    waitingLine: validateWaitingLine(given.waitingLine),
  };
}

/** `fencing: true` needs every node to keep fencing counters. */
function validateFencing(fencing: unknown, nodes: readonly LockNode[]): boolean {
  if (fencing === undefined || fencing === false) return false;
  if (fencing !== true) {
    throw new InvalidArgumentError(`fencing must be a boolean, got ${describeValue(fencing)}`);
  }
  const lacking = nodes.filter(
    (node) => typeof node.acquireFenced !== 'function' || typeof node.raiseFence !== 'function',
  );
  if (lacking.length > 0) {
    throw new InvalidArgumentError(
      `fencing: true needs nodes with acquireFenced and raiseFence; ${lacking.map((node) => `"${node.name}"`).join(', ')} ${lacking.length === 1 ? 'has' : 'have'} no fencing counters`,
    );
  }
  return true;
}

/**
 * `'auto'` (the default) guards a quorum of 3 or more nodes that all report
 * their server's start; an explicit guard needs every node to report it.
 */
function resolveRestartGuard(guard: unknown, nodes: readonly LockNode[]): number {
  const reporting = nodes.every((node) => typeof node.serverRun === 'function');
  if (guard === undefined || guard === 'auto') {
    return nodes.length >= 3 && reporting ? AUTO_RESTART_GUARD_MS : 0;
  }
  const guardMs = validateTimerMs('restartGuardMs', guard);
  if (guardMs > 0 && !reporting) {
    const lacking = nodes.filter((node) => typeof node.serverRun !== 'function');
    throw new InvalidArgumentError(
      `restartGuardMs needs nodes that report their server's start (serverRun); ${lacking.map((node) => `"${node.name}"`).join(', ')} cannot`,
    );
  }
  return guardMs;
}

/** Check per-call `options` and merge them over the instance's retry settings. */
export function validateRetryPlan(
  options: unknown,
  defaults: Omit<RetryPlan, 'signal'>,
): RetryPlan {
  const given = validateOptionsObject(options) as AcquireOptions;
  const plan = validateRetryOptions({
    retryCount: given.retryCount ?? defaults.retryCount,
    retryDelay: given.retryDelay ?? defaults.retryDelay,
    retryJitter: given.retryJitter ?? defaults.retryJitter,
    waitTimeoutMs: given.waitTimeoutMs ?? defaults.waitTimeoutMs,
  });
  return { ...plan, signal: validateSignal(given.signal) };
}

/** An options argument: an object; `null` or a primitive is a mistake, not "no options". */
export function validateOptionsObject(options: unknown): object {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options must be an object');
  }
  return options;
}

function validateRetryOptions(plan: {
  retryCount: unknown;
  retryDelay: unknown;
  retryJitter: unknown;
  waitTimeoutMs: unknown;
}): Omit<RetryPlan, 'signal'> {
  const retryCount = validateNumber('retryCount', plan.retryCount, {
    min: -1,
    integer: true,
    allowInfinity: true,
  });
  return {
    retryCount: retryCount === Number.POSITIVE_INFINITY ? -1 : retryCount,
    retryDelay: validateTimerMs('retryDelay', plan.retryDelay),
    retryJitter: validateTimerMs('retryJitter', plan.retryJitter),
    waitTimeoutMs:
      plan.waitTimeoutMs === undefined
        ? undefined
        : validateTimerMs('waitTimeoutMs', plan.waitTimeoutMs),
  };
}
