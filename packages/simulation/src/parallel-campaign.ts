import { fork } from 'node:child_process';
import { type CampaignOptions, type CampaignSummary, runCampaign } from './campaign.js';

/** Campaign options that can cross a process boundary (no callbacks). */
export type CampaignSlice = Omit<CampaignOptions, 'onRun'>;

type ChildMessage =
  | { readonly type: 'progress'; readonly runs: number }
  | { readonly type: 'summary'; readonly summary: CampaignSummary };

/** The flag that makes the CLI serve one slice of a campaign for its parent. */
export const CHILD_FLAG = '--campaign-child';

/**
 * Run a campaign split across `processes` child processes (the CLI itself,
 * forked with the same loader flags), each taking a contiguous range of
 * seeds. Runs are independent and deterministic, so the summary is the same
 * as in one process, only sooner.
 */
export async function runCampaignInProcesses(
  options: CampaignSlice,
  processes: number,
  entryPath: string,
  onProgress: (runsDone: number) => void,
): Promise<CampaignSummary> {
  const startedAt = performance.now();
  const firstSeed = options.firstSeed ?? 1;
  const share = Math.ceil(options.runs / processes);
  const done: number[] = [];
  const slices: Promise<CampaignSummary>[] = [];
  for (let index = 0; index * share < options.runs; index++) {
    const slice: CampaignSlice = {
      ...options,
      firstSeed: firstSeed + index * share,
      runs: Math.min(share, options.runs - index * share),
    };
    done.push(0);
    slices.push(
      new Promise<CampaignSummary>((resolve, reject) => {
        const child = fork(entryPath, [CHILD_FLAG, JSON.stringify(slice)], {
          execArgv: process.execArgv,
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        let summary: CampaignSummary | undefined;
        child.on('message', (message: ChildMessage) => {
          if (message.type === 'summary') summary = message.summary;
          else {
            done[index] = message.runs;
            onProgress(done.reduce((sum, runs) => sum + runs, 0));
          }
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          if (summary !== undefined) resolve(summary);
          else
            reject(
              new Error(
                `campaign child for seeds from ${slice.firstSeed} exited with code ${code}`,
              ),
            );
        });
      }),
    );
  }
  const summaries = await Promise.all(slices);
  return {
    runs: sum(summaries, (summary) => summary.runs),
    events: sum(summaries, (summary) => summary.events),
    operations: sum(summaries, (summary) => summary.operations),
    locksHeld: sum(summaries, (summary) => summary.locksHeld),
    tokenChecks: sum(summaries, (summary) => summary.tokenChecks),
    lostUpdates: sum(summaries, (summary) => summary.lostUpdates),
    refusedWrites: sum(summaries, (summary) => summary.refusedWrites),
    failures: summaries.flatMap((summary) => summary.failures),
    elapsedMs: performance.now() - startedAt,
  };
}

/** In a child: run the slice given on the command line and report to the parent. */
export async function serveCampaignSlice(sliceJson: string): Promise<void> {
  const slice = JSON.parse(sliceJson) as CampaignSlice;
  const send = (message: ChildMessage): Promise<void> =>
    new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
  const every = Math.max(50, Math.floor(slice.runs / 40));
  const summary = await runCampaign({
    ...slice,
    onRun: (_, index) => {
      if ((index + 1) % every === 0) process.send!({ type: 'progress', runs: index + 1 });
    },
  });
  await send({ type: 'summary', summary });
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
