import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { runRedlock, startRedlock } from './support/redlock-process.js';

const { servers } = useRedisServers(5);
const urls = () => servers.map((server) => server.url).join(',');
let dir = '';
let resourceCount = 0;
/** A fresh resource name per test, so tests never see each other's locks. */
const resource = () => `cli-test-${process.pid}-${++resourceCount}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'redlock-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redlock run', () => {
  it('never lets two runs of the same resource overlap', async () => {
    const file = path.join(dir, 'shared.log');
    const job = resource();
    // Each command writes begin, sleeps, writes end: an overlap interleaves the lines.
    const runs = ['A', 'B', 'C'].map((id) =>
      runRedlock([
        'run',
        '--redis',
        urls(),
        '--ttl',
        '5s',
        job,
        '--',
        'sh',
        '-c',
        `echo "${id} begin" >> "$0"; sleep 0.3; echo "${id} end" >> "$0"`,
        file,
      ]),
    );
    const results = await Promise.all(runs);
    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    for (let index = 0; index < lines.length; index += 2) {
      const id = lines[index]!.split(' ')[0];
      expect([lines[index], lines[index + 1]]).toEqual([`${id} begin`, `${id} end`]);
    }
    expect(new Set(lines.map((line) => line.split(' ')[0])).size).toBe(3);
  });

  it("exits with the command's exit code and passes its output through", async () => {
    const result = await runRedlock([
      'run',
      '--redis',
      urls(),
      resource(),
      '--',
      'sh',
      '-c',
      'echo out; exit 7',
    ]);
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('');
  });

  it('dies of the signal that killed the command', async () => {
    const result = await runRedlock([
      'run',
      '--redis',
      urls(),
      resource(),
      '--',
      'sh',
      '-c',
      'kill -TERM $$',
    ]);
    expect(result.signal).toBe('SIGTERM');
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`forwards ${signal} to the command`, async () => {
      const name = signal.slice(3);
      const run = startRedlock([
        'run',
        '--redis',
        urls(),
        resource(),
        '--',
        'sh',
        '-c',
        `trap 'echo "got ${name}"; exit 3' ${name}; echo ready; while :; do sleep 0.05; done`,
      ]);
      await run.waitForOutput('ready\n');
      run.child.kill(signal);
      const result = await run.exited();
      expect(run.stdout()).toBe(`ready\ngot ${name}\n`);
      expect(result.code).toBe(3);
    });
  }

  it('reports a command that does not exist with 127', async () => {
    const result = await runRedlock([
      'run',
      '--redis',
      urls(),
      resource(),
      '--',
      'no-such-command-here',
    ]);
    expect(result.code).toBe(ExitCode.NOT_FOUND);
    expect(result.stderr).toBe('redlock: command not found: no-such-command-here\n');
  });

  it('never runs the command when the lock is held: --no-wait and --wait', async () => {
    const job = resource();
    const holder = startRedlock([
      'run',
      '--redis',
      urls(),
      job,
      '--',
      'sh',
      '-c',
      'echo ready; read line',
    ]);
    await holder.waitForOutput('ready\n');
    const marker = path.join(dir, `${job}.ran`);
    const command = ['--', 'sh', '-c', 'touch "$0"', marker];
    const noWait = await runRedlock(['run', '--redis', urls(), '--no-wait', job, ...command]);
    expect(noWait.code).toBe(ExitCode.NOT_ACQUIRED);
    expect(noWait.stderr).toMatch(
      /^redlock: could not lock "cli-test-\d+-\d+": held by another owner on (at least )?[345]\/5 nodes/,
    );
    const waited = await runRedlock(['run', '--redis', urls(), '--wait', '400ms', job, ...command]);
    expect(waited.code).toBe(ExitCode.NOT_ACQUIRED);
    expect(waited.stderr.trim().split('\n')).toHaveLength(1);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    holder.child.stdin?.end('\n');
    expect((await holder.exited()).code).toBe(0);
  });

  it('waits for the holder, then runs', async () => {
    const job = resource();
    const file = path.join(dir, `${job}.log`);
    const holder = startRedlock([
      'run',
      '--redis',
      urls(),
      job,
      '--',
      'sh',
      '-c',
      'echo ready; read line; echo holder >> "$0"',
      file,
    ]);
    await holder.waitForOutput('ready\n');
    const waiter = startRedlock([
      'run',
      '--redis',
      urls(),
      '--json',
      job,
      '--',
      'sh',
      '-c',
      'echo waiter >> "$0"',
      file,
    ]);
    await waiter.waitForError('"event":"connected"');
    holder.child.stdin?.end('\n');
    const [held, waited] = await Promise.all([holder.exited(), waiter.exited()]);
    expect(held.code).toBe(0);
    expect(waited.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('holder\nwaiter\n');
    const events = waiter
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event);
    expect(events).toEqual(['connected', 'acquired', 'released']);
  });

  it('stops waiting on SIGINT and dies of it without running the command', async () => {
    const job = resource();
    const holder = startRedlock([
      'run',
      '--redis',
      urls(),
      job,
      '--',
      'sh',
      '-c',
      'echo ready; read line',
    ]);
    await holder.waitForOutput('ready\n');
    const waiter = startRedlock(['run', '--redis', urls(), '--json', job, '--', 'echo', 'ran']);
    await waiter.waitForError('"event":"connected"');
    waiter.child.kill('SIGINT');
    const result = await waiter.exited();
    expect(result.signal).toBe('SIGINT');
    expect(waiter.stdout()).toBe('');
    expect(waiter.stderr()).toContain('interrupted by SIGINT while waiting for the lock');
    holder.child.stdin?.end('\n');
    expect((await holder.exited()).code).toBe(0);
  });
});
