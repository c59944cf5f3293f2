import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { describe, expect, it, onTestFinished } from 'vitest';

const { servers } = useRedisServers(1);
const fixture = fileURLToPath(new URL('./fixtures/quit-and-exit.ts', import.meta.url));

describe('an app that quits its clients', () => {
  it('exits on its own: compat keeps no connection or timer of its own alive', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@redlock/source', fixture, servers[0]!.url],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Only so a failing run leaves nothing behind.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill();
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // If compat held the process open, the child would never exit and the
    // test would fail on its timeout.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output.trim()).toBe('done');
    expect(code).toBe(0);
  });
});
