import { SCENARIO_IDS, type ScenarioId } from './scenario.js';

export interface CliOptions {
  readonly quick: boolean;
  readonly only: readonly ScenarioId[];
  /** Implementation ids to run (default: all), e.g. to profile ours alone. */
  readonly implementations: readonly string[] | undefined;
  /** Cycles of the memory run on MemoryLockNodes. */
  readonly cycles: number | undefined;
  /** Cycles of the memory run over each Redis adapter. */
  readonly redisCycles: number | undefined;
  /** Where the JSON report goes. */
  readonly out: string | undefined;
  readonly help: boolean;
}

export const USAGE = `Usage: pnpm bench [options]

  --quick               short runs, for a smoke test (about 25 s)
  --only <scenarios>    comma-separated subset of: ${SCENARIO_IDS.join(', ')}
  --impl <ids>          comma-separated subset of implementations (ids as in the JSON report),
                        e.g. ours-ioredis,node-redlock; targets need the libraries and the raw floor
  --cycles <n>          acquire+release cycles of the memory run on MemoryLockNodes (default 1000000)
  --redis-cycles <n>    cycles of the memory run over each Redis adapter (default 100000)
  --out <file>          JSON report path (default packages/bench/results/latest.json)
  --help                this text`;

/** Thrown for a command line that cannot be run; the message says why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliOptions(args: readonly string[]): CliOptions {
  let quick = false;
  let help = false;
  let only: ScenarioId[] = [...SCENARIO_IDS];
  let cycles: number | undefined;
  let redisCycles: number | undefined;
  let out: string | undefined;
  let implementations: string[] | undefined;
  for (let index = 0; index < args.length; index++) {
    const [flag, inlineValue] = splitFlag(args[index]!);
    const value = (): string => {
      const next = inlineValue ?? args[++index];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--':
        break;
      case '--quick':
        quick = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--only':
        only = parseScenarios(value());
        break;
      case '--impl':
        implementations = value()
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        break;
      case '--cycles':
        cycles = parseCount(flag, value());
        break;
      case '--redis-cycles':
        redisCycles = parseCount(flag, value());
        break;
      case '--out':
        out = value();
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return { quick, only, implementations, cycles, redisCycles, out, help };
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return arg.startsWith('--') && equals > 0
    ? [arg.slice(0, equals), arg.slice(equals + 1)]
    : [arg, undefined];
}

function parseScenarios(text: string): ScenarioId[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(SCENARIO_IDS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown scenario "${name}"; choose from ${SCENARIO_IDS.join(', ')}`);
    }
  }
  if (names.length === 0) throw new UsageError('--only needs at least one scenario');
  return names as ScenarioId[];
}

function parseCount(flag: string, text: string): number {
  const count = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  }
  return count;
}
