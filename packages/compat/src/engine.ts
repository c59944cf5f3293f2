import { Redlock as CoreRedlock, type LockNode } from '@redlock/core';
import { type Client, type ClientKind, lockNodeOf } from './client.js';
import { observedNode } from './observed-node.js';
import type { CompatSettings } from './settings.js';
import { VoteLedger } from './vote-ledger.js';

/** What a compat `Redlock` runs on: core's Redlock over one observed node per client. */
export interface Engine {
  readonly core: CoreRedlock;
  /** One observed node per client, in client order. */
  readonly nodes: readonly LockNode[];
  readonly ledger: VoteLedger;
}

/**
 * Builds the engine; the client adapters are imported here, on first use.
 * `onVoteAgainst` hears every vote against as it comes in.
 */
export async function startEngine(
  clients: readonly Client[],
  kinds: readonly ClientKind[],
  settings: CompatSettings,
  onVoteAgainst: (error: Error) => void,
): Promise<Engine> {
  const ledger = new VoteLedger(clients, settings.nodeTimeoutMs);
  const nodes = await Promise.all(
    clients.map((client, index) => lockNodeOf(client, kinds[index]!)),
  );
  const listener = { onRequest: ledger.record.bind(ledger), onVoteAgainst };
  const observed = nodes.map((node, index) =>
    observedNode(node, index, settings.nodeTimeoutMs, listener),
  );
  const core = new CoreRedlock(observed, {
    ...retryOptions(settings),
    driftFactor: settings.driftFactor,
    automaticExtensionThreshold: settings.automaticExtensionThreshold,
    nodeTimeoutMs: settings.nodeTimeoutMs,
  });
  return { core, nodes: observed, ledger };
}

/**
 * node-redlock waits `retryDelay ± retryJitter`; core waits `retryDelay + [0, retryJitter]`.
 * Same window, so contention behaves as users tuned it.
 */
export function retryOptions(settings: CompatSettings) {
  const jitter = Math.max(0, settings.retryJitter);
  const lowest = Math.max(0, settings.retryDelay - jitter);
  return {
    retryCount: settings.retryCount,
    retryDelay: lowest,
    retryJitter: settings.retryDelay + jitter - lowest,
  };
}
