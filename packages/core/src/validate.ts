import { InvalidArgumentError } from './errors.js';
import type { LockNode } from './lock-node.js';

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

/** A TTL must be a positive whole number of milliseconds that fits a timer. */
export function validateTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new InvalidArgumentError(
      `ttlMs must be a positive integer number of milliseconds, got ${describeValue(ttlMs)}`,
    );
  }
  // setTimeout clamps larger delays to 1 ms, which would break auto-extension.
  if (ttlMs > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      `ttlMs must be at most ${MAX_TIMER_MS} (about 24.8 days), got ${ttlMs}`,
    );
  }
  return ttlMs;
}

export const MAX_TIMER_MS = 2_147_483_647;

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

/** A finite number within [min, max) or [min, max]. */
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

export function validateSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
  }
  return signal;
}

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
