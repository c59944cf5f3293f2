import type { RedlockOptions } from '@redlock/core';
import { LOCK_SETTINGS } from '../settings.js';

/** Our Redlock with the shared settings: retry forever, waiting [10, 20] ms (or until a release wakes us). */
export const oursRedlockOptions: RedlockOptions = {
  quorum: LOCK_SETTINGS.quorum,
  driftFactor: LOCK_SETTINGS.driftFactor,
  retryCount: -1,
  retryDelay: LOCK_SETTINGS.retryDelayMinMs,
  retryJitter: LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs,
  nodeTimeoutMs: LOCK_SETTINGS.nodeTimeoutMs,
  // The benchmark's servers were started a moment ago: a restart guard ('auto' is 30 s once
  // the nodes report their server's start) would refuse every lock for the first 30 s.
  restartGuardMs: 0,
};

export const OURS_SETTINGS_NOTE =
  `quorum ${LOCK_SETTINGS.quorum}, driftFactor ${LOCK_SETTINGS.driftFactor}, retryCount -1 (unbounded), ` +
  `retryDelay ${LOCK_SETTINGS.retryDelayMinMs} + retryJitter ${LOCK_SETTINGS.retryDelayMaxMs - LOCK_SETTINGS.retryDelayMinMs} ms ` +
  `(a release seen through pub/sub or in-process wakes the next waiter earlier), nodeTimeoutMs ${LOCK_SETTINGS.nodeTimeoutMs}`;
