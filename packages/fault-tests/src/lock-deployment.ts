/**
 * The servers of one scenario: N independent lock servers (optionally each
 * behind a fault proxy) and one separate data server holding the shared
 * counter, which is never faulted.
 */
import {
  type FaultProxy,
  type RedisServer,
  startFaultProxy,
  startRedisServers,
  stopRedisServers,
} from '@redlock/test-utils';

export interface LockDeployment {
  readonly lockServers: readonly RedisServer[];
  /** One per lock server, in the same order; empty when not proxied. */
  readonly proxies: readonly FaultProxy[];
  readonly dataServer: RedisServer;
  /** What the workers connect to: the proxies when proxied, else the servers. */
  readonly lockUrls: readonly string[];
  /** Keys on each lock server, in server order (expired keys are not listed). */
  lockKeys(): Promise<string[][]>;
  /** Each key left on a lock server with its value and remaining TTL, for failure messages. */
  describeLockKeys(): Promise<string>;
  /** The counter's value on the data server (0 when never written). */
  readCounter(key: string): Promise<number>;
  stop(): Promise<void>;
}

/** Attempts at starting a set of servers that are really ours (see {@link checkServersAreOwn}). */
const START_ATTEMPTS = 3;

/**
 * Throws unless every server answers from its own process on its own port.
 * A server whose start raced with another test process for the same free
 * port can answer PING from the *other* process's server (its own child
 * failing to bind a moment later); two scenarios would then share a server
 * and see each other's keys.
 */
export async function checkServersAreOwn(servers: readonly RedisServer[]): Promise<void> {
  const ports = new Set(servers.map((server) => server.port));
  if (ports.size !== servers.length) {
    throw new Error(`servers share ports: ${servers.map((server) => server.port).join(', ')}`);
  }
  for (const server of servers) {
    const info = await server.command('INFO', 'server');
    const processId = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    if (processId !== server.pid) {
      throw new Error(
        `${server.url} is answered by process ${processId}, not by its own redis-server (pid ${server.pid}): the port was taken by another process`,
      );
    }
  }
}

async function startOwnServers(count: number): Promise<RedisServer[]> {
  for (let attempt = 1; ; attempt++) {
    const servers = await startRedisServers(count);
    try {
      await checkServersAreOwn(servers);
      return servers;
    } catch (error) {
      await stopRedisServers(servers);
      if (attempt >= START_ATTEMPTS) throw error;
      console.warn(`[fault-tests] starting again: ${(error as Error).message}`);
    }
  }
}

export async function startLockDeployment(options: {
  lockServerCount: number;
  proxied: boolean;
}): Promise<LockDeployment> {
  const servers = await startOwnServers(options.lockServerCount + 1);
  const dataServer = servers.pop()!;
  const lockServers = servers;
  const proxies: FaultProxy[] = [];
  try {
    if (options.proxied) {
      proxies.push(...(await Promise.all(lockServers.map((server) => startFaultProxy(server)))));
    }
  } catch (error) {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await stopRedisServers([...lockServers, dataServer]);
    throw error;
  }
  return {
    lockServers,
    proxies,
    dataServer,
    lockUrls: (options.proxied ? proxies : lockServers).map((endpoint) => endpoint.url),
    async lockKeys() {
      return Promise.all(
        lockServers.map(async (server) => (await server.call('KEYS', '*')) as string[]),
      );
    },
    async describeLockKeys() {
      const lines: string[] = [];
      for (const server of lockServers) {
        for (const key of (await server.call('KEYS', '*')) as string[]) {
          const [value, pttl] = await Promise.all([
            server.call('GET', key),
            server.call('PTTL', key),
          ]);
          lines.push(
            `${server.url} ${JSON.stringify(key)} = ${JSON.stringify(value)} (pttl ${pttl} ms)`,
          );
        }
      }
      return lines.join('\n') || '(no keys)';
    },
    async readCounter(key) {
      return Number((await dataServer.call('GET', key)) ?? 0);
    },
    async stop() {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await stopRedisServers([...lockServers, dataServer]);
    },
  };
}
