/**
 * `pnpm demo`: workers in one process contend for one lock on 5 independent
 * nodes while a node fails, and the output shows the lock staying exclusive.
 *
 *   pnpm demo                                   # 5 in-memory nodes (the embedded default)
 *   pnpm demo --redis redis://127.0.0.1:6379,redis://127.0.0.1:6380,...   # real servers
 *
 * Each worker does a deliberately non-atomic read-modify-write of a shared
 * counter inside the lock: if the lock ever let two workers in at once, an
 * increment would be lost and the final count would be short.
 *
 * Then, with fencing tokens (`fencing: true`), a holder that stalls past its
 * validity writes late to a "database" that checks tokens, and its write is
 * refused (Kleppmann's scenario); nodes without fencing skip this part.
 */
import { type LockNode, Redlock } from '@redlock/core';
import { MemoryLockNode } from '@redlock/memory';

const WORKERS = 6;
const SECTIONS_PER_WORKER = 12;
const TTL_MS = 2000;
const RESOURCE = 'invoice:2026-0042';

interface Demo {
  readonly nodes: readonly LockNode[];
  /** Make one node fail; returns a function that brings it back. */
  breakNode(index: number): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

async function memoryDemo(): Promise<Demo> {
  const nodes = Array.from(
    { length: 5 },
    (_, index) => new MemoryLockNode({ name: `memory://node-${index + 1}` }),
  );
  return {
    nodes,
    async breakNode(index) {
      nodes[index]!.setAvailable(false);
      return async () => nodes[index]!.setAvailable(true);
    },
    async close() {},
  };
}

async function redisDemo(urls: string[]): Promise<Demo> {
  const { Redis } = await import('ioredis');
  const { IoredisLockNode } = await import('@redlock/ioredis');
  const clients = urls.map((url) => {
    const client = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: false });
    client.on('error', () => {}); // failures surface as node outcomes, not as crashes
    return client;
  });
  const nodes = clients.map((client) => new IoredisLockNode(client));
  return {
    nodes,
    async breakNode(index) {
      // Cut this client off: its commands fail until it reconnects.
      clients[index]!.disconnect();
      return async () => {
        await clients[index]!.connect().catch(() => {});
      };
    },
    async close() {
      await Promise.allSettled(nodes.map((node) => node.close?.()));
      for (const client of clients) client.disconnect();
    },
  };
}

function parseRedisUrls(argv: string[]): string[] | undefined {
  const flag = argv.indexOf('--redis');
  if (flag < 0) return undefined;
  const urls = (argv[flag + 1] ?? '').split(',').filter(Boolean);
  if (urls.length === 0) {
    console.error('usage: pnpm demo --redis redis://host:port,redis://host:port,...');
    process.exit(2);
  }
  return urls;
}

const started = performance.now();
const stamp = (): string => `${String(Math.round(performance.now() - started)).padStart(5)} ms`;
const log = (line: string): void => console.log(`[${stamp()}] ${line}`);

async function main(): Promise<void> {
  const urls = parseRedisUrls(process.argv.slice(2));
  const demo = urls ? await redisDemo(urls) : await memoryDemo();
  const redlock = new Redlock(demo.nodes, { retryCount: -1, nodeTimeoutMs: 50 });
  console.log(
    `${WORKERS} workers, ${SECTIONS_PER_WORKER} critical sections each, on ${demo.nodes.length} nodes (quorum ${redlock.quorum}):`,
  );
  console.log(`  ${demo.nodes.map((node) => node.name).join(', ')}\n`);

  let counter = 0;
  let inside = 0;
  let mostInside = 0;
  let sections = 0;
  const turns = new Array<number>(WORKERS).fill(0);
  let restore: (() => Promise<void>) | undefined;

  const worker = async (id: number): Promise<void> => {
    for (let round = 0; round < SECTIONS_PER_WORKER; round++) {
      await redlock.using(RESOURCE, TTL_MS, async (signal, lock) => {
        inside++;
        mostInside = Math.max(mostInside, inside);
        sections++;
        turns[id]!++;
        if (sections % 8 === 1 || inside > 1) {
          log(
            `worker ${id + 1} holds ${RESOURCE} (section ${sections}, valid for ${Math.round(lock.expiration - Date.now())} ms, holders now: ${inside})`,
          );
        }
        if (sections === 20) {
          restore = await demo.breakNode(2);
          log(`>>> ${demo.nodes[2]!.name} is DOWN: the other 4 still form a quorum`);
        }
        if (sections === 50 && restore) {
          await restore();
          log(`>>> ${demo.nodes[2]!.name} is back`);
        }
        const read = counter; // non-atomic on purpose: only the lock keeps it correct
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (signal.aborted) throw signal.reason;
        counter = read + 1;
        inside--;
      });
    }
  };

  await Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));
  const expected = WORKERS * SECTIONS_PER_WORKER;
  console.log('');
  log(`counter = ${counter} (expected ${expected}); most holders at once = ${mostInside}`);
  log(`turns per worker: ${turns.join(', ')}`);
  const exclusive = counter === expected && mostInside === 1;
  console.log(
    exclusive
      ? '\nThe lock stayed exclusive while a node was down: no increment was lost.'
      : '\nVIOLATION: the lock let two workers in at once.',
  );
  const fenced = await fencingDemo(demo.nodes);
  await redlock.close();
  await demo.close();
  process.exitCode = exclusive && fenced ? 0 : 1;
}

/**
 * A row that keeps the newest fencing token it accepted, as
 * `UPDATE ... SET value = $value, fence = $token WHERE id = $id AND fence <= $token` does.
 */
class FencedRow {
  value = 'initial';
  fence = -1n;

  write(token: bigint, value: string): boolean {
    if (token < this.fence) return false; // an older holder: refused
    this.fence = token;
    this.value = value;
    return true;
  }
}

/** Kleppmann's paused holder, with fencing: its late write is refused. */
async function fencingDemo(nodes: readonly LockNode[]): Promise<boolean> {
  if (!nodes.every((node) => node.acquireFenced && node.raiseFence)) {
    console.log('\n(These nodes keep no fencing counters: the fencing part is skipped.)');
    return true;
  }
  console.log('\nFencing tokens: a holder stalls past its validity, then writes.');
  const redlock = new Redlock(nodes, { fencing: true, retryCount: -1, retryDelay: 20 });
  const row = new FencedRow();
  const stalled = await redlock.acquire('report:daily', 200);
  log(`holder A has the lock with token ${stalled.fencingToken} and stalls (a GC pause)...`);
  await new Promise((resolve) => setTimeout(resolve, 300)); // past its 200 ms TTL
  const next = await redlock.acquire('report:daily', 1000);
  log(`holder B has the lock with token ${next.fencingToken}`);
  const wroteB = row.write(next.fencingToken!, 'written by B');
  log(`B writes: ${wroteB ? 'accepted' : 'refused'}`);
  const wroteA = row.write(stalled.fencingToken!, 'written by A, late');
  log(`A wakes up and writes with its old token: ${wroteA ? 'accepted' : 'refused'}`);
  await next.release();
  await stalled.release();
  const safe = wroteB && !wroteA && row.value === 'written by B';
  console.log(
    safe
      ? "The row refused the stale write: B's update was not lost."
      : 'VIOLATION: the stale write was accepted.',
  );
  return safe;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
