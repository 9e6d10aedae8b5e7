import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { parseCloudWatchTrace } from '#lib/backtest/cloudwatch.ts';
import { parseCsvTrace } from '#lib/backtest/csv.ts';
import { listIssues, TraceFileError } from '#lib/backtest/errors.ts';
import { BacktestInputError, labelsOf, type PolicySet } from '#lib/backtest/policies.ts';
import { DEFAULT_PRICES, parsePriceEntry, PriceError, withPrices, type Prices } from '#lib/backtest/prices.ts';
import { DEFAULT_PROVISIONING, type Provisioning } from '#lib/backtest/provisioning.ts';
import { runBacktest, type BacktestResult } from '#lib/backtest/run.ts';
import { parseIsoInstant, traceSeries, type UsageTrace } from '#lib/backtest/trace.ts';
import { renderBacktestReport } from '#lib/report/backtest-report.ts';
import { formatCapacityHours, formatCost, formatCount, formatHours, formatSavings, scenarioLabel, UNIT_HOURS } from '#lib/report/format.ts';
import { parseDuration } from './durations.ts';
import { palette, renderTable, terminalOf, type Column } from './terminal.ts';
import { DEFAULT_POLICY_FILE } from './validate.ts';
import { loadOrReport } from './validate.ts';

/**
 * `autopilot simulate`: a backtest of policies against a usage trace — what euc-autopilot would
 * have done, minute by minute, with the product's own decision engine, next to a static capacity
 * sized for the peak and Application Auto Scaling-style target tracking.
 *
 * Input: a trace (CSV `timestamp,target,activeSessions`, or a CloudWatch GetMetricData export),
 * one or more policy files, options. Output: the summary table (or JSON lines), and with
 * `--report` a self-contained HTML report with a chart per target.
 * Primary course: read the trace → its minute grid over [--from, --to) → read the policy files →
 * lib/backtest runBacktest → print; render the report (lib/report) when asked.
 */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('backtest policies against a usage trace: capacity-hours, cost, users without a free session, against static and target-tracking baselines')
    .showHelpAfterError("(run 'autopilot simulate --help' for the options)")
    .requiredOption('--trace <file>', 'usage trace: CSV timestamp,target,activeSessions or a CloudWatch GetMetricData JSON export')
    .option('--trace-format <format>', 'csv or cloudwatch (default: cloudwatch for .json files, else csv)', parseFormat)
    .option('--metric-target <id=target>', 'CloudWatch: the target of a result by Id or Label, e.g. m1=pool/wspool-berlin001 (repeatable)', collectPairs('--metric-target'), {})
    .option('--policy-file <file>', `a policy file to backtest (repeatable: each is a scenario; default ${DEFAULT_POLICY_FILE})`, collect)
    .option('--target-policy <target=policy>', 'run a target under this policy (by name, in every file), e.g. fleet/berlin-office-apps=berlin-office-apps (repeatable)', collectPairs('--target-policy'), {})
    .option('--from <time>', 'start of the range: ISO 8601 (no offset: UTC); default the first sample', parseTime)
    .option('--to <time>', 'end of the range (exclusive); default a minute after the last sample', parseTime)
    .option('--tick <duration>', 'how often euc-autopilot decides (whole minutes)', parseTick, 1)
    .option('--price <key=price>', 'price per hour: pool (session-hour), fleet (instance-hour), or one target, e.g. fleet/newyork-design-tools=2.10 (repeatable)', collect)
    .option('--prices <file>', 'prices per hour from a JSON or YAML file of the same keys')
    .option('--provisioning <key=value>', 'provisioning lag: pool.rate or fleet.rate (per minute), pool.start, fleet.start, pool.stop, fleet.stop (durations) (repeatable)', collect)
    .option('--report <file>', 'write the HTML report here (self-contained: charts as inline SVG)')
    .option('--json', 'one JSON object per line: each target and scenario ("type":"result"), then the totals ("type":"total")')
    .addHelpText(
      'after',
      `
Targets are matched to policies by their id and name-pattern selectors; tags (and pool names)
are not in a trace, so targets picked by tags need --target-policy. Prices default to
placeholders (pool ${DEFAULT_PRICES.pool}/session-hour, fleet ${DEFAULT_PRICES.fleet}/instance-hour), not AWS prices.
Provisioning defaults: pools ${DEFAULT_PROVISIONING.pool.ratePerMinute} sessions/min, start ${DEFAULT_PROVISIONING.pool.startMinutes} min;
fleets ${DEFAULT_PROVISIONING.fleet.ratePerMinute} instances/min, start ${DEFAULT_PROVISIONING.fleet.startMinutes} min.

Examples:
  npx autopilot simulate --trace examples/demo-trace.csv --policy-file config/policies.yml --report out/report.html
  npx autopilot simulate --trace metrics.json --metric-target m1=pool/wspool-berlin001 --price pool=0.30
  npx autopilot simulate --trace usage.csv --policy-file config/policies.yml --policy-file candidate.yml --json`,
    )
    .action(async (options: SimulateOptions) => {
      await runSimulate(options);
    });
}

export interface SimulateOptions {
  trace: string;
  traceFormat?: 'csv' | 'cloudwatch';
  metricTarget: Record<string, string>;
  policyFile?: string[];
  targetPolicy: Record<string, string>;
  from?: number;
  to?: number;
  tick: number;
  price?: string[];
  prices?: string;
  provisioning?: string[];
  report?: string;
  json?: boolean;
}

export async function runSimulate(options: SimulateOptions): Promise<BacktestResult> {
  const notes: string[] = [];
  const trace = readTrace(options, notes);
  const series = traceSeries(trace, { from: options.from, to: options.to });
  const result = runBacktest({
    trace: series,
    policySets: readPolicySets(options.policyFile ?? [DEFAULT_POLICY_FILE]),
    targetPolicies: options.targetPolicy,
    tickMinutes: options.tick,
    provisioning: provisioningOf(options.provisioning ?? []),
    prices: pricesOf(options),
  });
  for (const warning of [...notes, ...result.warnings]) process.stderr.write(`autopilot simulate: ${warning}\n`);
  if (result.prices.placeholders.length > 0) {
    process.stderr.write(`autopilot simulate: the ${result.prices.placeholders.join(' and ')} prices are placeholders, not AWS prices (--price, --prices)\n`);
  }
  process.stdout.write(options.json ? jsonLines(result) : table(result));
  if (options.report) {
    mkdirSync(path.dirname(path.resolve(options.report)), { recursive: true });
    writeFileSync(options.report, await renderBacktestReport(result));
    process.stderr.write(`autopilot simulate: wrote ${options.report}\n`);
  }
  return result;
}

function readTrace(options: SimulateOptions, notes: string[]): UsageTrace {
  const file = options.trace;
  const text = readFileSync(file, 'utf8');
  const format = options.traceFormat ?? (/\.json$/i.test(file) ? 'cloudwatch' : 'csv');
  if (format === 'csv' && Object.keys(options.metricTarget).length > 0) throw new BacktestInputError('--metric-target is for CloudWatch exports (--trace-format cloudwatch)');
  try {
    if (format === 'csv') return parseCsvTrace(text, file);
    const trace = parseCloudWatchTrace(text, file, { metricTargets: options.metricTarget });
    if (trace.ignored.length > 0) notes.push(`${file}: not sessions in use, left out: ${trace.ignored.join(', ')}`);
    return trace;
  } catch (error) {
    if (!(error instanceof TraceFileError)) throw error;
    process.stderr.write(`${listIssues(error.file, error.issues).join('\n')}\n`);
    throw new CommanderError(1, 'autopilot.invalidTrace', `${file} is not a usable trace`);
  }
}

function readPolicySets(files: readonly string[]): PolicySet[] {
  const labels = labelsOf(files);
  return files.map((file, index) => ({ label: labels[index]!, path: file, file: loadOrReport(file) }));
}

function pricesOf(options: SimulateOptions): Prices {
  let prices = DEFAULT_PRICES;
  if (options.prices) {
    const document: unknown = parseYaml(readFileSync(options.prices, 'utf8'));
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new PriceError(`${options.prices}: expected keys and prices per hour, e.g. { pool: 0.35, fleet: 0.90 }`);
    }
    prices = withPrices(prices, document as Record<string, unknown>, options.prices);
  }
  for (const entry of options.price ?? []) prices = withPrices(prices, parsePriceEntry(entry), `--price ${entry}`);
  return prices;
}

const PROVISIONING_KEY = /^(pool|fleet)\.(rate|start|stop)$/;

/** `fleet.start=15m`, `pool.rate=20` over the defaults. */
export function provisioningOf(entries: readonly string[]): Provisioning {
  const result: Provisioning = { pool: { ...DEFAULT_PROVISIONING.pool }, fleet: { ...DEFAULT_PROVISIONING.fleet } };
  for (const entry of entries) {
    const [key = '', value = ''] = entry.split('=', 2).map((part) => part.trim());
    const match = PROVISIONING_KEY.exec(key);
    if (!match) throw new BacktestInputError(`--provisioning ${entry}: expected pool.rate, fleet.rate, pool.start, fleet.start, pool.stop or fleet.stop = a value`);
    const kind = match[1] as 'pool' | 'fleet';
    if (match[2] === 'rate') {
      const rate = Number(value);
      if (!(value !== '' && Number.isFinite(rate) && rate > 0)) throw new BacktestInputError(`--provisioning ${entry}: the rate is a number > 0 (per minute)`);
      result[kind].ratePerMinute = rate;
    } else {
      const ms = parseDuration(value);
      if (ms === undefined) throw new BacktestInputError(`--provisioning ${entry}: expected a duration such as 10m or 90s`);
      result[kind][match[2] === 'start' ? 'startMinutes' : 'stopMinutes'] = ms / 60_000;
    }
  }
  return result;
}

function table(result: BacktestResult): string {
  const terminal = terminalOf(process.stdout);
  const paint = palette(terminal.color);
  const columns: Column[] = [
    { header: 'TARGET' },
    { header: 'SCENARIO', shrink: 1, min: 8 },
    { header: 'POLICY / SIZED BY', shrink: 2, min: 10 },
    { header: 'CAPACITY-HOURS', align: 'right' },
    { header: 'COST', align: 'right' },
    { header: 'SAVED', align: 'right' },
    { header: 'NO-SESSION USER-MIN', align: 'right' },
    { header: 'EVENTS', align: 'right' },
    { header: 'CHANGES', align: 'right' },
  ];
  const rows: string[][] = [];
  const flags: Array<{ shortfall: boolean; savings: number | null }> = [];
  for (const target of result.targets) {
    for (const row of target.results) {
      rows.push([
        target.target,
        scenarioLabel(result.scenarios, row.scenario),
        row.detail,
        `${formatHours(row.capacityHours)} ${UNIT_HOURS[target.unit]}`,
        formatCost(row.cost),
        formatSavings(row.savingsPercent),
        formatCount(row.shortfallUserMinutes),
        formatCount(row.shortfallEvents),
        formatCount(row.capacityChanges),
      ]);
      flags.push({ shortfall: row.shortfallUserMinutes > 0, savings: row.savingsPercent });
    }
  }
  for (const total of result.totals) {
    rows.push([
      'total',
      scenarioLabel(result.scenarios, total.scenario),
      '',
      formatCapacityHours(total.capacityHours),
      formatCost(total.cost),
      formatSavings(total.savingsPercent),
      formatCount(total.shortfallUserMinutes),
      formatCount(total.shortfallEvents),
      formatCount(total.capacityChanges),
    ]);
    flags.push({ shortfall: total.shortfallUserMinutes > 0, savings: total.savingsPercent });
  }
  const lines = renderTable(columns, rows, {
    width: terminal.width,
    paint: (text, column, row) => {
      if (row < 0) return paint.bold(text);
      const flag = flags[row]!;
      if ((column === 6 || column === 7) && flag.shortfall) return paint.red(text);
      if (column === 5 && flag.savings !== null && flag.savings > 0.05) return paint.green(text);
      if (rows[row]![0] === 'total' && column === 0) return paint.bold(text);
      return text;
    },
  });
  const days = result.minutes / 1440;
  const head = `${result.source}: ${result.targets.length} ${result.targets.length === 1 ? 'target' : 'targets'}, ${result.from.slice(0, 16)}Z to ${result.to.slice(0, 16)}Z (${formatHours(days)} days), tick ${result.tickMinutes} min`;
  return `${head}\n${lines.join('\n')}\n`;
}

function jsonLines(result: BacktestResult): string {
  const lines: string[] = [];
  for (const target of result.targets) {
    for (const row of target.results) {
      lines.push(
        JSON.stringify({
          type: 'result',
          target: target.target,
          scenario: scenarioLabel(result.scenarios, row.scenario),
          detail: row.detail,
          unit: target.unit,
          capacityHours: round(row.capacityHours, 3),
          cost: round(row.cost, 2),
          savingsPercent: row.savingsPercent === null ? null : round(row.savingsPercent, 2),
          shortfallUserMinutes: row.shortfallUserMinutes,
          shortfallEvents: row.shortfallEvents,
          worstShortfall: row.worstShortfall,
          capacityChanges: row.capacityChanges,
          peakCapacity: row.peakCapacity,
          from: result.from,
          to: result.to,
        }),
      );
    }
  }
  for (const total of result.totals) {
    lines.push(
      JSON.stringify({
        type: 'total',
        scenario: scenarioLabel(result.scenarios, total.scenario),
        capacityHours: Object.fromEntries(Object.entries(total.capacityHours).map(([unit, hours]) => [unit, round(hours, 3)])),
        cost: round(total.cost, 2),
        savingsPercent: total.savingsPercent === null ? null : round(total.savingsPercent, 2),
        shortfallUserMinutes: total.shortfallUserMinutes,
        shortfallEvents: total.shortfallEvents,
        capacityChanges: total.capacityChanges,
        from: result.from,
        to: result.to,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function collectPairs(option: string) {
  return (value: string, previous: Record<string, string>): Record<string, string> => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError(`expected KEY=VALUE (${option} m1=pool/wspool-berlin001).`);
    return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
  };
}

function parseFormat(value: string): 'csv' | 'cloudwatch' {
  if (value === 'csv' || value === 'cloudwatch') return value;
  throw new InvalidArgumentError('expected csv or cloudwatch.');
}

function parseTime(value: string): number {
  const at = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? parseIsoInstant(value) : undefined;
  if (at === undefined) throw new InvalidArgumentError('expected an ISO 8601 time (2026-11-23T07:00:00+01:00, 2026-11-23; no offset: UTC).');
  return at;
}

function parseTick(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0 || ms % 60_000 !== 0) throw new InvalidArgumentError('expected whole minutes: 1m, 5m, 1h.');
  return ms / 60_000;
}
