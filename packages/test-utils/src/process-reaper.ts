/**
 * Makes sure no redis-server outlives the test process, even when a test
 * fails before its teardown or the worker is killed:
 *
 * - on a normal exit, `process.on('exit')` SIGKILLs every tracked child and
 *   removes its temp dir synchronously;
 * - for a worker killed by a signal (no 'exit' event), a tiny watchdog
 *   process holds a pipe to us; when the pipe closes it SIGKILLs the pids we
 *   told it about and removes the temp dirs.
 *
 * State lives on `globalThis` because vitest may evaluate this module once per
 * test file in the same worker, and we want one watchdog and one listener.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

interface ReaperState {
  children: Set<ChildProcess>;
  tempDirs: Set<string>;
  watchdog: ChildProcess | undefined;
}

const STATE_KEY = Symbol.for('@redlock/test-utils/process-reaper');

// Runs in the watchdog. Lines: "+p<pid>" / "-p<pid>" track a child, "+d<dir>" /
// "-d<dir>" a temp dir. On EOF (we are gone) it kills the children, removes the dirs.
const WATCHDOG_SOURCE = `
const pids = new Set();
const dirs = new Set();
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    const set = line[1] === 'p' ? pids : dirs;
    const item = line[1] === 'p' ? Number(line.slice(2)) : line.slice(2);
    if (line[0] === '+') set.add(item); else set.delete(item);
  }
});
const reap = () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  const fs = require('node:fs');
  for (const dir of dirs) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

function state(): ReaperState {
  const holder = globalThis as unknown as Record<symbol, ReaperState | undefined>;
  let current = holder[STATE_KEY];
  if (!current) {
    current = { children: new Set(), tempDirs: new Set(), watchdog: undefined };
    holder[STATE_KEY] = current;
    const reaperState = current;
    process.on('exit', () => reapAllSync(reaperState));
  }
  return current;
}

function reapAllSync(reaperState: ReaperState): void {
  for (const child of reaperState.children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  reaperState.children.clear();
  for (const tempDir of reaperState.tempDirs) {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
  reaperState.tempDirs.clear();
}

function tellWatchdog(line: string): void {
  const reaperState = state();
  if (!reaperState.watchdog) {
    const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: false,
    });
    watchdog.on('error', () => {});
    watchdog.stdin?.on('error', () => {});
    // Neither the watchdog nor its pipe may keep the test process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    reaperState.watchdog = watchdog;
  }
  reaperState.watchdog.stdin?.write(`${line}\n`);
}

/** Tracks a spawned child until it exits; it is SIGKILLed if the test process exits first. */
export function trackChild(child: ChildProcess): void {
  const reaperState = state();
  reaperState.children.add(child);
  if (child.pid !== undefined) tellWatchdog(`+p${child.pid}`);
  child.once('exit', () => {
    reaperState.children.delete(child);
    if (child.pid !== undefined) tellWatchdog(`-p${child.pid}`);
  });
}

/** Removes `dir` when the test process exits, unless {@link forgetTempDir} is called first. */
export function trackTempDir(dir: string): void {
  state().tempDirs.add(dir);
  tellWatchdog(`+d${dir}`);
}

/** Stops tracking a temp dir the caller has removed itself. */
export function forgetTempDir(dir: string): void {
  state().tempDirs.delete(dir);
  tellWatchdog(`-d${dir}`);
}
