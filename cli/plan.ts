import { InvalidArgumentError, type Command } from 'commander';
import { DateTime } from 'luxon';
import { clampToLimits } from '#lib/capacity/decide.ts';
import type { Policy, PolicyFile, TargetSelector } from '#lib/policy/schema.ts';
import { scheduleChanges } from '#lib/schedule/changes.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { palette, renderTable, terminalOf, wrap, type Column, type Palette } from './terminal.ts';
import { DEFAULT_POLICY_FILE } from './validate.ts';
import { zoneAbbreviation } from './zones.ts';
import { loadOrReport } from './validate.ts';

/**
 * `autopilot plan`: what the policy file will ask of each pool and fleet over a range, from the
 * file alone (no AWS, no network) — to check a policy change before deploying it, or to answer
 * "what happens over Christmas / on the DST weekend".
 *
 * Input: the policy file, the start of the range (`--from`: now, a date = that day's local
 * midnight in each policy's zone, or an instant), its length in days (`--days`, 1–366, calendar
 * days in the policy's zone), an optional set of policy names. Output: per policy, its selectors
 * and a table of the schedule's change points in the range — local time and UTC, the value (exact
 * or at least N, after min/max; "stops" where offHours.stop stops the target at 0), what causes
 * it (window, its ready-by lead time, calendar with the entry's name, off-hours) and the reason;
 * or JSON lines (`--json`), one per change point.
 * Primary course: load the file (a mistake is reported as `autopilot validate` reports it, exit 1)
 * → per policy, resolve its zone and range → `scheduleChanges` → min/max by the capacity engine's
 * own `clampToLimits` → rows. The first row of a policy is the value already in force at the start
 * of the range. Usage rules depend on load and are not planned; the output says so once.
 */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description("each policy's desired-capacity change points over a range, in local time and UTC, with what causes them (no AWS needed)")
    .showHelpAfterError("(run 'autopilot plan --help' for the options and their forms)")
    .option('--policy-file <file>', 'the policy file to plan from', DEFAULT_POLICY_FILE)
    .option('--from <date|time>', `start of the range: ${FROM_FORMS} (default: now)`, parseFrom)
    .option('--days <n>', `length of the range in days, ${MIN_DAYS}–${MAX_DAYS} (calendar days in each policy's zone)`, parseDays, DEFAULT_DAYS)
    .option('--policy <name>', 'only this policy (repeat for several; default: every policy)', collect)
    .option('--json', 'one JSON object per change point per line (times: at in UTC, local with the offset)')
    .addHelpText(
      'after',
      `
Each policy's first row is the value already in force at the start of the range. Values are
after the policy's min and max; "stops" means offHours.stop stops the pool or fleet at 0 when
nobody is connected. Usage rules depend on load and cannot be planned: they may raise capacity
above floors ("at least N"), never an exact value.

Examples:
  npx autopilot plan
  npx autopilot plan --from 2026-11-23 --days 7 --policy newyork-support-desktops
  npx autopilot plan --from 2027-03-27 --days 3 --json | jq -c '{local, capacity, source}'`,
    )
    .action((options: PlanOptions) => {
      runPlan(options, Date.now());
    });
}

interface PlanOptions {
  policyFile: string;
  from?: FromOption;
  days: number;
  policy?: string[];
  json?: boolean;
}

function runPlan(options: PlanOptions, now: number): void {
  const file = loadOrReport(options.policyFile);
  const policies = selectPolicies(file, options.policy ?? [], options.policyFile);
  const plans = policies.map((policy) => planPolicy(file, policy, options.from ?? { now: true }, options.days, now));
  if (options.json) {
    process.stdout.write(plans.flatMap((plan) => plan.rows.map((row) => `${JSON.stringify(rowJson(plan, row))}\n`)).join(''));
    return;
  }
  process.stdout.write(`${planLines(plans, options).join('\n')}\n`);
}

function selectPolicies(file: PolicyFile, names: readonly string[], path: string): Policy[] {
  if (names.length === 0) return file.policies;
  const known = file.policies.map((policy) => policy.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const which = unknown.map((name) => `"${name}"`).join(', ');
    throw new Error(`no policy ${which} in ${path}; its policies are ${known.join(', ')}`);
  }
  return file.policies.filter((policy) => names.includes(policy.name));
}

// ---------------------------------------------------------------------------------------------
// Planning (pure)

/** Where the range starts: now, a local date (midnight in each policy's zone), or an instant. */
export type FromOption = { now: true } | { date: string } | { at: number };

export interface PolicyPlan {
  policy: Policy;
  timeZone: string;
  /** [from, to) in UTC ms. */
  from: number;
  to: number;
  rows: PlanRow[];
}

export interface PlanRow {
  /** When this value applies in the range: its `since`, or the range's start for the first row. */
  at: number;
  value: ScheduleValue;
  /** After min/max: what the target is given (exactly, or at least). */
  capacity: number;
  /** Which limit moved the schedule's value, if one did. */
  limitedBy: 'min' | 'max' | undefined;
  /** offHours.stop stops the target here (when nobody is connected). */
  stops: boolean;
}

/** One policy's change points in its range (pure: `now` only resolves `--from` now). */
export function planPolicy(file: PolicyFile, policy: Policy, from: FromOption, days: number, now: number): PolicyPlan {
  const timeZone = policy.timeZone ?? file.defaults.timeZone;
  const start = 'date' in from ? DateTime.fromISO(from.date, { zone: timeZone }) : DateTime.fromMillis('at' in from ? from.at : now, { zone: timeZone });
  const range = { from: start.toMillis(), to: start.plus({ days }).toMillis() };
  const rows = scheduleChanges(policy, file.calendars, timeZone, range.from, range.to).map((value) => {
    const limited = clampToLimits({ value: value.capacity, cause: 'schedule' }, policy);
    const limitedBy = limited.cause !== 'limits' ? undefined : value.capacity > policy.max ? ('max' as const) : ('min' as const);
    return { at: Math.max(value.since, range.from), value, capacity: limited.value, limitedBy, stops: policy.offHours.stop && limited.value === 0 };
  });
  return { policy, timeZone, ...range, rows };
}

// ---------------------------------------------------------------------------------------------
// Options

const MIN_DAYS = 1;
const MAX_DAYS = 366;
const DEFAULT_DAYS = 7;
const FROM_FORMS = "a date (2026-11-23: that day's midnight in each policy's zone), an ISO 8601 time (2026-11-23T06:00:00+01:00; no offset: UTC) or now";

export function parseFrom(value: string): FromOption {
  const text = value.trim();
  if (text === 'now') return { now: true };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = DateTime.fromISO(text, { zone: 'utc' });
    if (date.isValid && date.year >= 1970 && date.year <= 9999) return { date: text };
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const time = DateTime.fromISO(text, { zone: 'utc' });
    if (time.isValid && time.year >= 1970 && time.year <= 9999) return { at: time.toMillis() };
  }
  throw new InvalidArgumentError(`expected ${FROM_FORMS}.`);
}

export function parseDays(value: string): number {
  const days = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || days < MIN_DAYS || days > MAX_DAYS) throw new InvalidArgumentError(`expected a whole number of days, ${MIN_DAYS} to ${MAX_DAYS}.`);
  return days;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

// ---------------------------------------------------------------------------------------------
// Words

/** `exactly 35`, `at least 30`, `at least 2 (0, raised to min 2)`, `exactly 20 (25, capped at max 20)`, `at least 0, stops`. */
export function describeCapacity(row: PlanRow, policy: Pick<Policy, 'min' | 'max'>): string {
  const value = `${row.value.mode === 'exact' ? 'exactly' : 'at least'} ${row.capacity}`;
  const limit = row.limitedBy === 'max' ? ` (${row.value.capacity}, capped at max ${policy.max})` : row.limitedBy === 'min' ? ` (${row.value.capacity}, raised to min ${policy.min})` : '';
  return `${value}${limit}${row.stops ? ', stops' : ''}`;
}

/** `window business-hours`, `ready-by business-hours (30 min lead)`, `calendar us-holidays: Thanksgiving`, `off-hours`. */
export function describeCause(value: ScheduleValue, policy: Policy): string {
  const { source } = value;
  switch (source.kind) {
    case 'window': {
      if (!source.readyBy) return `window ${source.window}`;
      const lead = policy.windows.find((window) => window.name === source.window)?.readyBy?.leadMinutes;
      return `ready-by ${source.window}${lead === undefined ? '' : ` (${lead} min lead)`}`;
    }
    case 'calendar':
      return `calendar ${source.calendar}${source.entry === undefined ? '' : `: ${source.entry}`}`;
    case 'off-hours':
      return 'off-hours';
    case 'override':
      return `override ${source.id}`;
  }
}

/** `pool wspool-berlin001`, `fleet named newyork-design-*`, `fleet tagged autopilot=managed, office=berlin`. */
export function describeSelector(selector: TargetSelector): string {
  if ('id' in selector) return `${selector.kind} ${selector.id}`;
  if ('namePattern' in selector) return `${selector.kind} named ${selector.namePattern}`;
  return `${selector.kind} tagged ${Object.entries(selector.tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ')}`;
}

/** `Mon 2026-11-23 06:30 CET` in the zone. */
function localText(ms: number, zone: string): string {
  const time = DateTime.fromMillis(ms, { zone }).setLocale('en-US');
  return `${time.toFormat('ccc yyyy-MM-dd HH:mm')} ${zoneAbbreviation(time)}`;
}

/** `2026-11-23 05:30` (UTC). */
function utcText(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat('yyyy-MM-dd HH:mm');
}

// ---------------------------------------------------------------------------------------------
// The table

/** On a narrow terminal the reason is cut first, then the cause, then the value; the times never. */
function columnsOf(timeZone: string): Column[] {
  return [
    { header: `local (${timeZone})` },
    { header: 'UTC' },
    { header: 'capacity', shrink: 2, min: 11 },
    { header: 'cause', shrink: 3, min: 14 },
    { header: 'reason', shrink: 4, min: 10 },
  ];
}

/** Per policy a heading, its selectors and its table; then, once, what cannot be planned. */
export function planLines(plans: readonly PolicyPlan[], options: Pick<PlanOptions, 'policyFile' | 'days'>): string[] {
  const terminal = terminalOf();
  const colors = palette(terminal.color);
  const width = terminal.width;
  const fit = (text: string, indent = ''): string[] => (width === undefined ? [indent + text] : wrap(text, Math.max(20, width), indent));
  const lines = fit(`Plan from ${options.policyFile}: ${options.days === 1 ? '1 day' : `${options.days} days`}, each policy in its own time zone and in UTC`);
  for (const plan of plans) {
    const { policy, timeZone } = plan;
    const dryRun = policy.dryRun === true ? ', dry run' : '';
    const [first = '', ...rest] = fit(`${policy.name} (${timeZone}, min ${policy.min}, max ${policy.max}${dryRun})`);
    lines.push('', first.startsWith(policy.name) ? colors.bold(policy.name) + first.slice(policy.name.length) : first, ...rest);
    lines.push(...fit(`targets: ${policy.targets.map(describeSelector).join('; ')}`, '  '));
    if (policy.calendars.length > 0) lines.push(...fit(`calendars: ${policy.calendars.join(', ')}`, '  '));
    lines.push(...fit(`from ${localText(plan.from, timeZone)} to ${localText(plan.to, timeZone)}`, '  '));
    lines.push('');
    const rows = plan.rows.map((row, index) => [
      localText(row.at, timeZone),
      utcText(row.at),
      describeCapacity(row, policy),
      describeCause(row.value, policy),
      index === 0 && row.value.since < row.at ? `${inForce(row.value.since, timeZone)}; ${row.value.reason}` : row.value.reason,
    ]);
    lines.push(
      ...renderTable(columnsOf(timeZone), rows, {
        ...(width !== undefined ? { width } : {}),
        paint: (text, column, row) => paint(text, column, plan.rows[row], colors),
      }),
    );
  }
  const withUsage = plans.filter((plan) => plan.policy.usage !== undefined).map((plan) => plan.policy.name);
  const stops = plans.some((plan) => plan.rows.some((row) => row.stops));
  const notes = [
    ...(withUsage.length > 0 ? [`Usage rules cannot be planned (they depend on load): usage may raise capacity above floors ("at least N") for ${withUsage.join(', ')}.`] : []),
    ...(stops ? ['"stops": offHours.stop stops the pool or fleet at 0 when nobody is connected, and starts it again when a window wants capacity.'] : []),
  ];
  if (notes.length > 0) lines.push('', ...notes.flatMap((note) => fit(note)).map(colors.dim));
  return lines;
}

function paint(text: string, column: number, row: PlanRow | undefined, colors: Palette): string {
  if (!row) return colors.bold(text);
  if (column === 2 && row.stops) return colors.yellow(text);
  if (column === 3 && row.value.source.kind === 'calendar') return colors.yellow(text);
  if (column === 3 && row.value.source.kind === 'window') return colors.green(text);
  return text;
}

/** The first row's value began before the range: since when. */
function inForce(since: number, zone: string): string {
  return Number.isFinite(since) ? `in force since ${localText(since, zone)}` : 'in force for more than a year';
}

// ---------------------------------------------------------------------------------------------
// JSON lines

const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export function rowJson(plan: PolicyPlan, row: PlanRow) {
  const { policy, timeZone } = plan;
  return {
    policy: policy.name,
    timeZone,
    at: iso(row.at),
    local: DateTime.fromMillis(row.at, { zone: timeZone }).toISO({ suppressMilliseconds: true }),
    mode: row.value.mode,
    capacity: row.capacity,
    scheduled: row.value.capacity,
    limitedBy: row.limitedBy ?? null,
    stops: row.stops,
    usageMayRaise: policy.usage !== undefined && row.value.mode === 'floor',
    source: row.value.source,
    reason: row.value.reason,
    since: iso(row.value.since),
    until: iso(row.value.until),
    targets: policy.targets,
  };
}
