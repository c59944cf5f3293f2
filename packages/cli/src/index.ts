export {
  type CommonOptions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_GRACE_MS,
  DEFAULT_TTL_MS,
  DEFAULT_URL,
  type Invocation,
  parseInvocation,
  UsageError,
} from './arguments.js';
export { formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export { ExitCode, type ExitCodeValue } from './exit-codes.js';
export { main } from './main.js';
export type { CliOutcome } from './outcome.js';
export type { CliStreams } from './reporter.js';
