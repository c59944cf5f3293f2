/**
 * Time to a failed acquisition when a majority of servers is paused (SIGSTOP:
 * connections open, nothing answered), node-redlock v5 against
 * @redlock/compat, both with node-redlock's default settings and one ioredis
 * client per server. The figures in docs/migrating-from-node-redlock.md come
 * from here:
 *
 *   pnpm tsx --conditions=@redlock/source packages/compat/scripts/measure-paused.ts
 */
import { performance } from 'node:perf_hooks';
import { type RedisServer, startRedisServers, stopRedisServers } from '@redlock/test-utils';
import { Redis } from 'ioredis';
import NodeRedlock from 'redlock';
import Redlock from '../src/index.js';

/** How long to wait for an acquisition before calling it a hang. */
const CAP_MS = 30_000;

interface Case {
  readonly servers: number;
  readonly paused: number;
  readonly retryCount: number;
}

const cases: readonly Case[] = [
  { servers: 5, paused: 3, retryCount: 10 },
  { servers: 5, paused: 3, retryCount: 0 },
  { servers: 4, paused: 2, retryCount: 10 },
];

type Library = 'redlock@5.0.0-beta.2' | '@redlock/compat';

async function timeToFailure(library: Library, clients: Redis[], retryCount: number) {
  const redlock =
    library === '@redlock/compat'
      ? new Redlock(clients, { retryCount })
      : new NodeRedlock(clients, { retryCount });
  const started = performance.now();
  const attempt = redlock.acquire([`measure:${library}:${retryCount}`], 5000).then(
    () => 'acquired (unexpected)',
    (error: Error) => `rejected: ${error.message}`,
  );
  let timer: NodeJS.Timeout | undefined;
  const capped = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`still pending after ${CAP_MS / 1000} s`), CAP_MS);
  });
  const outcome = await Promise.race([attempt, capped]);
  clearTimeout(timer);
  return { outcome, ms: performance.now() - started, attempt };
}

async function main(): Promise<void> {
  for (const { servers: count, paused, retryCount } of cases) {
    for (const library of ['redlock@5.0.0-beta.2', '@redlock/compat'] as const) {
      const servers: RedisServer[] = await startRedisServers(count);
      const clients = servers.map((server) => {
        const client = new Redis({ host: server.host, port: server.port });
        client.on('error', () => undefined);
        return client;
      });
      await Promise.all(clients.map((client) => client.ping()));
      for (const server of servers.slice(0, paused)) server.pause();
      const { outcome, ms, attempt } = await timeToFailure(library, clients, retryCount);
      console.log(
        `${count} servers, ${paused} paused, retryCount ${retryCount}, ${library}: ` +
          `${(ms / 1000).toFixed(2)} s, ${outcome}`,
      );
      for (const server of servers.slice(0, paused)) server.resume();
      await attempt; // a hung node-redlock settles once the servers answer again
      for (const client of clients) client.disconnect();
      await stopRedisServers(servers);
    }
  }
}

await main();
