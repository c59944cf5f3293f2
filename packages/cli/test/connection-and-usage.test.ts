import os from 'node:os';
import { getFreePort } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { runRedlock, startRedlock } from './support/redlock-process.js';

const { servers } = useRedisServers(3);
const urls = () => servers.map((server) => server.url).join(',');

async function deadUrl(): Promise<string> {
  return `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
}

describe('bad input', () => {
  it('is one line and a usage hint, never a stack trace', async () => {
    const result = await runRedlock(['run', '--frob', 'job', '--', 'true']);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toBe("redlock: unknown option --frob\nTry 'redlock run --help'.\n");
  });

  it('names a bad URL without its password', async () => {
    const result = await runRedlock(['inspect', '--redis', 'http://user:hunter2@host', 'job']);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });
});

describe('unreachable servers', () => {
  it('exit with the unreachable code when a majority cannot be reached', async () => {
    const dead = [await deadUrl(), await deadUrl()];
    const result = await runRedlock([
      'run',
      '--redis',
      [servers[0]!.url, ...dead].join(','),
      '--connect-timeout',
      '500ms',
      'job',
      '--',
      'echo',
      'ran',
    ]);
    expect(result.code).toBe(ExitCode.UNREACHABLE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^redlock: cannot reach a majority of the Redis servers within 500 ms: 2 of 3 not ready \(.*\)\n$/,
    );
  });

  it('do not stop a run while a majority answers; the others are named', async () => {
    const result = await runRedlock([
      'run',
      '--redis',
      [...servers.slice(0, 2).map((server) => server.url), await deadUrl()].join(','),
      '--connect-timeout',
      '500ms',
      'job',
      '--',
      'echo',
      'ran',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ran\n');
    expect(result.stderr).toMatch(
      /^redlock: 1 of 3 Redis servers not reachable, going on with a majority/,
    );
  });
});

describe('several resources and a key prefix', () => {
  it('are locked together, under the prefix an application uses', async () => {
    const holder = startRedlock([
      'run',
      '--redis',
      urls(),
      '--key-prefix',
      'locks:',
      'a',
      'b',
      '--',
      'sh',
      '-c',
      'echo ready; read line',
    ]);
    await holder.waitForOutput('ready\n');
    try {
      for (const server of servers) {
        expect(await server.call('EXISTS', 'locks:a', 'locks:b')).toBe(2);
        expect(await server.call('EXISTS', 'a', 'b')).toBe(0);
      }
      // Either resource alone is taken: a run on it finds it held.
      const other = await runRedlock([
        'run',
        '--redis',
        urls(),
        '--key-prefix',
        'locks:',
        '--no-wait',
        'b',
        '--',
        'true',
      ]);
      expect(other.code).toBe(ExitCode.NOT_ACQUIRED);
    } finally {
      holder.child.stdin?.end('\n');
      expect((await holder.exited()).code).toBe(0);
    }
    for (const server of servers) expect(await server.call('EXISTS', 'locks:a', 'locks:b')).toBe(0);
  });
});

describe('redlock inspect', () => {
  it('shows the holder and the TTL left on every node', async () => {
    const holder = startRedlock([
      'run',
      '--redis',
      urls(),
      '--ttl',
      '20s',
      'report',
      '--',
      'sh',
      '-c',
      'echo ready; read line',
    ]);
    await holder.waitForOutput('ready\n');
    try {
      const result = await runRedlock(['inspect', '--redis', urls(), '--json', 'report', 'other']);
      expect(result.code).toBe(0);
      const { resources } = JSON.parse(result.stdout);
      expect(resources).toHaveLength(2);
      const [report, other] = resources;
      expect(report.resource).toBe('report');
      expect(report.nodes).toHaveLength(3);
      for (const view of report.nodes) {
        expect(view.holder).toMatch(
          new RegExp(
            `^${os.hostname().replace(/[^A-Za-z0-9._-]/g, '_')}:${holder.child.pid}:[0-9a-f]{32}$`,
          ),
        );
        expect(view.ttlMs).toBeGreaterThan(0);
        expect(view.ttlMs).toBeLessThanOrEqual(20_000);
      }
      expect(other.nodes.map((view: { holder: unknown }) => view.holder)).toEqual([
        null,
        null,
        null,
      ]);

      // The same lock seen through a prefix is another key: free.
      const prefixed = await runRedlock([
        'inspect',
        '--redis',
        urls(),
        '--key-prefix',
        'locks:',
        'report',
      ]);
      expect(prefixed.stdout).toMatch(/^report: free\n/);
      const text = await runRedlock(['inspect', '--redis', urls(), 'report']);
      expect(text.stdout).toMatch(/^report: held on 3\/3 nodes\n/);
      expect(text.stdout).toMatch(/held by .+, expires in \d+\.\d s/);
    } finally {
      holder.child.stdin?.end('\n');
      await holder.exited();
    }
  });
});
