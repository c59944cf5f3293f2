import { deriveSeed, Prng } from './prng.js';

/**
 * An assumption Redlock's safety rests on, deliberately broken so the
 * simulation can show that the checks notice:
 *
 * - `restart-without-persistence`: a server restarts at once with its data
 *   lost (instead of staying down for at least the longest TTL), right after
 *   a client acquired a lock on it.
 * - `clock-drift`: clocks run at rates further apart than `driftFactor`
 *   allows (some servers expire keys early, some clients measure validity
 *   slowly).
 * - `reordering`: a server may apply one client's requests in another order
 *   than they were sent (several connections per node, a pool), so a late
 *   release of a failed attempt can delete the key the retry just set with
 *   the same value.
 */
export type BrokenAssumption = 'restart-without-persistence' | 'clock-drift' | 'reordering';

export const brokenAssumptions: readonly BrokenAssumption[] = [
  'restart-without-persistence',
  'clock-drift',
  'reordering',
];

/** A server's clocks. */
export interface ServerSpec {
  /** Local ms per virtual ms. */
  readonly clockRate: number;
  readonly clockOffsetMs: number;
  /**
   * The server's wall clock (the floor of fencing counters) is real time
   * plus this many ms: NTP-like skew between servers. Default 0.
   */
  readonly wallSkewMs?: number;
}

/** One client process: its own clock, its own random stream, its own Redlock. */
export interface ClientSpec {
  /** Stable identity: names the client (`c3`) and seeds its random stream. */
  readonly id: number;
  readonly clockRate: number;
  readonly clockOffsetMs: number;
  /** Stop after this many operations (shrinking lowers it). */
  readonly maxOperations: number;
}

/** A timed fault, within `[0, faultsEndMs)` of virtual time. */
export type Fault =
  /** Client `client` (an id) cannot reach `servers` (requests and replies are lost) for a while. */
  | {
      readonly kind: 'partition';
      readonly atMs: number;
      readonly durationMs: number;
      readonly client: number;
      readonly servers: readonly number[];
    }
  /**
   * Server `server` is down (requests to it are lost) and restarts after
   * `durationMs`, keeping its keys or losing them.
   */
  | {
      readonly kind: 'crash';
      readonly atMs: number;
      readonly durationMs: number;
      readonly server: number;
      readonly dataLost: boolean;
    }
  /** Client `client` (an id) stops running (a GC pause, a stopped VM) for `durationMs`. */
  | {
      readonly kind: 'pause';
      readonly atMs: number;
      readonly durationMs: number;
      readonly client: number;
    }
  /** Client `client` (an id) dies: it never runs again and never releases what it holds. */
  | { readonly kind: 'client-crash'; readonly atMs: number; readonly client: number };

/** The network between every client and every server. */
export interface NetworkSpec {
  /** One-way latency of a message (request or reply), uniform in [min, max]. */
  readonly minLatencyMs: number;
  readonly maxLatencyMs: number;
  /** While faults last: chance that a message is lost. */
  readonly lossRate: number;
  /** While faults last: chance that a message is slow, up to `spikeMaxMs` (beyond the node timeout). */
  readonly spikeRate: number;
  readonly spikeMaxMs: number;
}

/**
 * Everything that decides one run. A seed expands into a scenario
 * ({@link generateScenario}); a scenario runs the same way every time, and
 * shrinking a failure edits the scenario, so a reproduction is this object.
 */
export interface Scenario {
  readonly seed: number;
  readonly broken: BrokenAssumption | null;
  readonly driftFactor: number;
  readonly nodeTimeoutMs: number;
  /** Longest TTL any client asks for. */
  readonly maxTtlMs: number;
  /** Every fault, message loss and latency spike stops here; then liveness is checked. */
  readonly faultsEndMs: number;
  readonly network: NetworkSpec;
  readonly servers: readonly ServerSpec[];
  readonly clients: readonly ClientSpec[];
  readonly faults: readonly Fault[];
  /**
   * Only with `restart-without-persistence`: chance that a server holding a
   * freshly acquired lock restarts at that moment with its data lost.
   */
  readonly wipeOnAcquireRate: number;
  /** Clients take fencing tokens (`fencing: true`); token order is then checked. */
  readonly fencing?: boolean;
  /** Clients' `restartGuardMs`; 0 (the default) is off. */
  readonly restartGuardMs?: number;
  /**
   * Kleppmann's scenario: holders do read-modify-write on a shared store,
   * sometimes pausing past their validity between the read and the write,
   * which they do without checking validity again. With `fencing` the store
   * refuses tokens older than the newest it accepted.
   */
  readonly staleWriters?: boolean;
  /**
   * Clients wait in the nodes' waiting lines (`waitingLine: true`); the
   * liveness probe then allows for places of dead waiters to lapse, and a
   * second probe checks that concurrent waiters all get a turn in a bound.
   */
  readonly waitingLine?: boolean;
}

/** What the caller may fix; everything else is drawn from the seed. */
export interface ScenarioOptions {
  /** Servers (independent nodes). Default 5. */
  readonly nodes?: number;
  /** Client processes. Default: 3 to 8, drawn from the seed. */
  readonly clients?: number;
  readonly broken?: BrokenAssumption | null;
  /** See {@link Scenario.fencing}. Default false. */
  readonly fencing?: boolean;
  /** Turn the restart guard on, at twice the longest TTL. Default false. */
  readonly restartGuard?: boolean;
  /** See {@link Scenario.staleWriters}. Default false. */
  readonly staleWriters?: boolean;
  /** See {@link Scenario.waitingLine}. Default false. */
  readonly waitingLine?: boolean;
}

/** Servers' wall clocks are within this many ms of real time. */
export const MAX_WALL_SKEW_MS = 5;

export const DRIFT_FACTOR = 0.01;
const NODE_TIMEOUT_MS = 50;
const MAX_TTL_MS = 1200;

/**
 * The largest clock rate error under which Redlock is safe. A client stops
 * believing it holds a lock `ttl - drift` after the acquisition started, on
 * its clock; a server drops the key `ttl` after it set it, on its own. With
 * rates within `1 ± bound` the key outlives the belief when
 * `(ttl - drift) (1 + bound) <= ttl (1 - bound)`, which `drift >= ttl *
 * driftFactor` guarantees for `bound = driftFactor / 2`.
 */
export function driftBound(driftFactor: number): number {
  return driftFactor / 2;
}

/** Expand `seed` into a scenario; the same seed and options always give the same scenario. */
export function generateScenario(seed: number, options: ScenarioOptions = {}): Scenario {
  const random = new Prng(deriveSeed(seed, 0));
  const broken = options.broken ?? null;
  const serverCount = options.nodes ?? 5;
  // Drawn even when fixed, so `--clients` with the drawn count regenerates the same scenario.
  const drawnClientCount = random.int(3, 8);
  const clientCount = options.clients ?? drawnClientCount;
  const faultsEndMs = random.int(2500, 5000);
  const bound = driftBound(DRIFT_FACTOR);

  // Rates at the edges of the bound are the interesting ones: favour them.
  const rateWithinBound = (): number =>
    random.chance(0.5) ? 1 + random.pick([-bound, bound]) : 1 + random.between(-bound, bound);

  const servers: ServerSpec[] = [];
  for (let index = 0; index < serverCount; index++) {
    servers.push({ clockRate: rateWithinBound(), clockOffsetMs: random.int(0, 1_000_000) });
  }
  const clients: ClientSpec[] = [];
  for (let id = 0; id < clientCount; id++) {
    clients.push({
      id,
      clockRate: rateWithinBound(),
      clockOffsetMs: random.int(0, 1_000_000),
      maxOperations: 1000,
    });
  }
  if (broken === 'clock-drift') breakClocks(random, servers, clients);
  // From a stream of its own, so scenarios without fencing draw exactly as before.
  const skews = new Prng(deriveSeed(seed, 3));
  servers.forEach((server, index) => {
    servers[index] = {
      ...server,
      wallSkewMs: skews.between(-MAX_WALL_SKEW_MS, MAX_WALL_SKEW_MS),
    };
  });

  const network: NetworkSpec = {
    minLatencyMs: random.between(0.2, 2),
    maxLatencyMs: random.between(3, 15),
    lossRate: random.pick([0, 0.01, 0.03, 0.08]),
    // Reordering needs slow messages to overtake; give that mode plenty.
    spikeRate: broken === 'reordering' ? 0.15 : random.pick([0, 0.01, 0.05]),
    spikeMaxMs: random.int(NODE_TIMEOUT_MS, 4 * NODE_TIMEOUT_MS),
  };

  return {
    seed,
    broken,
    driftFactor: DRIFT_FACTOR,
    nodeTimeoutMs: NODE_TIMEOUT_MS,
    maxTtlMs: MAX_TTL_MS,
    faultsEndMs,
    network,
    servers,
    clients,
    faults: generateFaults(random, {
      serverCount,
      clientCount,
      faultsEndMs,
      maxTtlMs: MAX_TTL_MS,
      broken,
    }),
    wipeOnAcquireRate: broken === 'restart-without-persistence' ? 0.5 : 0,
    fencing: options.fencing ?? false,
    restartGuardMs: options.restartGuard ? 2 * MAX_TTL_MS : 0,
    staleWriters: options.staleWriters ?? false,
    waitingLine: options.waitingLine ?? false,
  };
}

/** Push some servers' clocks fast (keys expire early) and some clients' clocks slow. */
function breakClocks(random: Prng, servers: ServerSpec[], clients: ClientSpec[]): void {
  const fast = random.int(0, servers.length - 1);
  servers.forEach((server, index) => {
    if (index === fast || random.chance(0.4)) {
      servers[index] = { ...server, clockRate: random.between(1.15, 1.8) };
    }
  });
  clients.forEach((client, index) => {
    if (random.chance(0.4)) clients[index] = { ...client, clockRate: random.between(0.6, 0.9) };
  });
}

interface FaultPlan {
  readonly serverCount: number;
  readonly clientCount: number;
  readonly faultsEndMs: number;
  readonly maxTtlMs: number;
  readonly broken: BrokenAssumption | null;
}

function generateFaults(random: Prng, plan: FaultPlan): Fault[] {
  const { serverCount, clientCount, faultsEndMs, maxTtlMs } = plan;
  const faults: Fault[] = [];
  // A fault of `durationMs` that is over by `faultsEndMs`.
  const startFor = (durationMs: number): number =>
    random.int(0, Math.max(0, faultsEndMs - durationMs));
  const minority = serverCount - (Math.floor(serverCount / 2) + 1);

  const partitions = random.int(0, 5);
  for (let count = 0; count < partitions; count++) {
    const durationMs = random.int(20, 1500);
    // Mostly a minority of servers (the lock keeps working), sometimes a majority.
    const size = random.chance(0.8)
      ? random.int(1, Math.max(1, minority))
      : random.int(1, serverCount);
    faults.push({
      kind: 'partition',
      atMs: startFor(durationMs),
      durationMs,
      client: random.int(0, clientCount - 1),
      servers: sample(random, serverCount, size),
    });
  }

  const crashes = random.int(0, 2);
  for (let count = 0; count < crashes; count++) {
    const dataLost = random.chance(0.4);
    let durationMs: number;
    if (!dataLost) durationMs = random.int(10, 1000);
    else if (plan.broken === 'restart-without-persistence') durationMs = random.int(0, 50);
    // A server that lost its data must stay down for at least the longest TTL.
    else durationMs = maxTtlMs + random.int(0, 500);
    faults.push({
      kind: 'crash',
      atMs: startFor(durationMs),
      durationMs,
      server: random.int(0, serverCount - 1),
      dataLost,
    });
  }

  const pauses = random.int(0, 4);
  for (let count = 0; count < pauses; count++) {
    const durationMs = random.int(5, 2 * maxTtlMs);
    faults.push({
      kind: 'pause',
      atMs: startFor(durationMs),
      durationMs,
      client: random.int(0, clientCount - 1),
    });
  }

  if (clientCount > 1 && random.chance(0.15)) {
    faults.push({
      kind: 'client-crash',
      atMs: startFor(0),
      client: random.int(0, clientCount - 1),
    });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** `size` distinct integers from [0, count), in increasing order. */
function sample(random: Prng, count: number, size: number): number[] {
  const pool = Array.from({ length: count }, (_, index) => index);
  const chosen: number[] = [];
  for (let taken = 0; taken < size && pool.length > 0; taken++) {
    chosen.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
  }
  return chosen.sort((a, b) => a - b);
}
