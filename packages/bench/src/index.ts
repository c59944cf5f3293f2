export type { BenchReport } from './bench-report.js';
export type { Contender, ContenderKind, LockSession, Release } from './contender.js';
export { contenders } from './contenders/index.js';
export { runBench } from './run-bench.js';
export type { ScenarioId, ScenarioResult, ScenarioRow } from './scenario.js';
