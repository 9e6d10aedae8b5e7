import type { BacktestResult, ScenarioResult, TargetResult } from '#lib/backtest/run.ts';
import { capacityChartSpec, renderChartSvg } from './chart.ts';
import { formatCapacityHours, formatCost, formatCount, formatHours, formatSavings, scenarioLabel, UNIT_HOURS } from './format.ts';

/**
 * The backtest as one self-contained HTML page: what was compared, the totals, a table per target,
 * and per target a chart of each scenario's capacity against the sessions in use. Charts are SVG
 * rendered here (lib/report/chart.ts), the style is inline, and nothing is fetched when the page
 * opens, so it can be mailed or archived as it is. Every text from the outside is escaped.
 *
 * Input: a BacktestResult (lib/backtest/run.ts). Output: the HTML text.
 */
export async function renderBacktestReport(result: BacktestResult): Promise<string> {
  const charts = await Promise.all(result.targets.map((target) => renderTargetChart(result, target)));
  const title = `euc-autopilot backtest: ${result.source}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${escapeHtml(describeRun(result))}</p>
${warnings(result)}
<h2>Totals</h2>
${totalsTable(result)}
${howToRead(result)}
<h2>Per target</h2>
${targetsTable(result)}
<h2>Capacity over time</h2>
${result.targets.map((target, index) => chartSection(target, charts[index]!, result)).join('\n')}
<h2>Settings</h2>
${settings(result)}
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function describeRun(result: BacktestResult): string {
  const days = result.minutes / 1440;
  const span = days >= 1 ? `${formatHours(days)} days` : `${formatCount(result.minutes)} minutes`;
  return (
    `${result.targets.length} ${result.targets.length === 1 ? 'target' : 'targets'}, ${readableTime(result.from)} to ${readableTime(result.to)} (${span}, minute by minute), ` +
    `ticking every ${result.tickMinutes} min; policies from ${result.policyFiles.map((file) => file.path).join(', ')}.`
  );
}

/** `2026-11-23 00:00 UTC`. */
function readableTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function warnings(result: BacktestResult): string {
  const notes = [...result.warnings];
  if (result.prices.placeholders.length > 0) {
    notes.push(`Prices of ${result.prices.placeholders.join(' and ')} are placeholders, not AWS prices: pass your own with --price or --prices.`);
  }
  if (notes.length === 0) return '';
  return `<ul class="warnings">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`;
}

function totalsTable(result: BacktestResult): string {
  const rows = result.totals.map((total) => [
    { text: scenarioLabel(result.scenarios, total.scenario), title: result.scenarios.find((scenario) => scenario.id === total.scenario)?.description },
    { text: formatCapacityHours(total.capacityHours), number: true },
    { text: formatCost(total.cost), number: true },
    { text: formatSavings(total.savingsPercent), number: true },
    { text: formatCount(total.shortfallUserMinutes), number: true, bad: total.shortfallUserMinutes > 0 },
    { text: formatCount(total.shortfallEvents), number: true, bad: total.shortfallEvents > 0 },
    { text: formatCount(total.capacityChanges), number: true },
  ]);
  return table('totals', ['Scenario', 'Capacity-hours', 'Cost', 'Savings vs static', 'User-minutes without a free session', 'Shortfall events', 'Capacity changes'], rows);
}

function targetsTable(result: BacktestResult): string {
  const rows = result.targets.flatMap((target) =>
    target.results.map((row, index) => [
      index === 0 ? { text: target.target, rowspan: target.results.length, head: true } : undefined,
      { text: scenarioLabel(result.scenarios, row.scenario) },
      { text: row.detail },
      { text: `${formatHours(row.capacityHours)} ${UNIT_HOURS[target.unit]}`, number: true },
      { text: formatCost(row.cost), number: true },
      { text: formatSavings(row.savingsPercent), number: true },
      { text: formatCount(row.shortfallUserMinutes), number: true, bad: row.shortfallUserMinutes > 0 },
      { text: formatCount(row.shortfallEvents), number: true, bad: row.shortfallEvents > 0 },
      { text: formatCount(row.worstShortfall), number: true, bad: row.worstShortfall > 0 },
      { text: formatCount(row.capacityChanges), number: true },
    ]),
  );
  return table(
    'targets',
    ['Target', 'Scenario', 'Policy / sized by', 'Capacity-hours', 'Cost', 'Savings vs static', 'User-minutes without a free session', 'Shortfall events', 'Worst minute', 'Capacity changes'],
    rows,
  );
}

interface Cell {
  text: string;
  title?: string;
  number?: boolean;
  bad?: boolean;
  head?: boolean;
  rowspan?: number;
}

function table(id: string, headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<Cell | undefined>>): string {
  const head = headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row
        .filter((cell): cell is Cell => cell !== undefined)
        .map((cell) => {
          const tag = cell.head ? 'th' : 'td';
          const classes = [cell.number ? 'num' : '', cell.bad ? 'bad' : ''].filter(Boolean).join(' ');
          const attributes = [
            cell.head ? ' scope="row"' : '',
            cell.rowspan ? ` rowspan="${cell.rowspan}"` : '',
            classes ? ` class="${classes}"` : '',
            cell.title ? ` title="${escapeHtml(cell.title)}"` : '',
          ].join('');
          return `<${tag}${attributes}>${escapeHtml(cell.text)}</${tag}>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="${id}" class="summary"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function howToRead(result: BacktestResult): string {
  const items = [
    'Capacity-hours: the capacity provisioned (billed), summed over time — session-hours for pools, instance-hours for single-session fleets.',
    `Cost: capacity-hours × the price per hour (${priceText(result)}).`,
    'Savings vs static: how much less than a fixed capacity sized for the peak; negative means dearer.',
    'User-minutes without a free session: each minute, the sessions wanted beyond those there were, added up; a shortfall event is a run of such minutes. The static baseline has none by construction.',
    'Capacity changes: changes made (euc-autopilot: set, start, stop; target tracking: scaling activities).',
  ];
  return `<details class="help" open><summary>How to read the figures</summary><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul></details>`;
}

function priceText(result: BacktestResult): string {
  const { prices } = result;
  const placeholder = (kind: 'pool' | 'fleet') => (prices.placeholders.includes(kind) ? ' (placeholder)' : '');
  const targets = Object.entries(prices.targets).map(([target, price]) => `; ${target} ${formatCost(price)}`);
  return `pool session-hour ${formatCost(prices.pool)}${placeholder('pool')}, fleet instance-hour ${formatCost(prices.fleet)}${placeholder('fleet')}${targets.join('')}`;
}

async function renderTargetChart(result: BacktestResult, target: TargetResult): Promise<string> {
  const unit = target.unit === 'session' ? 'sessions' : 'instances';
  return renderChartSvg(
    capacityChartSpec({
      title: `${target.target}: capacity available vs sessions in use`,
      unit,
      from: Date.parse(result.from),
      inUse: { label: 'sessions in use (wanted)', series: target.charts.inUse },
      lines: target.results.map((row, index) => ({ label: lineLabel(result, row), series: target.charts.capacity[index]! })),
    }),
  );
}

function lineLabel(result: BacktestResult, row: ScenarioResult): string {
  const label = scenarioLabel(result.scenarios, row.scenario);
  return row.scenario.startsWith('policy:') ? `${label}: ${row.detail}` : label;
}

function chartSection(target: TargetResult, svg: string, result: BacktestResult): string {
  const note =
    result.bucketMinutes > 1
      ? `Downsampled to ${result.bucketMinutes}-minute buckets (the lowest and highest value of each, so peaks stay visible).`
      : 'Every minute shown.';
  return `<section class="chart" data-target="${escapeHtml(target.target)}">
<h3>${escapeHtml(target.target)}</h3>
<p class="note">Peak ${formatCount(target.peakInUse)} in use; ${formatHours(target.inUseHours)} ${UNIT_HOURS[target.unit]} used. ${escapeHtml(note)}</p>
<figure>${svg}</figure>
</section>`;
}

function settings(result: BacktestResult): string {
  const { provisioning, targetTracking: tt } = result;
  const items = [
    ...result.scenarios.map((scenario) => `${scenario.label}: ${scenario.description}.`),
    `Provisioning: pools ${provisioning.pool.ratePerMinute} sessions/min, start ${provisioning.pool.startMinutes} min, stop ${provisioning.pool.stopMinutes} min; ` +
      `fleets ${provisioning.fleet.ratePerMinute} instances/min, start ${provisioning.fleet.startMinutes} min, stop ${provisioning.fleet.stopMinutes} min. Scale-in is immediate but never below the sessions in use.`,
    `Target tracking: ${tt.scaleOutDatapoints} datapoints above target to scale out, ${tt.scaleInDatapoints} below to scale in; default target utilization ${tt.defaultTarget}.`,
    `Prices per hour: ${priceText(result)}.`,
    'Tags and pool names are not in a trace: policies that select by tags (or pools by name pattern) apply only through --target-policy.',
  ];
  return `<ul class="settings">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin-bottom: .2rem; }
.lead, .note { color: #555; }
table.summary { border-collapse: collapse; width: 100%; margin: .5rem 0; }
table.summary th, table.summary td { border-bottom: 1px solid #e5e5e5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
table.summary thead th { background: #f5f5f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: #b3261e; font-weight: 600; }
ul.warnings { background: #fff8e1; border: 1px solid #f0d070; padding: .5rem 1.5rem; }
details.help { margin: .5rem 0; color: #333; }
figure { margin: .5rem 0 1.5rem; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
`;
