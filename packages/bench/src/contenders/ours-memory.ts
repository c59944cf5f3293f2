import { Redlock } from '@redlock/core';
import { MemoryLockNode } from '@redlock/memory';
import type { Contender } from '../contender.js';
import { LOCK_SETTINGS } from '../settings.js';
import { OURS_SETTINGS_NOTE, oursRedlockOptions } from './ours-options.js';

/**
 * Our Redlock on five in-process `MemoryLockNode`s: no network, so what is
 * measured is the algorithm's own cost. Ignores the servers it is given.
 */
export const oursMemory: Contender = {
  id: 'ours-memory',
  label: 'ours (@redlock/memory)',
  kind: 'ours',
  packages: [],
  multiResource: true,
  settingsNote: OURS_SETTINGS_NOTE,
  async open() {
    const nodes = Array.from({ length: LOCK_SETTINGS.nodeCount }, () => new MemoryLockNode());
    const redlock = new Redlock(nodes, oursRedlockOptions);
    return {
      async acquire(resources) {
        const lock = await redlock.acquire(resources, LOCK_SETTINGS.ttlMs);
        return () => lock.release();
      },
      async close() {
        await redlock.close();
      },
    };
  },
};
