/**
 * A Sentinel-managed Redis: one master, its replicas and a group of
 * `redis-server --sentinel` processes monitoring it, all real processes on
 * free loopback ports. Failover is forced with `SENTINEL FAILOVER` so a test
 * does not wait for down-detection timeouts.
 */
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import {
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
  startRedisServers,
  stopRedisServers,
} from './redis-server.js';

/** Options of {@link startRedisSentinel}. Server options (`args`, `tls`, ...) apply to the master and replicas. */
export interface RedisSentinelOptions extends Omit<RedisServerOptions, 'config' | 'preferredPort'> {
  /** The name sentinels know the master by. Default `'mymaster'`. */
  masterName?: string;
  /** Replicas of the master. Default 1 (a failover needs one). */
  replicas?: number;
  /** Sentinel processes. Default 3. */
  sentinels?: number;
  /** Sentinels that must agree the master is down. Default a majority of `sentinels`. */
  quorum?: number;
  /** `sentinel down-after-milliseconds`. Default 1000 ms. */
  downAfterMs?: number;
  /**
   * `sentinel failover-timeout`. Default 10 000 ms; 300 000 ms with
   * `replicateThroughProxy`, because a sentinel re-points a replica whose
   * master address differs from the master's (`+fix-slave-config`, here: the
   * proxy) once this long has passed since it first saw it.
   */
  failoverTimeoutMs?: number;
  /** How long the group may take to know all its replicas and sentinels. Default 30 000 ms. */
  readyTimeoutMs?: number;
  /**
   * Replicas replicate through a {@link FaultProxy} in front of the master
   * (`group.replicationProxies`), so a test can hold writes back from them,
   * e.g. to show what a failover to a replica that had not caught up loses.
   * Default `false`.
   */
  replicateThroughProxy?: boolean;
}

/** A running Sentinel group. `stop()` stops every process. */
export interface RedisSentinelHandle {
  readonly masterName: string;
  /** The data servers: the initial master first, then the replicas. Roles change on failover; ask {@link master}. */
  readonly servers: RedisServer[];
  /** The sentinel processes (their `command()` speaks the Sentinel API). */
  readonly sentinels: RedisServer[];
  /** With `replicateThroughProxy`: the proxy each replica replicates through, in `servers` order (minus the master). */
  readonly replicationProxies: FaultProxy[];
  /** Sentinel addresses for clients (`new Redis({ sentinels, name })` in ioredis). */
  readonly sentinelAddresses: { host: string; port: number }[];
  /** The data server the sentinels name as master now. */
  master(): Promise<RedisServer>;
  /**
   * Forces a failover and resolves with the promoted server once every
   * sentinel names it, it reports role master and every other running data
   * server replicates from it. The old master is made a replica at once
   * (`REPLICAOF`), as Sentinel itself would do at its next INFO poll, up to
   * 10 s later.
   */
  failover(timeoutMs?: number): Promise<RedisServer>;
  /** Stops the sentinels and the data servers and removes their temp dirs. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 50;

/**
 * Starts a master with `replicas` replicas (replication link up), then
 * `sentinels` sentinels, and resolves once every sentinel knows every replica
 * and every other sentinel, so a failover can start at once.
 *
 * @example
 * const group = await startRedisSentinel();
 * const client = new Redis({ sentinels: group.sentinelAddresses, name: group.masterName });
 * const promoted = await group.failover();
 */
export async function startRedisSentinel(
  options: RedisSentinelOptions = {},
): Promise<RedisSentinelHandle> {
  const {
    masterName = 'mymaster',
    replicas: replicaCount = 1,
    sentinels: sentinelCount = 3,
    quorum = Math.floor(sentinelCount / 2) + 1,
    downAfterMs = 1_000,
    readyTimeoutMs = 30_000,
    replicateThroughProxy = false,
    failoverTimeoutMs = replicateThroughProxy ? 300_000 : 10_000,
    ...serverOptions
  } = options;
  if (!/^[A-Za-z0-9._-]+$/.test(masterName)) {
    throw new RangeError(`masterName must be letters, digits, '.', '_' or '-', got ${masterName}`);
  }
  const servers: RedisServer[] = [];
  const sentinels: RedisServer[] = [];
  const replicationProxies: FaultProxy[] = [];
  const stop = async () => {
    await Promise.all(replicationProxies.map((proxy) => proxy.close()));
    await stopRedisServers([...sentinels, ...servers]);
  };
  try {
    const master = await startRedisServer(serverOptions);
    servers.push(master);
    for (let i = 0; i < replicaCount; i++) {
      const upstream = replicateThroughProxy ? await startFaultProxy(master) : master;
      if (replicateThroughProxy) replicationProxies.push(upstream as FaultProxy);
      const replicaArgs = ['--replicaof', upstream.host, String(upstream.port)];
      servers.push(
        await startRedisServer({
          ...serverOptions,
          args: [...(serverOptions.args ?? []), ...replicaArgs],
        }),
      );
    }
    await waitFor(readyTimeoutMs, 'replicas in sync with the master', async () => {
      const infos = await Promise.all(
        servers.slice(1).map((s) => s.command('INFO', 'replication')),
      );
      return infos.every((info) => info.includes('master_link_status:up'));
    });
    const config = [
      `sentinel monitor ${masterName} ${master.host} ${master.port} ${quorum}`,
      `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
      `sentinel failover-timeout ${masterName} ${failoverTimeoutMs}`,
      `sentinel parallel-syncs ${masterName} 1`,
      '',
    ].join('\n');
    sentinels.push(
      ...(await startRedisServers(sentinelCount, {
        redisServerPath: serverOptions.redisServerPath,
        startTimeoutMs: serverOptions.startTimeoutMs,
        stopTimeoutMs: serverOptions.stopTimeoutMs,
        config,
        args: ['--sentinel'],
      })),
    );
    await waitFor(readyTimeoutMs, 'sentinels that know every replica and sentinel', async () => {
      const states = await Promise.all(sentinels.map((s) => sentinelMasterState(s, masterName)));
      return states.every(
        (state) =>
          state['num-slaves'] === String(replicaCount) &&
          state['num-other-sentinels'] === String(sentinelCount - 1),
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const masterAddress = async (sentinel: RedisServer): Promise<number> => {
    const [, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as [
      string,
      string,
    ];
    return Number(port);
  };
  const master = async (): Promise<RedisServer> => {
    const port = await masterAddress(sentinels.find((s) => s.isRunning) ?? sentinels[0]!);
    const found = servers.find((server) => server.port === port);
    if (!found) throw new Error(`sentinels name 127.0.0.1:${port} as master: not one of ours`);
    return found;
  };

  return {
    masterName,
    servers,
    sentinels,
    replicationProxies,
    sentinelAddresses: sentinels.map(({ host, port }) => ({ host, port })),
    master,
    async failover(timeoutMs = readyTimeoutMs) {
      const previous = await master();
      await sentinels[0]!.call('SENTINEL', 'FAILOVER', masterName);
      let promoted: RedisServer | undefined;
      await waitFor(timeoutMs, `a failover away from ${previous.url}`, async () => {
        const running = sentinels.filter((s) => s.isRunning && !s.isPaused);
        const ports = new Set(await Promise.all(running.map(masterAddress)));
        if (ports.size !== 1 || ports.has(previous.port)) return false;
        promoted = servers.find((server) => ports.has(server.port));
        if (!promoted) return false;
        const others = servers.filter((s) => s !== promoted && s.isRunning && !s.isPaused);
        if (((await promoted.call('ROLE')) as string[])[0] !== 'master') return false;
        // Sentinel demotes a forced-out master only when its next INFO poll (every
        // 10 s) sees it still acting as master; do now what it would do then.
        await Promise.all(
          others.map(async (other) => {
            const [role] = (await other.call('ROLE')) as string[];
            if (role === 'master') await other.call('REPLICAOF', promoted!.host, promoted!.port);
          }),
        );
        const [role, ...infos] = await Promise.all([
          promoted.call('ROLE'),
          ...others.map((other) => other.command('INFO', 'replication')),
        ]);
        return (
          (role as string[])[0] === 'master' &&
          infos.every(
            (info) =>
              info.includes(`master_port:${promoted!.port}`) &&
              info.includes('master_link_status:up'),
          )
        );
      });
      return promoted!;
    },
    stop,
  };
}

/** `SENTINEL MASTER name` as a field -> value record. */
async function sentinelMasterState(
  sentinel: RedisServer,
  masterName: string,
): Promise<Record<string, string>> {
  const fields = (await sentinel.call('SENTINEL', 'MASTER', masterName)) as string[];
  const state: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) state[fields[i]!] = String(fields[i + 1]);
  return state;
}

/** Polls `check` until it resolves true; a rejection counts as not yet (servers may be restarting). */
async function waitFor(
  timeoutMs: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Redis Sentinel: no ${what} within ${timeoutMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
