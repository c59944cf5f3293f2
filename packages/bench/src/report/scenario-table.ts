import type { MetricColumn, ScenarioResult, ScenarioRow } from '../scenario.js';
import { bestLibrary } from './targets.js';
import { formatTextTable } from './text-table.js';

/** One scenario as text: the rows, then ours divided by the floor, the best library and each library. */
export function formatScenario(scenario: ScenarioResult): string {
  const lines = [`## ${scenario.title}`, scenario.description, ''];
  const floor = scenario.rows.find((row) => row.kind === 'floor' && row.status === 'ok');
  const headline = scenario.columns.find((column) => column.better !== undefined);
  const showFloorRatio = floor !== undefined && headline !== undefined;
  const header = [
    'implementation',
    'status',
    ...scenario.columns.map((column) => column.header),
    ...(showFloorRatio ? [`${headline.header} / floor`] : []),
  ];
  const rows = scenario.rows.map((row) => [
    row.label,
    row.status,
    ...scenario.columns.map((column) => formatMetric(row, column)),
    ...(showFloorRatio ? [formatRatio(row, floor, headline)] : []),
  ]);
  lines.push(formatTextTable(header, rows));

  const notes = scenario.rows.filter((row) => row.note !== undefined);
  for (const row of notes) lines.push(`  * ${row.label}: ${row.note}`);

  const compared = scenario.columns.filter((column) => column.better !== undefined);
  const libraries = scenario.rows.filter((row) => row.kind === 'library' && row.status === 'ok');
  for (const ours of scenario.rows.filter((row) => row.kind === 'ours' && row.status === 'ok')) {
    if (floor === undefined && libraries.length === 0) continue;
    const ratioRows: string[][] = [];
    if (floor !== undefined) {
      ratioRows.push([
        `/ ${floor.label}`,
        ...compared.map((column) => formatRatio(ours, floor, column)),
      ]);
    }
    if (libraries.length > 1) {
      ratioRows.push([
        '/ best library (per column)',
        ...compared.map((column) => {
          const best = bestLibrary(scenario, column.key, column.better!);
          return best === undefined ? '-' : formatRatio(ours, best, column);
        }),
      ]);
    }
    for (const library of libraries) {
      ratioRows.push([
        `/ ${library.label}`,
        ...compared.map((column) => formatRatio(ours, library, column)),
      ]);
    }
    lines.push(
      '',
      formatTextTable(
        [`${ours.label} divided by`, ...compared.map((column) => column.header)],
        ratioRows,
      ),
    );
  }
  return lines.join('\n');
}

function formatMetric(row: ScenarioRow, column: MetricColumn): string {
  const value = row.metrics[column.key];
  if (value === undefined || Number.isNaN(value)) return '-';
  return value.toFixed(column.digits);
}

function formatRatio(row: ScenarioRow, base: ScenarioRow, column: MetricColumn): string {
  const value = row.metrics[column.key];
  const baseValue = base.metrics[column.key];
  if (value === undefined || baseValue === undefined || baseValue === 0) return '-';
  return `${(value / baseValue).toFixed(2)}x`;
}
