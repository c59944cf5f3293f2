import { type RedisServer, startRedisServers, stopRedisServers } from '@redlock/test-utils';

export interface BenchServers {
  readonly servers: readonly RedisServer[];
  /** Stops every server; safe to call twice. */
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts the benchmark's own redis-server masters and makes sure they stop
 * at the end, on failure and on Ctrl-C (test-utils also kills them if this
 * process dies without a chance to clean up).
 */
export async function startBenchServers(count: number): Promise<BenchServers> {
  const servers = await startRedisServers(count);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      // A paused server only handles SIGTERM once continued.
      for (const server of servers) if (server.isPaused) server.resume();
      await stopRedisServers(servers);
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the redis servers\n`);
    stop().finally(() =>
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { servers, stop };
}
