import { entryTtlFor, type Lock, Redlock } from '@redlock/core';
import { DriftingClock } from './drifting-clock.js';
import { describeFault, type FaultTarget, scheduleFaults } from './faults.js';
import { FencedStore } from './fenced-store.js';
import { Holding, type HoldingStyle } from './holding.js';
import { checkKeyTtls, checkMutualExclusion, checkUsingSignals } from './invariants.js';
import { Network } from './network.js';
import { deriveSeed, Prng } from './prng.js';
import type { Scenario } from './scenario.js';
import { Scheduler } from './scheduler.js';
import { EPOCH_ORIGIN_MS, SimulatedClient } from './simulated-client.js';
import { SimulatedLink } from './simulated-link.js';
import { SimulatedServer } from './simulated-server.js';
import { TokenOrder } from './token-order.js';
import { Trace } from './trace.js';
import type { Violation } from './violation.js';
import { clientOptions, MIN_TTL_MS, runWorkload, type WorkloadContext } from './workload.js';

/** What one run produced. */
export interface RunResult {
  readonly scenario: Scenario;
  /** The first invariant broken, if any; the run stops there. */
  readonly violation: Violation | undefined;
  /** Scheduler events run, each followed by a check of every invariant. */
  readonly events: number;
  /** Redlock calls completed: acquire, tryAcquire, using, extend, release. */
  readonly operations: number;
  /** Locks handed to a client. */
  readonly locksHeld: number;
  /** With fencing: pairs of acquisitions whose token order was checked. */
  readonly tokenChecks: number;
  /** Kleppmann's scenario: accepted writes based on superseded reads. */
  readonly lostUpdates: number;
  /** Kleppmann's scenario: writes the fenced store refused. */
  readonly refusedWrites: number;
  /** Client id -> operations its workload started. */
  readonly operationsStarted: Readonly<Record<number, number>>;
  /** Virtual ms the run lasted. */
  readonly virtualMs: number;
  /** One line per step; empty unless tracing was asked for. */
  readonly trace: readonly string[];
}

export interface RunOptions {
  /** Record a trace of every step (slower). Default `false`. */
  readonly trace?: boolean;
}

/** Virtual ms after the faults stop by which every client must be done, or the run hung. */
const HANG_LIMIT_MS = 60_000;
/** Acquisitions of each client in the waiting-line probe. */
const LINE_PROBE_TURNS = 3;

/** Run one scenario to its end or its first violation. Same scenario, same result. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  return new World(scenario, options.trace ?? false).run();
}

/** Let every pending promise continuation run: a macrotask only starts once microtasks are drained. */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * One run: servers, clients, the network between them, the fault schedule,
 * the workloads, and the invariant checks after every event.
 */
class World implements FaultTarget {
  readonly #scenario: Scenario;
  readonly #scheduler = new Scheduler();
  readonly #trace: Trace;
  readonly #network: Network;
  /** Decides the broken-assumption faults that react to acquisitions. */
  readonly #random: Prng;
  readonly #servers: SimulatedServer[];
  readonly #clients: SimulatedClient[];
  readonly #clientsById = new Map<number, SimulatedClient>();
  readonly #retryBudgetMs = new Map<SimulatedClient, number>();
  readonly #crashHandlers = new Map<SimulatedClient, () => void>();
  readonly #holdings = new Set<Holding>();
  readonly #tokenOrder = new TokenOrder();
  readonly #stores = new Map<string, FencedStore>();
  #violation: Violation | undefined;
  #done = false;
  #events = 0;
  #operations = 0;
  #locksHeld = 0;

  constructor(scenario: Scenario, tracing: boolean) {
    this.#scenario = scenario;
    const scheduler = this.#scheduler;
    this.#trace = new Trace(tracing, () => scheduler.now);
    this.#random = new Prng(deriveSeed(scenario.seed, 1));
    this.#network = new Network(
      scheduler,
      new Prng(deriveSeed(scenario.seed, 2)),
      scenario.network,
      scenario.faultsEndMs,
      scenario.broken !== 'reordering',
    );
    this.#servers = scenario.servers.map(
      (spec, index) =>
        new SimulatedServer(
          index,
          new DriftingClock(scheduler, spec.clockRate, spec.clockOffsetMs),
          { now: () => EPOCH_ORIGIN_MS + scheduler.now + (spec.wallSkewMs ?? 0) },
        ),
    );
    for (const resource of ['a', 'b']) {
      this.#stores.set(resource, new FencedStore(scenario.fencing === true));
    }
    const linkContext = { scheduler, network: this.#network, trace: this.#trace };
    this.#clients = scenario.clients.map((spec) => {
      const client = new SimulatedClient(spec, scheduler, scenario.seed);
      const options = clientOptions(client.random);
      client.redlock = new Redlock(
        this.#servers.map((server) => new SimulatedLink(linkContext, client, server)),
        {
          ...options,
          driftFactor: scenario.driftFactor,
          nodeTimeoutMs: scenario.nodeTimeoutMs,
          runtime: client.runtime,
          fencing: scenario.fencing === true,
          restartGuardMs: scenario.restartGuardMs ?? 0,
          waitingLine: scenario.waitingLine === true,
        },
      );
      this.#retryBudgetMs.set(client, (options.retryDelay ?? 0) + (options.retryJitter ?? 0));
      this.#clientsById.set(spec.id, client);
      return client;
    });
  }

  async run(): Promise<RunResult> {
    const { faults } = this.#scenario;
    for (const fault of faults) this.#trace.add(() => `fault planned ${describeFault(fault)}`);
    scheduleFaults(faults, this);
    this.#drive().then(
      () => {
        this.#done = true;
      },
      (error: unknown) => {
        this.#fail('unexpected-error', `the simulation driver failed: ${describeError(error)}`);
        this.#done = true;
      },
    );
    await drainMicrotasks();
    const hangAtMs = this.#scenario.faultsEndMs + HANG_LIMIT_MS;
    while (!this.#done && this.#violation === undefined) {
      const event = this.#scheduler.next();
      if (event === undefined) {
        this.#fail(
          'liveness',
          `nothing left to run while clients still wait: ${this.#activities()}`,
        );
        break;
      }
      if (event.dueAt > hangAtMs) {
        this.#fail(
          'liveness',
          `still running ${HANG_LIMIT_MS} ms after the faults stopped: ${this.#activities()}`,
        );
        break;
      }
      if (event.owner !== 'world') {
        const client = this.#clientsById.get(event.owner)!;
        if (client.crashed) continue;
        if (client.paused) {
          client.heldBack.push(event);
          continue;
        }
      }
      event.callback();
      await drainMicrotasks();
      this.#events++;
      this.#check();
    }
    return {
      scenario: this.#scenario,
      violation: this.#violation,
      events: this.#events,
      operations: this.#operations,
      locksHeld: this.#locksHeld,
      tokenChecks: this.#tokenOrder.checks,
      lostUpdates: this.#lostUpdates(),
      refusedWrites: [...this.#stores.values()].reduce((sum, store) => sum + store.refused, 0),
      operationsStarted: Object.fromEntries(
        this.#clients.map((client) => [client.id, client.operationsStarted]),
      ),
      virtualMs: this.#scheduler.now,
      trace: this.#trace.lines,
    };
  }

  #check(): void {
    if (this.#violation !== undefined) return;
    const now = this.#scheduler.now;
    if (this.#scenario.fencing && this.#scenario.staleWriters && this.#lostUpdates() > 0) {
      this.#fail('lost-update', 'the fenced store accepted a write based on a superseded read');
      return;
    }
    const violation =
      checkMutualExclusion(this.#holdings, now) ??
      checkUsingSignals(this.#holdings, now) ??
      checkKeyTtls(this.#servers, now);
    if (violation !== undefined) {
      this.#violation = violation;
      this.#trace.add(() => `VIOLATION ${violation.kind}: ${violation.message}`);
    }
  }

  #lostUpdates(): number {
    let lost = 0;
    for (const store of this.#stores.values()) lost += store.lostUpdates;
    return lost;
  }

  #fail(kind: Violation['kind'], message: string): void {
    if (this.#violation !== undefined) return;
    this.#violation = { kind, atMs: this.#scheduler.now, message };
    this.#trace.add(() => `VIOLATION ${kind}: ${message}`);
  }

  /** Every client's workload, then (faults over) the liveness probe. */
  async #drive(): Promise<void> {
    await Promise.all(this.#clients.map((client) => this.#lifeOf(client)));
    const { faultsEndMs } = this.#scenario;
    if (this.#scheduler.now < faultsEndMs) {
      await new Promise<void>((resolve) => this.at(faultsEndMs, 'faults end', resolve));
    }
    this.#trace.add(() => 'faults over: liveness probe');
    await this.#probeLiveness();
    if (this.#scenario.waitingLine && this.#violation === undefined) await this.#probeLine();
  }

  /**
   * How long places of waiters that died or gave up during the faults may
   * still stand first in a line: the longest entry TTL of any client, on
   * the slowest server clock, plus one refresh wait.
   */
  #lapseBoundMs(): number {
    if (!this.#scenario.waitingLine) return 0;
    const slowestRate = Math.min(...this.#servers.map((server) => server.clock.rate));
    let longest = 0;
    for (const client of this.#clients) {
      const retry = { retryDelay: this.#retryBudgetMs.get(client)!, retryJitter: 0 };
      longest = Math.max(longest, entryTtlFor(retry, this.#scenario.nodeTimeoutMs));
    }
    return (1.25 * longest) / slowestRate;
  }

  /**
   * Invariant 5 (waiting line): once faults stop, every surviving client
   * takes resource `a` three times in a row, holding it for twice the
   * longest retry wait and asking again right after each release. Every
   * acquisition must succeed within one turn per other waiter (a hold, then
   * a hand-over: the release's notification or the retry wait, and one
   * attempt), after the places of dead waiters lapsed: a waiter is never
   * overtaken by one that asked after it. Without the line a releaser that
   * asks again at once usually wins the race against the waiters it woke,
   * and a waiter can wait out several turns of each of the others.
   */
  async #probeLine(): Promise<void> {
    const { network, nodeTimeoutMs } = this.#scenario;
    const survivors = this.#clients.filter((client) => !client.crashed);
    const slowestRate = Math.min(...this.#servers.map((server) => server.clock.rate));
    const budgetMs = Math.max(...survivors.map((client) => this.#retryBudgetMs.get(client)!));
    const holdMs = 2 * budgetMs + 10;
    const turnMs = holdMs + budgetMs + 4 * nodeTimeoutMs + 6 * network.maxLatencyMs + 10;
    const boundMs = (survivors.length * turnMs) / slowestRate + 2 * this.#lapseBoundMs();
    this.#trace.add(
      () => `line probe: ${survivors.length} waiters, bound ${boundMs.toFixed(0)} ms`,
    );
    const turns = async (client: SimulatedClient): Promise<void> => {
      for (let turn = 0; turn < LINE_PROBE_TURNS && this.#violation === undefined; turn++) {
        client.activity = `line probe, turn ${turn + 1}`;
        const startedAtMs = this.#scheduler.now;
        let lock: Lock;
        try {
          lock = await client.redlock.acquire(['a'], MIN_TTL_MS, {
            retryCount: -1,
            waitTimeoutMs: Math.ceil(boundMs * client.clock.rate),
          });
        } catch (error) {
          this.#fail(
            'liveness',
            `${client.name} got no turn on a within ${boundMs.toFixed(0)} ms while the others kept releasing: ${describeError(error)}`,
          );
          return;
        } finally {
          this.#operations++;
        }
        const holding = this.#hold(client, lock, 'probe', startedAtMs);
        await client.sleep(holdMs * client.clock.rate);
        this.#letGo(holding, 'the line probe turn is done');
        await lock.release();
        this.#operations++;
      }
    };
    await Promise.all(survivors.map(turns));
  }

  /** Resolves when the client's workload ends, or when the client dies. */
  #lifeOf(client: SimulatedClient): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#crashHandlers.set(client, resolve);
      runWorkload(this.#workloadContext(client)).then(resolve, (error: unknown) => {
        this.#fail('unexpected-error', `${client.name}'s workload threw: ${describeError(error)}`);
        resolve();
      });
    });
  }

  /**
   * Invariant 4: once faults stop, each surviving client in turn acquires
   * both resources within a bound: keys left behind (by dead clients, or
   * requests that landed after their release) live at most the longest TTL
   * on the slowest server clock after the last late message, then one
   * retry wait and one attempt must do.
   */
  async #probeLiveness(): Promise<void> {
    const { network, maxTtlMs, nodeTimeoutMs } = this.#scenario;
    const slowestRate = Math.min(...this.#servers.map((server) => server.clock.rate));
    for (const client of this.#clients) {
      if (client.crashed) continue;
      const boundMs =
        network.spikeMaxMs +
        maxTtlMs / slowestRate +
        this.#retryBudgetMs.get(client)! +
        4 * nodeTimeoutMs +
        4 * network.maxLatencyMs +
        10 +
        this.#lapseBoundMs() +
        // A server that restarted just before the faults stopped counts once its guard passed.
        (this.#scenario.restartGuardMs ?? 0);
      client.activity = 'liveness probe';
      const resources = ['a', 'b'];
      let lock: Lock;
      const startedAtMs = this.#scheduler.now;
      try {
        lock = await client.redlock.acquire(resources, MIN_TTL_MS, {
          retryCount: -1,
          waitTimeoutMs: Math.ceil(boundMs * client.clock.rate),
        });
      } catch (error) {
        this.#fail(
          'liveness',
          `${client.name} could not lock a+b within ${boundMs.toFixed(0)} ms after the faults stopped: ${describeError(error)}`,
        );
        return;
      } finally {
        this.#operations++;
      }
      this.#letGo(this.#hold(client, lock, 'probe', startedAtMs), 'the probe is done');
      await lock.release();
      this.#operations++;
    }
  }

  #workloadContext(client: SimulatedClient): WorkloadContext {
    return {
      client,
      maxTtlMs: this.#scenario.maxTtlMs,
      faultsActive: () => this.#network.faultsActive,
      hold: (lock, style, startedAtMs, signal) =>
        this.#hold(client, lock, style, startedAtMs, signal),
      now: () => this.#scheduler.now,
      store: (resource) => this.#stores.get(resource)!,
      staleWriters: this.#scenario.staleWriters === true,
      letGo: (holding, reason) => this.#letGo(holding, reason),
      pause: (durationMs) => {
        // Faults, pauses included, are over by `faultsEndMs`.
        const untilEnd = this.#scenario.faultsEndMs - this.#scheduler.now;
        this.pauseClient(client.id, Math.min(durationMs, untilEnd));
      },
      countOperation: () => {
        this.#operations++;
      },
      note: (text) => this.#trace.add(() => `${client.name} ${text}`),
      unexpected: (error, during) =>
        this.#fail('unexpected-error', `${client.name} ${during}: ${describeError(error)}`),
    };
  }

  #hold(
    client: SimulatedClient,
    lock: Lock,
    style: HoldingStyle,
    startedAtMs: number,
    signal?: AbortSignal,
  ): Holding {
    const holding = new Holding(client, lock, style, signal, this.#scheduler.now);
    this.#holdings.add(holding);
    this.#locksHeld++;
    if (this.#scenario.fencing) {
      const token = lock.fencingToken;
      const broken =
        token === undefined
          ? `${client.name} got a lock without a fencing token`
          : this.#tokenOrder.add(lock.resources, startedAtMs, this.#scheduler.now, token);
      if (broken !== undefined) this.#fail('token-order', `${holding.describe()}: ${broken}`);
    }
    this.#trace.add(
      () =>
        `${client.name} HOLDS ${lock.resources.join('+')} with ${lock.value} (${style}) until ${holding.validUntilVirtualMs.toFixed(3)}`,
    );
    this.#maybeWipeHolder(holding);
    return holding;
  }

  #letGo(holding: Holding, reason: string): void {
    if (holding.ended) return;
    holding.endReason = reason;
    this.#holdings.delete(holding);
    this.#trace.add(() => `${holding.client.name} lets go of ${holding.lock.value}: ${reason}`);
  }

  /**
   * Broken assumption `restart-without-persistence`: right after a client
   * got a lock, a server that holds it restarts at once without its data.
   */
  #maybeWipeHolder(holding: Holding): void {
    const rate = this.#scenario.wipeOnAcquireRate;
    if (rate <= 0 || !this.#network.faultsActive || !this.#random.chance(rate)) return;
    const { resources, value } = holding.lock;
    const holders = this.#servers.filter((server) =>
      server.node.store.inspect(resources).every((state) => state.value === value),
    );
    if (holders.length === 0) return;
    const server = this.#random.pick(holders);
    server.wipe();
    this.#trace.add(
      () =>
        `${server.name} restarts at once WITH ITS DATA LOST (${holders.length} servers held ${value})`,
    );
  }

  #activities(): string {
    return this.#clients
      .filter((client) => !client.crashed)
      .map((client) => `${client.name}: ${client.activity}`)
      .join('; ');
  }

  // FaultTarget

  at(virtualMs: number, label: string, action: () => void): void {
    this.#scheduler.scheduleAt(virtualMs, 'world', label, action);
  }

  cut(client: number, servers: readonly number[]): void {
    for (const server of servers) this.#network.cut(client, server);
    this.#trace.add(() => `c${client} cut off from ${servers.map((s) => `n${s}`).join(',')}`);
  }

  heal(client: number, servers: readonly number[]): void {
    for (const server of servers) this.#network.heal(client, server);
    this.#trace.add(() => `c${client} reconnected to ${servers.map((s) => `n${s}`).join(',')}`);
  }

  crashServer(index: number): void {
    const server = this.#servers[index];
    if (server === undefined) return;
    server.crash();
    this.#trace.add(() => `${server.name} crashes`);
  }

  restartServer(index: number, dataLost: boolean): void {
    const server = this.#servers[index];
    if (server === undefined) return;
    server.restart(dataLost);
    this.#trace.add(
      () => `${server.name} restarts ${dataLost ? 'with its data lost' : 'with its data'}`,
    );
  }

  pauseClient(id: number, durationMs: number): void {
    const client = this.#clientsById.get(id);
    if (client === undefined || client.crashed || durationMs <= 0) return;
    const until = this.#scheduler.now + durationMs;
    if (until <= client.pausedUntil) return;
    client.pausedUntil = until;
    this.#trace.add(() => `${client.name} pauses until ${until.toFixed(3)}`);
    this.at(until, 'resume', () => {
      if (client.pausedUntil !== until || client.crashed) return;
      this.#trace.add(() => `${client.name} resumes (${client.heldBack.length} events held back)`);
      for (const event of client.heldBack.splice(0)) this.#scheduler.requeue(event, until);
    });
  }

  crashClient(id: number): void {
    const client = this.#clientsById.get(id);
    if (client === undefined || client.crashed) return;
    client.crashed = true;
    client.heldBack.length = 0;
    for (const holding of this.#holdings) {
      if (holding.client === client) this.#letGo(holding, 'its process died');
    }
    this.#trace.add(() => `${client.name} dies`);
    this.#crashHandlers.get(client)?.();
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
