export { describeLockNode } from './describe-lock-node.js';
export {
  type ConformanceGroup,
  conformanceGroups,
  type DescribeLockNodeOptions,
} from './options.js';
