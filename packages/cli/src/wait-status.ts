import type { LockNode } from '@redlock/core';
import { formatDuration } from './duration.js';
import type { Reporter } from './reporter.js';

/** An acquisition that succeeds at once draws nothing: the line appears only after this. */
const FIRST_DRAW_MS = 300;
const REFRESH_MS = 500;
const INSPECT_TIMEOUT_MS = 1000;

/**
 * While `redlock run` waits on a TTY, one status line says what for:
 * `waiting for "nightly-report": held on 3/5 nodes, expires in 12.4 s`.
 * It asks each node who holds the keys (`LockNode.inspect`) a few times a
 * second. Returns the function that stops it and clears the line.
 */
export function showWaitStatus(
  nodes: readonly LockNode[],
  resources: readonly string[],
  reporter: Reporter,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const what = resources.map((resource) => JSON.stringify(resource)).join(', ');

  const draw = async (): Promise<void> => {
    const states = await Promise.all(nodes.map((node) => holdOn(node, resources)));
    if (stopped) return;
    const held = states.filter((state) => state.held);
    const failed = states.filter((state) => state.failed).length;
    const longestMs = Math.max(0, ...held.map((state) => state.pttl));
    const parts = [
      held.length === 0
        ? 'free, acquiring'
        : `held on ${held.length}/${nodes.length} nodes, expires in ${formatDuration(longestMs)}`,
    ];
    if (failed > 0) parts.push(`${failed} not answering`);
    reporter.status(`waiting for ${what}: ${parts.join(', ')}`);
    timer = setTimeout(() => void draw(), REFRESH_MS);
  };

  timer = setTimeout(() => void draw(), FIRST_DRAW_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
    reporter.clearStatus();
  };
}

async function holdOn(
  node: LockNode,
  resources: readonly string[],
): Promise<{ held: boolean; pttl: number; failed: boolean }> {
  if (!node.inspect) return { held: false, pttl: 0, failed: true };
  try {
    const keys = await withTimeout(node.inspect(resources), INSPECT_TIMEOUT_MS);
    const holders = keys.filter((key) => key.value !== null);
    return {
      held: holders.length > 0,
      pttl: Math.max(0, ...holders.map((key) => key.pttl)),
      failed: false,
    };
  } catch {
    return { held: false, pttl: 0, failed: true };
  }
}

/** Rejects when `promise` has not settled within `ms`; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
