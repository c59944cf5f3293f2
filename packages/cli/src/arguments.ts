import { parseArgs } from 'node:util';
import { parseDuration } from './duration.js';

/** The URL used when neither `--redis` nor `REDLOCK_URLS` gives one. */
export const DEFAULT_URL = 'redis://127.0.0.1:6379/0';
/** Default `--ttl`: long enough that a busy host extends in time, short enough that a crash frees the lock soon. */
export const DEFAULT_TTL_MS = 30_000;
/** Default `--grace`: how long a command has between SIGTERM and SIGKILL once the lock is lost. */
export const DEFAULT_GRACE_MS = 5_000;
/** Default `--connect-timeout`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Options shared by every subcommand. */
export interface CommonOptions {
  readonly urls: readonly string[];
  /** Prepended to every resource's key on the servers (`--key-prefix`), as the adapters' `keyPrefix`. */
  readonly keyPrefix: string;
  readonly connectTimeoutMs: number;
  readonly quiet: boolean;
  readonly json: boolean;
}

/** What the command line asked for. */
export type Invocation =
  | { readonly kind: 'help'; readonly subcommand: 'run' | 'inspect' | undefined }
  | { readonly kind: 'version' }
  | (CommonOptions & {
      readonly kind: 'run';
      readonly resources: readonly string[];
      readonly command: string;
      readonly args: readonly string[];
      readonly ttlMs: number;
      /** `undefined`: wait as long as it takes. */
      readonly waitMs: number | undefined;
      readonly noWait: boolean;
      readonly graceMs: number;
    })
  | (CommonOptions & { readonly kind: 'inspect'; readonly resources: readonly string[] });

/** A command line that makes no sense: reported in one line with a usage hint, exit 64. */
export class UsageError extends Error {
  /** The subcommand whose `--help` the hint points to. */
  readonly subcommand: 'run' | 'inspect' | undefined;

  constructor(message: string, subcommand?: 'run' | 'inspect') {
    super(message);
    this.name = 'UsageError';
    this.subcommand = subcommand;
  }
}

const OPTIONS = {
  redis: { type: 'string' },
  'key-prefix': { type: 'string' },
  ttl: { type: 'string' },
  wait: { type: 'string' },
  'no-wait': { type: 'boolean' },
  grace: { type: 'string' },
  'connect-timeout': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const RUN_ONLY = ['ttl', 'wait', 'no-wait', 'grace'] as const;

/**
 * Reads `argv` (without `node` and the script) and the environment into an
 * {@link Invocation}, or throws a {@link UsageError}. Everything after `--`
 * belongs to the command and is never read as an option.
 */
export function parseInvocation(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Invocation {
  const { values, tokens } = parseStrictly(argv);
  const terminator = tokens.find((token) => token.kind === 'option-terminator');
  const before: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional' && (!terminator || token.index < terminator.index)) {
      before.push(token.value);
    }
  }
  const after = terminator === undefined ? [] : argv.slice(terminator.index + 1);
  const [subcommand, ...resources] = before;

  if (subcommand !== undefined && subcommand !== 'run' && subcommand !== 'inspect') {
    throw new UsageError(`unknown command ${JSON.stringify(subcommand)} (use run or inspect)`);
  }
  if (values.help) return { kind: 'help', subcommand };
  if (values.version) return { kind: 'version' };
  if (subcommand === undefined) {
    throw new UsageError(terminator ? 'no subcommand before --' : 'no subcommand given');
  }

  const common = commonOptions(values, env, subcommand);
  if (resources.length === 0) {
    throw new UsageError(`no resource given: redlock ${subcommand} <resource>...`, subcommand);
  }
  for (const resource of resources) {
    if (resource.length === 0) throw new UsageError('a resource name is empty', subcommand);
  }

  if (subcommand === 'inspect') {
    for (const name of RUN_ONLY) {
      if (values[name] !== undefined) {
        throw new UsageError(`--${name} is an option of redlock run`, 'inspect');
      }
    }
    if (terminator) throw new UsageError('redlock inspect runs no command', 'inspect');
    return { ...common, kind: 'inspect', resources };
  }

  if (!terminator) {
    throw new UsageError(
      resources.length > 1
        ? `put the command after --: redlock run ${resources[0]} -- ${resources.slice(1).join(' ')}`
        : 'no command given: redlock run <resource> -- <command> [args...]',
      'run',
    );
  }
  const [command, ...args] = after;
  if (command === undefined || command.length === 0) {
    throw new UsageError('no command given after --', 'run');
  }
  if (values['no-wait'] && values.wait !== undefined) {
    throw new UsageError('--wait and --no-wait contradict each other', 'run');
  }
  const ttlMs = durationOption('ttl', values.ttl, DEFAULT_TTL_MS);
  if (ttlMs <= 0) throw new UsageError('--ttl must be longer than 0', 'run');
  return {
    ...common,
    kind: 'run',
    resources,
    command,
    args,
    ttlMs,
    waitMs: values.wait === undefined ? undefined : durationOption('wait', values.wait, 0),
    noWait: values['no-wait'] === true,
    graceMs: durationOption('grace', values.grace, DEFAULT_GRACE_MS),
  };
}

function parseStrictly(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), subcommandOf(argv));
  }
}

function commonOptions(
  values: {
    redis?: string;
    'key-prefix'?: string;
    'connect-timeout'?: string;
    quiet?: boolean;
    json?: boolean;
  },
  env: Readonly<Record<string, string | undefined>>,
  subcommand: 'run' | 'inspect',
): CommonOptions {
  // An empty REDLOCK_URLS is unset, as shells and CI templates often leave it.
  const source = values.redis ?? (env.REDLOCK_URLS?.trim() ? env.REDLOCK_URLS : undefined);
  const urls = (source ?? DEFAULT_URL)
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  if (urls.length === 0) {
    const from = values.redis === undefined ? 'REDLOCK_URLS' : '--redis';
    throw new UsageError(`${from} lists no URL`, subcommand);
  }
  const connectTimeoutMs = durationOption(
    'connect-timeout',
    values['connect-timeout'],
    DEFAULT_CONNECT_TIMEOUT_MS,
    subcommand,
  );
  return {
    urls,
    keyPrefix: values['key-prefix'] ?? '',
    connectTimeoutMs,
    quiet: values.quiet === true,
    json: values.json === true,
  };
}

function durationOption(
  name: string,
  text: string | undefined,
  fallbackMs: number,
  subcommand: 'run' | 'inspect' = 'run',
): number {
  if (text === undefined) return fallbackMs;
  const parsed = parseDuration(text);
  if ('problem' in parsed) throw new UsageError(`--${name}: ${parsed.problem}`, subcommand);
  return parsed.ms;
}

/** util.parseArgs messages are long and advise quoting; one line of ours is enough. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message)
      ? `${option} needs a value`
      : `${option} takes no value`;
  }
  return message.split('\n')[0]!;
}

function subcommandOf(argv: readonly string[]): 'run' | 'inspect' | undefined {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  if (head.includes('run')) return 'run';
  if (head.includes('inspect')) return 'inspect';
  return undefined;
}
