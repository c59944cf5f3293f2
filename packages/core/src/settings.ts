/**
 * The settings of a `Redlock` and of each acquisition: options checked with
 * the argument checks of `validate.ts`, defaults filled in,
 * resolved, capabilities the options need checked against the nodes.
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import type { LockNode } from './lock-node.js';
import { type AcquireOptions, defaultOptions, type RedlockOptions } from './options.js';
import { type RedlockRuntime, systemRuntime } from './runtime.js';
import {
  describeValue,
  validateNodes,
  validateNumber,
  validateOptionsObject,
  validateQuorum,
  validateSignal,
  validateTimerMs,
} from './validate.js';
import { validateWaitingLine } from './waiting-line.js';

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
  /** The restart guard in ms; 0 when off. */
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

/** An explicit guard needs every node to report its server's start. */
function resolveRestartGuard(guard: unknown, nodes: readonly LockNode[]): number {
  if (guard === undefined) return defaultOptions.restartGuardMs;
  const guardMs = validateTimerMs('restartGuardMs', guard);
  if (guardMs > 0 && !nodes.every((node) => typeof node.serverRun === 'function')) {
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
  // The usual call overrides nothing: the defaults were validated once, by the constructor.
  if (
    given.retryCount === undefined &&
    given.retryDelay === undefined &&
    given.retryJitter === undefined &&
    given.waitTimeoutMs === undefined
  ) {
    const signal = validateSignal(given.signal);
    // No signal either: the defaults are the plan (their `signal` reads undefined), no copy.
    return signal === undefined ? (defaults as RetryPlan) : { ...defaults, signal };
  }
  const plan = validateRetryOptions({
    retryCount: given.retryCount ?? defaults.retryCount,
    retryDelay: given.retryDelay ?? defaults.retryDelay,
    retryJitter: given.retryJitter ?? defaults.retryJitter,
    waitTimeoutMs: given.waitTimeoutMs ?? defaults.waitTimeoutMs,
  });
  return { ...plan, signal: validateSignal(given.signal) };
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
