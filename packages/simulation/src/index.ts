export { type CampaignOptions, type CampaignSummary, runCampaign } from './campaign.js';
export { describeFault } from './faults.js';
export { Holding, type HoldingStyle } from './holding.js';
export { checkKeyTtls, checkMutualExclusion, checkUsingSignals } from './invariants.js';
export { deriveSeed, Prng } from './prng.js';
export { describeReproduction, describeScenario, replayCommand } from './report.js';
export {
  type BrokenAssumption,
  brokenAssumptions,
  type ClientSpec,
  driftBound,
  type Fault,
  generateScenario,
  type NetworkSpec,
  type Scenario,
  type ScenarioOptions,
  type ServerSpec,
} from './scenario.js';
export { type EventOwner, type ScheduledEvent, Scheduler } from './scheduler.js';
export { type ShrinkOptions, type ShrinkResult, shrinkScenario } from './shrink.js';
export type { Violation, ViolationKind } from './violation.js';
export { type RunOptions, type RunResult, runScenario } from './world.js';
