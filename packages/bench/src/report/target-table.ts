import type { TargetResult } from './targets.js';
import { formatTextTable } from './text-table.js';

export function formatTargets(targets: readonly TargetResult[]): string {
  const rows = targets.map((target) => [
    target.status,
    target.description,
    target.contender,
    target.measured,
    target.required,
  ]);
  const details = targets
    .filter((target) => target.detail !== undefined && target.detail !== 'scenario not run')
    .map((target) => `  * ${target.id} (${target.contender}): ${target.detail}`);
  return [
    '## Targets',
    formatTextTable(['result', 'target', 'checked on', 'measured', 'required'], rows),
    ...details,
  ].join('\n');
}
