import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixture = path.join(import.meta.dirname, 'fixtures/orphan-server.ts');

/** Runs the fixture in a fresh Node process; resolves with the server's pid and temp dir. */
async function runOrphanFixture(mode: 'exit' | 'sigkill'): Promise<{ pid: number; dir: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  await new Promise((resolve) => child.once('close', resolve));
  if (!stdout.trim()) throw new Error(`fixture printed nothing; stderr: ${stderr}`);
  return JSON.parse(stdout);
}

/** Whether `pid` is a live process (a zombie awaiting its reaper counts as dead). */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until the server is dead and its dir gone, or the deadline passes; the watchdog reacts asynchronously. */
async function waitUntilReaped(pid: number, dir: string, deadlineMs = 5_000): Promise<boolean> {
  const giveUpAt = performance.now() + deadlineMs;
  while (isAlive(pid) || fs.existsSync(dir)) {
    if (performance.now() > giveUpAt) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

describe.runIf(process.platform === 'linux')('no redis-server outlives the test process', () => {
  it('kills servers left running and removes their dirs when the process exits', async () => {
    const { pid, dir } = await runOrphanFixture('exit');
    expect(await waitUntilReaped(pid, dir)).toBe(true);
  });

  it('kills servers left running and removes their dirs when the process is SIGKILLed', async () => {
    const { pid, dir } = await runOrphanFixture('sigkill');
    expect(await waitUntilReaped(pid, dir)).toBe(true);
  });
});
