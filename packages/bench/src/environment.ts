import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDirectory } from './bench-directory.js';

/** Where and with what the benchmark ran, for the report. */
export interface Environment {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly redisServer: string;
  readonly gitCommit: string;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  readonly loadAverageAtStart: number;
  /** npm package -> installed version. */
  readonly packages: Readonly<Record<string, string>>;
}

const REPORTED_PACKAGES = [
  'redlock',
  '@sesamecare-oss/redlock',
  'redlock-universal',
  'redis-semaphore',
  'ioredis',
  'redis',
] as const;

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) packages[name] = installedVersion(name);
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    redisServer: commandOutput('redis-server', ['--version']),
    gitCommit: commandOutput('git', ['rev-parse', '--short', 'HEAD']),
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    packages,
  };
}

function installedVersion(name: string): string {
  try {
    const manifest = path.join(benchDirectory(), 'node_modules', name, 'package.json');
    const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
    return version.replace(/^v/, '');
  } catch {
    return 'not installed';
  }
}

function commandOutput(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
