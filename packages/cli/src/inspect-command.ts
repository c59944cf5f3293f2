import type { KeyState, LockNode } from '@redlock/core';
import type { Invocation } from './arguments.js';
import { connect } from './connect.js';
import { formatDuration } from './duration.js';
import { ExitCode } from './exit-codes.js';
import type { CliOutcome } from './outcome.js';
import type { Reporter } from './reporter.js';
import { withTimeout } from './wait-status.js';

type InspectInvocation = Extract<Invocation, { kind: 'inspect' }>;

const INSPECT_TIMEOUT_MS = 2000;

/** One resource on one node: its holder and TTL left, or why the node did not say. */
export type NodeView =
  | { readonly node: string; readonly holder: string | null; readonly ttlMs: number | null }
  | { readonly node: string; readonly error: string };

/**
 * `redlock inspect`: per resource and node, who holds it and how long the
 * key has left. Values written by `redlock run` start with `host:pid:`.
 */
export async function inspectLocks(
  inspect: InspectInvocation,
  reporter: Reporter,
): Promise<CliOutcome> {
  const { redlock, notReady } = await connect(inspect, new AbortController().signal);
  try {
    const perNode = await Promise.all(
      redlock.nodes.map((node) =>
        notReady.includes(node.name)
          ? Promise.resolve(new Error('not reachable'))
          : ask(node, inspect.resources),
      ),
    );
    const answered = perNode.filter((reply) => !(reply instanceof Error)).length;
    const resources = inspect.resources.map((resource, index) => ({
      resource,
      nodes: redlock.nodes.map((node, nodeIndex): NodeView => {
        const reply = perNode[nodeIndex]!;
        if (reply instanceof Error) return { node: node.name, error: reply.message };
        const key = reply[index]!;
        return key.value === null
          ? { node: node.name, holder: null, ttlMs: null }
          : { node: node.name, holder: key.value, ttlMs: key.pttl < 0 ? null : key.pttl };
      }),
    }));
    reporter.result(formatTable(resources), { resources });
    if (answered < redlock.quorum) {
      reporter.error(
        'unreachable',
        `only ${answered} of ${redlock.nodes.length} Redis servers answered; who holds a lock is not known without a majority`,
        ExitCode.UNREACHABLE,
      );
      return { exitCode: ExitCode.UNREACHABLE };
    }
    return { exitCode: ExitCode.OK };
  } finally {
    await redlock.close();
  }
}

async function ask(node: LockNode, resources: readonly string[]): Promise<KeyState[] | Error> {
  if (!node.inspect) return new Error('this node cannot be inspected');
  try {
    return await withTimeout(node.inspect(resources), INSPECT_TIMEOUT_MS);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function formatTable(
  resources: readonly { resource: string; nodes: readonly NodeView[] }[],
): string {
  const lines: string[] = [];
  for (const { resource, nodes } of resources) {
    const held = nodes.filter((view) => 'holder' in view && view.holder !== null).length;
    lines.push(`${resource}: ${held === 0 ? 'free' : `held on ${held}/${nodes.length} nodes`}`);
    const width = Math.max(...nodes.map((view) => view.node.length));
    for (const view of nodes) {
      const name = view.node.padEnd(width);
      if ('error' in view) lines.push(`  ${name}  unreachable: ${view.error}`);
      else if (view.holder === null) lines.push(`  ${name}  free`);
      else {
        const ttl = view.ttlMs === null ? 'no TTL' : `expires in ${formatDuration(view.ttlMs)}`;
        lines.push(`  ${name}  held by ${view.holder}, ${ttl}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
