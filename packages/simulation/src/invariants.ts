import type { Holding } from './holding.js';
import type { SimulatedServer } from './simulated-server.js';
import type { Violation } from './violation.js';

/** Slack for floating-point rounding when comparing clock readings (ms). */
const CLOCK_EPSILON_MS = 1e-6;

/** Invariant 1: no two believed holdings share a resource. */
export function checkMutualExclusion(
  holdings: Iterable<Holding>,
  nowMs: number,
): Violation | undefined {
  const believed: Holding[] = [];
  for (const holding of holdings) if (holding.believed) believed.push(holding);
  for (let first = 0; first < believed.length; first++) {
    for (let second = first + 1; second < believed.length; second++) {
      const a = believed[first]!;
      const b = believed[second]!;
      const shared = a.lock.resources.filter((resource) => b.lock.resources.includes(resource));
      if (shared.length > 0) {
        return {
          kind: 'mutual-exclusion',
          atMs: nowMs,
          message: `${a.describe()} and ${b.describe()} both hold ${shared.map((r) => `"${r}"`).join(', ')}`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Invariant 2: a `using` routine's signal aborts no later than its lock's
 * validity end. A stopped process cannot be told anything, so this is
 * checked only while the client runs and has caught up with what came due
 * during its last pause (all of that runs at the instant it resumes).
 */
export function checkUsingSignals(
  holdings: Iterable<Holding>,
  nowMs: number,
): Violation | undefined {
  for (const holding of holdings) {
    const { client, signal } = holding;
    if (holding.style !== 'using' || holding.ended || signal === undefined || signal.aborted) {
      continue;
    }
    // Paused, or resuming at this instant (what came due during the pause runs now).
    if (client.crashed || nowMs <= client.pausedUntil) continue;
    const lateByMs = client.clock.now() - holding.lock.validUntil;
    if (lateByMs > CLOCK_EPSILON_MS) {
      return {
        kind: 'signal-late',
        atMs: nowMs,
        message: `${holding.describe()}: the routine's signal is still not aborted ${lateByMs.toFixed(3)} ms (client clock) after the lock's validity ended`,
      };
    }
  }
  return undefined;
}

/**
 * Invariant 3: every live key on a server was set (or extended) with the
 * value it holds, and is within the TTL of that write on the server's clock.
 */
export function checkKeyTtls(
  servers: readonly SimulatedServer[],
  nowMs: number,
): Violation | undefined {
  for (const server of servers) {
    const keys = server.node.keys();
    if (keys.length === 0) continue;
    const states = server.node.store.inspect(keys);
    const localNow = server.clock.now();
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      const state = states[index]!;
      const write = server.writes.get(key);
      if (write === undefined || write.value !== state.value) {
        return {
          kind: 'key-outlived-ttl',
          atMs: nowMs,
          message: `${server.name} holds "${key}" = ${state.value}, which no acquire or extend wrote (last write: ${write?.value ?? 'none'})`,
        };
      }
      const deadline = write.setAtMs + write.ttlMs;
      if (localNow >= deadline + CLOCK_EPSILON_MS || state.pttl > Math.ceil(deadline - localNow)) {
        return {
          kind: 'key-outlived-ttl',
          atMs: nowMs,
          message: `${server.name} still holds "${key}" = ${state.value} (pttl ${state.pttl}) ${(localNow - write.setAtMs).toFixed(3)} ms after it was set with ttl ${write.ttlMs} (server clock)`,
        };
      }
    }
  }
  return undefined;
}
