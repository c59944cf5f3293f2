/**
 * Vitest lifecycle helpers (import from `@redlock/test-utils/vitest`): start
 * servers in `beforeAll`, stop them in `afterAll`, even when tests fail.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  type RedisClusterHandle,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js';
import {
  type RedisSentinelHandle,
  type RedisSentinelOptions,
  startRedisSentinel,
} from './redis-sentinel.js';
import {
  type RedisServer,
  type RedisServerOptions,
  startRedisServers,
  stopRedisServers,
} from './redis-server.js';
import { createTestCertificates, type TestCertificates } from './test-certificates.js';

/** Time allowed for starting servers or a cluster in `beforeAll`. */
const SETUP_TIMEOUT_MS = 30_000;

/**
 * Starts `count` servers before the tests of the enclosing `describe` (or file)
 * and stops them after. The returned `servers` array is filled in place, so it
 * can be destructured at definition time.
 *
 * @example
 * const { servers } = useRedisServers(3);
 * it('locks', async () => { const urls = servers.map((s) => s.url); ... });
 */
export function useRedisServers(
  count: number,
  options?: RedisServerOptions,
): { readonly servers: RedisServer[] } {
  const servers: RedisServer[] = [];
  beforeAll(async () => {
    servers.push(...(await startRedisServers(count, options)));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await stopRedisServers(servers.splice(0));
  }, SETUP_TIMEOUT_MS);
  return { servers };
}

/**
 * Starts a Redis Cluster before the tests and stops it after. `nodes` and
 * `startupNodes` are filled in place; `cluster` throws if read before `beforeAll`.
 */
export function useRedisCluster(options?: RedisClusterOptions): {
  readonly nodes: RedisServer[];
  readonly startupNodes: { host: string; port: number }[];
  readonly cluster: RedisClusterHandle;
} {
  let cluster: RedisClusterHandle | undefined;
  const nodes: RedisServer[] = [];
  const startupNodes: { host: string; port: number }[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster(options);
    nodes.push(...cluster.nodes);
    startupNodes.push(...cluster.startupNodes);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await cluster?.stop();
    nodes.length = 0;
    startupNodes.length = 0;
  }, SETUP_TIMEOUT_MS);
  return {
    nodes,
    startupNodes,
    get cluster() {
      if (!cluster)
        throw new Error('useRedisCluster: the cluster starts in beforeAll; read it inside a test');
      return cluster;
    },
  };
}

/**
 * Starts a Sentinel group (master, replicas, sentinels) before the tests and
 * stops it after; `group` throws if read before `beforeAll`.
 */
export function useRedisSentinel(options?: RedisSentinelOptions): {
  readonly group: RedisSentinelHandle;
} {
  let group: RedisSentinelHandle | undefined;
  beforeAll(
    async () => {
      group = await startRedisSentinel(options);
    },
    SETUP_TIMEOUT_MS + (options?.readyTimeoutMs ?? 0),
  );
  afterAll(async () => {
    await group?.stop();
  }, SETUP_TIMEOUT_MS);
  return {
    get group() {
      if (!group)
        throw new Error('useRedisSentinel: the group starts in beforeAll; read it inside a test');
      return group;
    },
  };
}

/**
 * Makes test certificates and starts `count` servers that also listen for
 * TLS (`server.tlsUrl`) before the tests; stops them and removes the
 * certificates after. `certificates` throws if read before `beforeAll`.
 */
export function useTlsRedisServers(
  count: number,
  options?: Omit<RedisServerOptions, 'tls'>,
): { readonly servers: RedisServer[]; readonly certificates: TestCertificates } {
  const servers: RedisServer[] = [];
  let certificates: TestCertificates | undefined;
  beforeAll(async () => {
    certificates = await createTestCertificates();
    servers.push(...(await startRedisServers(count, { ...options, tls: certificates })));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await stopRedisServers(servers.splice(0));
    await certificates?.remove();
  }, SETUP_TIMEOUT_MS);
  return {
    servers,
    get certificates() {
      if (!certificates) throw new Error('useTlsRedisServers: certificates are made in beforeAll');
      return certificates;
    },
  };
}
