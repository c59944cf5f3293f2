import { useRedisServers } from '@redlock/test-utils/vitest';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { startRedlock } from './support/redlock-process.js';

const { servers } = useRedisServers(5);
const urls = () => servers.map((server) => server.url).join(',');
let resourceCount = 0;
const resource = () => `cli-lost-${process.pid}-${++resourceCount}`;

/** Another owner takes the keys on every server: the next extension must fail. */
async function stealEverywhere(key: string): Promise<void> {
  await Promise.all(servers.map((server) => server.command('SET', key, 'intruder', 'PX', '60000')));
}

describe('a lost lock', () => {
  it('sends the command SIGTERM and exits with the lock-lost code', async () => {
    const job = resource();
    const run = startRedlock([
      'run',
      '--redis',
      urls(),
      '--ttl',
      '1s',
      job,
      '--',
      'sh',
      '-c',
      `trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.05; done`,
    ]);
    await run.waitForOutput('ready\n');
    await stealEverywhere(job);
    const result = await run.exited();
    expect(result.code).toBe(ExitCode.LOCK_LOST);
    expect(run.stdout()).toBe('ready\ngot TERM\n');
    expect(run.stderr()).toMatch(
      /^redlock: lost the lock on "cli-lost-\d+-\d+": .*; stopping the command \(SIGTERM, SIGKILL after 5\.0 s\)\n$/,
    );
  });

  it('kills a command that ignores SIGTERM after the grace period', async () => {
    const job = resource();
    const run = startRedlock([
      'run',
      '--redis',
      urls(),
      '--ttl',
      '1s',
      '--grace',
      '300ms',
      '--json',
      job,
      '--',
      'sh',
      '-c',
      `trap '' TERM; echo ready; while :; do sleep 0.05; done`,
    ]);
    await run.waitForOutput('ready\n');
    await stealEverywhere(job);
    // The command loops forever and ignores SIGTERM: only SIGKILL ends it.
    const result = await run.exited();
    expect(result.code).toBe(ExitCode.LOCK_LOST);
    const events = run
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.event)).toEqual([
      'connected',
      'acquired',
      'error',
      'released',
    ]);
    expect(events[2]).toMatchObject({ code: 'lock-lost', exitCode: ExitCode.LOCK_LOST });
  });
});

describe('a killed redlock', () => {
  it('leaves its keys behind no longer than the TTL', async () => {
    const job = resource();
    const ttlMs = 1000;
    const run = startRedlock([
      'run',
      '--redis',
      urls(),
      '--ttl',
      '1s',
      job,
      '--',
      'sh',
      '-c',
      // The command lets go of the output pipe, so the test sees redlock's end.
      'echo "ready $$"; exec sleep 30 >/dev/null 2>&1',
    ]);
    await run.waitForOutput('\n');
    const commandPid = Number(/ready (\d+)/.exec(run.stdout())?.[1]);
    try {
      run.child.kill('SIGKILL');
      await run.exited();
      const killedAt = performance.now();
      const ttls = await Promise.all(servers.map((server) => server.call('PTTL', job)));
      for (const ttl of ttls) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(ttlMs);
      }
      // Real time is the subject here: poll until the keys are gone, and
      // require that to happen within the TTL plus a margin for the load.
      const marginMs = 1000;
      for (;;) {
        const left = await Promise.all(servers.map((server) => server.call('EXISTS', job)));
        if (left.every((exists) => exists === 0)) break;
        expect(performance.now() - killedAt).toBeLessThan(ttlMs + marginMs);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      // The command outlives a SIGKILLed redlock, as it would outlive flock(1).
      if (commandPid > 0) process.kill(commandPid, 'SIGKILL');
    }
  });
});
