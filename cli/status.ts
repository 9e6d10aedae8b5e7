import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidArgumentError, type Command } from 'commander';
import { DateTime } from 'luxon';
import { dayOf, type AuditKind, type AuditRecord } from '#lib/audit/entry.ts';
import { queryAuditByDay } from '#lib/audit/query-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { describeOverride, isActive, type Override } from '#lib/overrides/override.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import type { Policy, PolicyFile, TargetSelector } from '#lib/policy/schema.ts';
import { evaluateSchedule, type ScheduleValue } from '#lib/schedule/evaluate.ts';
import { readStates, type TargetState } from '#lib/state/target-state.ts';
import { createTargetClients, findNativeScaling, listTargets, type ManagedTarget, type TargetClients } from '#lib/targets/index.ts';
import { formatTime, shortActor } from './audit.ts';
import { DAY_MS } from './durations.ts';
import { oneLine, palette, renderTable, terminalOf, widthOf, wrap, type Column, type Palette } from './terminal.ts';
import { DEFAULT_POLICY_FILE } from './validate.ts';
import { zoneAbbreviation } from './zones.ts';

/**
 * `autopilot status`: every pool and fleet the policy file selects, with its truth — for an
 * operator at 7 am. Against AWS or the local cloud through the SDK's own environment
 * (AWS_ENDPOINT_URL, AWS_REGION, credentials); `--stage` names the state and audit tables.
 *
 * Input: the policy file, the stage, the instant to evaluate at (`--at`, default now).
 * Output: a table (one row per target: state, desired/actual/active, the policy's schedule value
 * and its next change, the override, warnings), then the warnings in full and the WorkSpaces whose
 * latest application deployment failed in the last 24 hours; or JSON lines (`--json`).
 * Primary course: list the targets every policy selects (as the tick does: one listTargets call,
 * a target belongs to the first policy that selects it) → which of them a native Application Auto
 * Scaling target owns → batch-read their states → per target: schedule now and its next change
 * (in the policy's zone), the override in force, warnings → the audit's deployment outcomes of the
 * UTC days the last 24 hours touch.
 *
 * `--at` moves the schedule and the age of every marker (deferred for how long, failed how long
 * ago, override still in force) to that instant; capacity, state and the audit are read as they
 * are now.
 */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("every managed pool and fleet: state, capacity, the policy's schedule now and next, the override, and what needs attention")
    .showHelpAfterError("(run 'autopilot status --help' for the options)")
    .option('--stage <stage>', 'the deployed stage whose state and audit tables to read', parseStage, 'dev')
    .option('--policy-file <file>', 'the policy file that says which targets are managed and how', DEFAULT_POLICY_FILE)
    .option('--json', 'one JSON object per line: each target ("type":"target"), then each failing deployment ("type":"deployment")')
    .option('--at <time>', 'evaluate schedules and the age of warnings at this instant: ISO 8601 (no offset: UTC) or now (default)', parseAt)
    .addHelpText(
      'after',
      `
Warnings: another scaler owns the target, a change deferred for more than 15 minutes, a change
that failed in the last 2 hours, a change in progress, desired capacity below the sessions in use.
Below the table: the overrides and warnings in full, and the WorkSpaces whose latest application
deployment in the last 24 hours failed or timed out.

Examples:
  npx autopilot status --stage prod
  npx autopilot status --stage prod --at 2026-11-23T07:00:00+01:00
  npx autopilot status --stage prod --json | jq -c 'select(.warnings | length > 0)'`,
    )
    .action(async (options: StatusOptions) => {
      await runStatus(options, { clients: createTargetClients(), documents: documentClient() }, Date.now());
    });
}

interface StatusOptions {
  stage: string;
  policyFile: string;
  json?: boolean;
  at?: number;
}

export interface StatusDeps {
  clients: Pick<TargetClients, 'workspaces' | 'appstream' | 'autoscaling'>;
  documents: DynamoDBDocumentClient;
}

async function runStatus(options: StatusOptions, deps: StatusDeps, now: number): Promise<void> {
  const file = loadPolicyFile(options.policyFile);
  const at = options.at ?? now;
  const tables = { state: `euc-autopilot-${options.stage}-state`, audit: `euc-autopilot-${options.stage}-audit` };
  const targets = await readTargetStatus(file, deps, tables.state, at);
  const deployments = await readFailingDeployments(deps.documents, tables.audit, at);
  if (targets.length === 0) {
    process.stderr.write(`no pool or fleet in this account and Region is selected by a policy in ${options.policyFile}\n`);
  }
  if (options.json) {
    process.stdout.write([...targets.map((target) => targetJson(target, at)), ...deployments.map(deploymentJson)].map((line) => `${JSON.stringify(line)}\n`).join(''));
    return;
  }
  const body = statusLines(targets, deployments, at);
  const header = `status at ${formatTime(at, 'UTC')}, stage ${options.stage}, ${options.policyFile}`;
  process.stdout.write(`${[header, ...(body.length > 0 ? ['', ...body] : [])].join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Reading

export type WarningKind = 'conflict' | 'deferred' | 'failed' | 'in-flight' | 'below-active';

export interface Warning {
  kind: WarningKind;
  /** critical (red): something is wrong; warning (yellow): worth a look. */
  severity: 'critical' | 'warning';
  /** Short, for the table: `conflict`, `deferred 52 min`, `failed`, `changing → 30`, `desired < active`. */
  label: string;
  /** Whole, for people, times in the target's zone. */
  message: string;
  /** The facts, for --json (times epoch ms). */
  details: Record<string, string | number>;
}

export interface TargetStatus {
  target: ManagedTarget;
  key: string;
  policy: Policy;
  timeZone: string;
  schedule: ScheduleValue;
  /** The next change point where the schedule's mode or capacity changes; undefined: none within a year. */
  next: { at: number; value: ScheduleValue } | undefined;
  /** The override in force at `at`. */
  override: Override | undefined;
  warnings: Warning[];
}

/** A change deferred for longer than this is worth a look: a target rarely stays busy that long. */
export const DEFERRED_WARNING_MS = 15 * 60_000;
/** A failed change is news for this long (the tick retries it every half hour meanwhile). */
export const FAILURE_WARNING_MS = 2 * 3_600_000;
/** How far back failing application deployments are looked for. */
export const DEPLOYMENT_WINDOW_MS = DAY_MS;

async function readTargetStatus(file: PolicyFile, deps: StatusDeps, stateTable: string, at: number): Promise<TargetStatus[]> {
  const { selectors, policyOfSelector } = flattenSelectors(file);
  const targets = await listTargets(deps.clients, selectors);
  // Policy-file order: the first selector each target matched, then its key.
  const firstSelector = (target: ManagedTarget) => Math.min(...target.matchedSelectors);
  targets.sort((a, b) => firstSelector(a) - firstSelector(b) || keyOf(a).localeCompare(keyOf(b)));
  if (targets.length === 0) return [];
  const owners = new Map(
    (await findNativeScaling(deps.clients.autoscaling, targets)).map(({ target, scalableTarget }) => [
      keyOf(target),
      `Application Auto Scaling (${scalableTarget.ScalableDimension ?? 'scalable target'})`,
    ]),
  );
  const states = await tableNamed(stateTable, () => readStates(deps.documents, stateTable, targets.map(keyOf)));
  return targets.map((target) => {
    // A target several policies select belongs to the first of them, in file order (as in the tick).
    const policy = policyOfSelector(firstSelector(target));
    const key = keyOf(target);
    const state = states.get(key) ?? { target: key, version: 0, usageRecommendations: [] };
    return statusOf(file, policy, target, state, owners.get(key), at);
  });
}

/** One target's status at `at`, from what was observed and read (pure). */
export function statusOf(file: PolicyFile, policy: Policy, target: ManagedTarget, state: TargetState, nativeOwner: string | undefined, at: number): TargetStatus {
  const timeZone = policy.timeZone ?? file.defaults.timeZone;
  const evaluate = (instant: number) => evaluateSchedule(policy, file.calendars, timeZone, instant);
  const schedule = evaluate(at);
  return {
    target,
    key: keyOf(target),
    policy,
    timeZone,
    schedule,
    next: nextChange(schedule, evaluate),
    override: isActive(state.override, at) ? state.override : undefined,
    warnings: warningsOf(target, state, nativeOwner, timeZone, at),
  };
}

/**
 * The next change point after `value` where the mode or capacity changes: evaluated again at each
 * `until` (a window's ready-by lead running into the window proper changes the source, not the
 * value, and is passed over), at most a few times; past those, the first change point.
 */
export function nextChange(value: ScheduleValue, evaluate: (at: number) => ScheduleValue, lookahead = 8): { at: number; value: ScheduleValue } | undefined {
  let first: { at: number; value: ScheduleValue } | undefined;
  let current = value;
  for (let step = 0; step < lookahead && Number.isFinite(current.until); step++) {
    const next = { at: current.until, value: evaluate(current.until) };
    first ??= next;
    if (next.value.mode !== value.mode || next.value.capacity !== value.capacity) return next;
    current = next.value;
  }
  return first;
}

/** What needs an operator's eye on this target at `at` (pure). */
export function warningsOf(target: ManagedTarget, state: TargetState, nativeOwner: string | undefined, zone: string, at: number): Warning[] {
  const warnings: Warning[] = [];
  const time = (ms: number) => localTime(ms, zone, at);
  if (state.conflict) {
    warnings.push({
      kind: 'conflict',
      severity: 'critical',
      label: 'conflict',
      message: `another scaler owns it since ${time(state.conflict.since)}: ${state.conflict.reason}`,
      details: { since: state.conflict.since, reason: state.conflict.reason },
    });
  } else if (nativeOwner !== undefined) {
    warnings.push({
      kind: 'conflict',
      severity: 'critical',
      label: 'conflict',
      message: `${nativeOwner} manages it; euc-autopilot leaves it alone from the next tick`,
      details: { reason: `${nativeOwner} manages it` },
    });
  }
  if (state.deferred && at - state.deferred.since > DEFERRED_WARNING_MS) {
    const { since, state: busy } = state.deferred;
    warnings.push({
      kind: 'deferred',
      severity: 'warning',
      label: `deferred ${span(at - since)}`,
      message: `a change has waited ${span(at - since)} (since ${time(since)}) while it is ${busy}`,
      details: { since, state: busy },
    });
  }
  if (state.lastFailure && at - state.lastFailure.at < FAILURE_WARNING_MS) {
    const failure = state.lastFailure;
    const ago = failure.at <= at ? ` (${span(at - failure.at)} ago)` : '';
    warnings.push({
      kind: 'failed',
      severity: 'critical',
      label: 'change failed',
      message: `the change to ${failure.desired} ${target.unit} failed at ${time(failure.at)}${ago}: ${failure.reason}`,
      details: { at: failure.at, desired: failure.desired, reason: failure.reason },
    });
  }
  if (state.inFlight && state.inFlight.until > at) {
    const { desired, until, execution } = state.inFlight;
    warnings.push({
      kind: 'in-flight',
      severity: 'warning',
      label: `changing → ${desired}`,
      message: `a change to ${desired} ${target.unit} is in progress (workflow ${execution}); the tick leaves it alone until ${time(until)} at the latest`,
      details: { desired, until, execution },
    });
  }
  if (target.desired < target.active) {
    warnings.push({
      kind: 'below-active',
      severity: 'critical',
      label: 'desired < active',
      message: `desired ${target.desired} is below the ${target.active} ${target.unit} in use; this should never happen`,
      details: { desired: target.desired, active: target.active },
    });
  }
  return warnings;
}

export interface FailingDeployment {
  workspaceId: string;
  /** The failure (the latest failed or timed-out entry of the WorkSpace's latest deployment outcome). */
  record: AuditRecord;
}

const OUTCOME_KINDS: readonly AuditKind[] = ['deployment-completed', 'deployment-failed', 'deployment-timed-out'];
const FAILURE_KINDS: readonly AuditKind[] = ['deployment-failed', 'deployment-timed-out'];

async function readFailingDeployments(documents: DynamoDBDocumentClient, table: string, at: number): Promise<FailingDeployment[]> {
  const since = at - DEPLOYMENT_WINDOW_MS;
  const records: AuditRecord[] = [];
  // Every UTC day the window touches: today and yesterday.
  for (const day of [...new Set([dayOf(since), dayOf(at)])]) {
    records.push(...(await tableNamed(table, () => queryAuditByDay(documents, table, { day, kinds: OUTCOME_KINDS }))));
  }
  return failingDeployments(records.filter((record) => record.at >= since && record.at <= at));
}

/**
 * WorkSpaces whose latest deployment outcome (the entries at the latest time a workflow recorded
 * one: it records one per outcome, all at once) includes a failure or a timeout (pure).
 */
export function failingDeployments(records: readonly AuditRecord[]): FailingDeployment[] {
  const byWorkspace = new Map<string, AuditRecord[]>();
  for (const record of records) {
    if (!record.target.startsWith('workspace/') || !OUTCOME_KINDS.includes(record.kind)) continue;
    byWorkspace.set(record.target, [...(byWorkspace.get(record.target) ?? []), record]);
  }
  const failing: FailingDeployment[] = [];
  for (const [target, entries] of byWorkspace) {
    const latest = Math.max(...entries.map((entry) => entry.at));
    const failure = entries.filter((entry) => entry.at === latest && FAILURE_KINDS.includes(entry.kind)).at(-1);
    if (failure) failing.push({ workspaceId: target.slice('workspace/'.length), record: failure });
  }
  return failing.sort((a, b) => b.record.at - a.record.at || a.workspaceId.localeCompare(b.workspaceId));
}

/** Every policy's selectors in one list (one listTargets call), with the way back to the policy (as reconcile does). */
function flattenSelectors(file: PolicyFile): { selectors: TargetSelector[]; policyOfSelector: (index: number) => Policy } {
  const owners: Policy[] = [];
  const selectors = file.policies.flatMap((policy) => policy.targets.map((selector) => (owners.push(policy), selector)));
  return {
    selectors,
    policyOfSelector: (index) => {
      const policy = owners[index];
      if (!policy) throw new RangeError(`no selector ${index} in the policy file`);
      return policy;
    },
  };
}

function keyOf(target: Pick<ManagedTarget, 'kind' | 'id'>): string {
  return `${target.kind}/${target.id}`;
}

/** A missing table says which one and what to check, not only ResourceNotFoundException. */
async function tableNamed<T>(table: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'ResourceNotFoundException') {
      throw new Error(`the table ${table} (or its index) does not exist in this account and Region: check --stage and AWS_REGION`, { cause: error });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Options

function parseStage(value: string): string {
  if (!/^[a-zA-Z0-9-]+$/.test(value)) throw new InvalidArgumentError('expected letters, digits and hyphens (the serverless stage, e.g. dev or prod).');
  return value;
}

function parseAt(value: string): number {
  const text = value.trim();
  if (text === 'now') return Date.now();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const time = DateTime.fromISO(text, { zone: 'utc' });
    if (time.isValid && time.year >= 1970 && time.year <= 9999) return time.toMillis();
  }
  throw new InvalidArgumentError('expected an ISO 8601 time (2026-11-23T07:00:00+01:00, 2026-11-23T06:00Z; no offset: UTC) or now.');
}

// ---------------------------------------------------------------------------------------------
// Output

/** A column of the status table: how its cell reads and is coloured. */
interface StatusColumn extends Column {
  /**
   * Left out, highest first, when the columns kept could not otherwise be fitted without cutting
   * below their `min` (undefined: always shown).
   */
  drop?: number;
  cell(status: TargetStatus, at: number): string;
  paint?(status: TargetStatus, colors: Palette): (text: string) => string;
}

/**
 * What gives on a narrow terminal: first the schedule's reason, the policy, the name and the
 * override are left out (in that order; the overrides and warnings are listed in full after the
 * table); then the schedule, its next change and the warnings are cut. The target, its state and
 * capacity are never cut.
 */
const COLUMNS: StatusColumn[] = [
  { header: 'target', cell: (status) => status.key },
  { header: 'name', shrink: 4, min: 10, drop: 2, cell: (status) => status.target.name },
  { header: 'policy', shrink: 4, min: 10, drop: 3, cell: (status) => status.policy.name },
  { header: 'state', cell: (status) => String(status.target.state), paint: (status, colors) => stateColor(String(status.target.state), colors) },
  {
    header: 'desired/actual/active',
    cell: ({ target }) => `${target.desired} / ${target.actual} / ${target.active} ${target.unit}`,
  },
  { header: 'schedule', shrink: 2, min: 14, cell: (status) => describeValue(status.schedule, status.policy) },
  {
    header: 'next change',
    shrink: 2,
    min: 20,
    cell: (status, at) => (status.next ? `${localTime(status.next.at, status.timeZone, at)} → ${describeValue(status.next.value, status.policy)}` : 'none within a year'),
  },
  {
    header: 'override',
    shrink: 3,
    min: 19,
    drop: 1,
    cell: (status, at) => (status.override ? `${describeOverride(status.override)} until ${localTime(status.override.until, status.timeZone, at)}` : ''),
    paint: (_, colors) => colors.yellow,
  },
  {
    header: 'warnings',
    shrink: 1,
    min: 12,
    cell: (status) => status.warnings.map((warning) => warning.label).join(', '),
    paint: (status, colors) => worst(status.warnings, colors),
  },
  { header: 'why', shrink: 5, min: 24, drop: 4, cell: (status) => status.schedule.reason },
];

/**
 * The columns to show in `width`: all of them, unless the ones never cut plus every other one at
 * its `min` (or narrower content) do not fit; then the droppable ones go, highest `drop` first,
 * until they do or none is left to drop.
 */
function columnsThatFit<C extends Column & { drop?: number }>(columns: readonly C[], rows: readonly (readonly string[])[], width: number | undefined, gap = 2): C[] {
  const natural = columns.map((column, index) => Math.max(widthOf(column.header), ...rows.map((row) => widthOf(oneLine(row[index] ?? '')))));
  const narrowest = (index: number) => {
    const column = columns[index];
    const want = natural[index] ?? 0;
    return column?.shrink ? Math.min(want, Math.max(1, column.min ?? widthOf(column.header))) : want;
  };
  const kept = columns.map((_, index) => index);
  if (width !== undefined) {
    const droppable = kept.filter((index) => columns[index]?.drop !== undefined).sort((a, b) => (columns[b]?.drop ?? 0) - (columns[a]?.drop ?? 0));
    for (const index of droppable) {
      const needed = kept.reduce((sum, k) => sum + narrowest(k), 0) + gap * (kept.length - 1);
      if (needed <= width) break;
      kept.splice(kept.indexOf(index), 1);
    }
  }
  return kept.flatMap((index) => columns[index] ?? []);
}

/** The table, the warnings in full, and the deployments needing attention (fitted to stdout, coloured only on a TTY without NO_COLOR). */
export function statusLines(targets: readonly TargetStatus[], deployments: readonly FailingDeployment[], at: number): string[] {
  const terminal = terminalOf();
  const colors = palette(terminal.color);
  const width = terminal.width;
  const lines: string[] = [];
  if (targets.length > 0) {
    const shown = columnsThatFit(COLUMNS, targets.map((status) => COLUMNS.map((column) => column.cell(status, at))), width);
    const rows = targets.map((status) => shown.map((column) => column.cell(status, at)));
    lines.push(
      ...renderTable(shown, rows, {
        ...(width !== undefined ? { width } : {}),
        paint: (text, index, row) => {
          if (row === -1) return colors.bold(text);
          const status = targets[row];
          const paint = shown[index]?.paint;
          return status && paint ? paint(status, colors)(text) : text;
        },
      }),
    );
    const overridden = targets.filter((status) => status.override !== undefined);
    if (overridden.length > 0) {
      lines.push('', colors.bold('Overrides in force'));
      for (const status of overridden) {
        if (status.override) lines.push(...block(`${status.key}: ${overrideText(status.override, status.timeZone, at)}`, width).map(colors.yellow));
      }
    }
    const warned = targets.filter((status) => status.warnings.length > 0);
    if (warned.length > 0) {
      lines.push('', colors.bold('Warnings'));
      for (const status of warned) {
        for (const warning of status.warnings) {
          const paint = warning.severity === 'critical' ? colors.red : colors.yellow;
          lines.push(...block(`${status.key}: ${warning.message}`, width).map(paint));
        }
      }
    }
  }
  if (deployments.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(colors.bold('Application deployments needing attention'));
    const rows = deployments.map(({ record }) => [
      record.target,
      formatTime(record.at, 'UTC'),
      record.kind,
      record.error ? `${record.reason} (error: ${record.error})` : record.reason,
    ]);
    const table = renderTable(
      [{ header: 'workspace', shrink: 1, min: 12 }, { header: 'time', shrink: 2, min: 16 }, { header: 'kind', shrink: 1, min: 8 }, { header: 'reason', shrink: 3, min: 10 }],
      rows,
      {
        ...(width !== undefined ? { width: Math.max(1, width - 2) } : {}),
        paint: (text, index, row) => (row === -1 ? colors.dim(text) : index === 2 ? colors.red(text) : text),
      },
    );
    lines.push(...table.map((line) => `  ${line}`));
  }
  return lines;
}

/** `floor 30 (business-hours)`, `floor 30 (business-hours, ready-by)`, `floor 0 (off-hours, stops)`, `floor 2 (calendar berlin-holidays: Neujahr)`. */
export function describeValue(value: ScheduleValue, policy: Policy): string {
  const { source } = value;
  let where: string;
  if (source.kind === 'window') where = source.readyBy ? `${source.window}, ready-by` : source.window;
  else if (source.kind === 'calendar') where = `calendar ${source.calendar}${source.entry ? `: ${source.entry}` : ''}`;
  else if (source.kind === 'override') where = `override ${source.id}`;
  else where = 'off-hours';
  const stops = source.kind !== 'window' && source.kind !== 'override' && policy.offHours.stop && value.capacity === 0;
  return `${value.mode} ${value.capacity} (${where}${stops ? ', stops' : ''})`;
}

/** `hold 55 until 13:30 CET, set by olga at 10:30 CET (ovr-townhall): Town hall stream`. */
function overrideText(override: Override, zone: string, at: number): string {
  const by = shortActor(override.setBy).replace(/^principal:/, '');
  return `${describeOverride(override)} until ${localTime(override.until, zone, at)}, set by ${by} at ${localTime(override.setAt, zone, at)} (${override.id}): ${override.reason}`;
}

/** A line broken to the width (pipes: whole), the first after two spaces, the rest after four. */
function block(text: string, width: number | undefined): string[] {
  const line = oneLine(text);
  if (width === undefined) return [`  ${line}`];
  const [first = '', ...rest] = wrap(line, Math.max(20, width - 4));
  const continued = wrap(rest.join(' '), Math.max(20, width - 4), '    ');
  return [`  ${first}`, ...continued];
}

function stateColor(state: string, colors: Palette): (text: string) => string {
  if (state === 'RUNNING') return colors.green;
  if (state === 'STOPPED') return colors.dim;
  return colors.yellow;
}

function worst(warnings: readonly Warning[], colors: Palette): (text: string) => string {
  if (warnings.some((warning) => warning.severity === 'critical')) return colors.red;
  return warnings.length > 0 ? colors.yellow : (text) => text;
}

/**
 * A time in `zone`, as short as reads unambiguously next to `at`: `17:00 CET` the same local
 * day, `Tue 07:00 CET` within six days, else `2026-12-24 00:00 CET`.
 */
export function localTime(ms: number, zone: string, at: number): string {
  const time = DateTime.fromMillis(ms, { zone }).setLocale('en-US');
  const reference = DateTime.fromMillis(at, { zone });
  const zoneName = zoneAbbreviation(time);
  if (time.hasSame(reference, 'day')) return `${time.toFormat('HH:mm')} ${zoneName}`;
  if (Math.abs(ms - at) < 6 * DAY_MS) return `${time.toFormat('ccc HH:mm')} ${zoneName}`;
  return `${time.toFormat('yyyy-MM-dd HH:mm')} ${zoneName}`;
}

/** `45 min`, `2 h 5 min`, `3 d 4 h`. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return hours % 24 === 0 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// ---------------------------------------------------------------------------------------------
// JSON lines (times ISO 8601 UTC; null where there is none)

const iso = (ms: number | undefined): string | null => (ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function valueJson(value: ScheduleValue) {
  return { mode: value.mode, capacity: value.capacity, source: value.source, reason: value.reason, since: iso(value.since), until: iso(value.until) };
}

export function targetJson(status: TargetStatus, at: number) {
  const { target, override } = status;
  return {
    type: 'target',
    at: iso(at),
    target: status.key,
    kind: target.kind,
    id: target.id,
    name: target.name,
    policy: status.policy.name,
    timeZone: status.timeZone,
    state: target.state,
    unit: target.unit,
    desired: target.desired,
    actual: target.actual,
    active: target.active,
    available: target.available,
    schedule: valueJson(status.schedule),
    next: status.next ? { at: iso(status.next.at), ...valueJson(status.next.value) } : null,
    override: override ? { ...override, setAt: iso(override.setAt), until: iso(override.until) } : null,
    warnings: status.warnings.map((warning) => ({
      kind: warning.kind,
      severity: warning.severity,
      message: warning.message,
      ...Object.fromEntries(Object.entries(warning.details).map(([key, value]) => [key, ['since', 'at', 'until'].includes(key) ? iso(Number(value)) : value])),
    })),
  };
}

export function deploymentJson({ workspaceId, record }: FailingDeployment) {
  return {
    type: 'deployment',
    target: record.target,
    workspaceId,
    kind: record.kind,
    at: iso(record.at),
    actor: record.actor,
    reason: record.reason,
    ...(record.error !== undefined ? { error: record.error } : {}),
    correlationId: record.correlationId,
  };
}
