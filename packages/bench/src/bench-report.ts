import fs from 'node:fs';
import path from 'node:path';
import { benchDirectory } from './bench-directory.js';
import type { ContenderKind } from './contender.js';
import type { Environment } from './environment.js';
import type { TargetResult } from './report/targets.js';
import type { ScenarioId, ScenarioResult } from './scenario.js';
import type { LOCK_SETTINGS, RunPlan } from './settings.js';

/** The JSON written to packages/bench/results/latest.json. */
export interface BenchReport {
  readonly startedAt: string;
  readonly durationSec: number;
  /** 1-minute load average when the run ended. */
  readonly loadAverageAtEnd: number;
  readonly command: string;
  readonly quick: boolean;
  readonly scenariosRun: readonly ScenarioId[];
  readonly environment: Environment;
  readonly lockSettings: typeof LOCK_SETTINGS;
  readonly plan: RunPlan;
  readonly contenders: readonly {
    readonly id: string;
    readonly label: string;
    readonly kind: ContenderKind;
    readonly settings: string;
  }[];
  readonly scenarios: readonly ScenarioResult[];
  readonly targets: readonly TargetResult[];
}

export function defaultReportPath(): string {
  return path.join(benchDirectory(), 'results', 'latest.json');
}

/** Writes the report; a relative path is taken from where `pnpm bench` was called. Returns the path. */
export function writeReport(report: BenchReport, file: string): string {
  const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(report, roundNumbers, 2)}\n`);
  return target;
}

/** Four significant decimals are plenty and keep the committed file readable. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(4)) : value;
}
