import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * `global.gc`, also when node was started without `--expose-gc`: the flag
 * can be set at run time, and a new context then sees `gc`. So `pnpm bench`
 * needs no NODE_OPTIONS.
 */
export function obtainGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Heap in use after full collections, with turns of the event loop between them so pending callbacks can let go. */
export async function settledHeapUsed(gc: () => void): Promise<number> {
  for (let pass = 0; pass < 3; pass++) {
    gc();
    await nextTurn();
  }
  gc();
  return process.memoryUsage().heapUsed;
}
