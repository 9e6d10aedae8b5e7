import { existsSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidArgumentError, type Command } from 'commander';
import { DateTime, IANAZone } from 'luxon';
import { auditKinds, dayOf, type AuditKind, type AuditRecord, type AuditValue } from '#lib/audit/entry.ts';
import { queryAudit, queryAuditByDay } from '#lib/audit/query-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { messageOf } from '#local/errors.ts';
import { palette, renderTable, terminalOf, wrap, type Column, type Palette } from './terminal.ts';
import { DEFAULT_POLICY_FILE } from './validate.ts';
import { DAY_MS, parseDuration } from './durations.ts';
import { zoneAbbreviation } from './zones.ts';

/**
 * `autopilot audit`: the operator's audit history, from the audit table of a deployed stage or
 * of the local cloud. The AWS SDK finds the account as it always does (AWS_REGION, AWS_PROFILE or
 * credentials in the environment…); AWS_ENDPOINT_URL points it at the local cloud.
 *
 * Input: a target (`--target`, else every target), a time range (`--since`/`--until`, default
 * the last 24 hours), kinds, a limit. Output: the entries oldest first, as a table (each time in
 * its target's zone and in UTC) or as JSON lines (`--json`, the records as stored).
 * Primary course: one target → Query its partition over the range; every target → Query the
 * `byDay` index once per UTC day in the range, newest day first, until `--limit` is reached.
 * Nothing found: one line on stderr, exit 0.
 *
 * A target's zone: `--zone`, else the policy of the policy file that names the target by `id`
 * (the first one, in file order; its `timeZone` or the file's default), else UTC. Selectors by
 * name pattern or tags would need AWS calls to resolve; their targets show in UTC.
 */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description("show the audit history: what euc-autopilot and others changed, when (in the target's time zone and UTC), who and why")
    // The whole help after a mistake in one option buries the message: point to it instead.
    .showHelpAfterError("(run 'autopilot audit --help' for the options and their forms)")
    .option('--target <target>', 'one target: pool/<pool id>, fleet/<fleet name> or workspace/<WorkSpace id> (default: every target)', parseTarget)
    .option('--since <time>', `from this time, inclusive: ${TIME_FORMS} (default: 24 hours before --until)`, (value) => parseTimeOption(value))
    .option('--until <time>', `to this time, exclusive: ${TIME_FORMS} (default: now)`, (value) => parseTimeOption(value))
    .option('--kind <kinds>', 'only these kinds, comma-separated (e.g. capacity-changed,deferred)', parseKinds)
    .option('--limit <n>', 'at most the n most recent entries', parseLimit)
    .option('--json', 'one JSON object per line, each entry as stored (for scripts; no colour)')
    .option('--stage <stage>', 'the deployed stage whose table to read', parseStage, 'dev')
    .option('--table <name>', 'the audit table (default: euc-autopilot-<stage>-audit)')
    .option('--zone <zone>', "show every time in this IANA time zone (e.g. Europe/Berlin) instead of each target's", parseZone)
    .option('--policy-file <file>', `where targets' time zones come from (default: ${DEFAULT_POLICY_FILE} when it exists)`)
    .addHelpText(
      'after',
      `
Kinds:
${wrap(auditKinds.join(', '), 96, '  ').join('\n')}

Times without an offset are UTC. With every target (no --target), the byDay index is read one UTC
day at a time: long ranges mean one query per day.

Examples:
  npx autopilot audit --stage prod --target pool/wspool-berlin001 --since 7d
  npx autopilot audit --since 2026-11-23T06:00Z --until 2026-11-23T18:00Z --kind capacity-change-failed,conflict
  npx autopilot audit --json --since 2h | jq -r .reason`,
    )
    .action(async (options: AuditOptions) => {
      await runAudit(options, documentClient(), Date.now());
    });
}

interface AuditOptions {
  target?: string;
  since?: TimeOption;
  until?: TimeOption;
  kind?: AuditKind[];
  limit?: number;
  json?: boolean;
  stage: string;
  table?: string;
  zone?: string;
  policyFile?: string;
}

async function runAudit(options: AuditOptions, documents: DynamoDBDocumentClient, now: number): Promise<void> {
  const table = options.table ?? `euc-autopilot-${options.stage}-audit`;
  const range = resolveRange(options.since, options.until, now);
  const records = await readAudit(documents, table, {
    ...range,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.kind !== undefined ? { kinds: options.kind } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  if (records.length === 0) {
    const kinds = options.kind ? ` of kind ${options.kind.join(', ')}` : '';
    process.stderr.write(
      `no audit entries${kinds} for ${options.target ?? 'any target'} between ${shortIso(range.since)} and ${shortIso(range.until)} (table ${table})\n`,
    );
    return;
  }
  if (options.json) {
    process.stdout.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    return;
  }
  const zoneOf = zoneResolver(options);
  process.stdout.write(`${auditTable(records, zoneOf).join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface AuditRangeQuery {
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive. */
  until: number;
  /** Absent: every target, through the `byDay` index. */
  target?: string;
  kinds?: readonly AuditKind[];
  /** The most recent `limit` entries. */
  limit?: number;
}

/** The entries in the range, oldest first (the most recent `limit` of them when limited). */
export async function readAudit(documents: DynamoDBDocumentClient, table: string, query: AuditRangeQuery): Promise<AuditRecord[]> {
  const { since, until, kinds, limit } = query;
  const wanted = (record: AuditRecord) => kinds === undefined || kinds.includes(record.kind);
  const newestFirst: AuditRecord[] = [];
  try {
    if (query.target !== undefined) {
      // queryAudit knows no kinds: with a kind filter the limit applies after filtering, here.
      const records = await queryAudit(documents, table, {
        target: query.target,
        since,
        until,
        order: 'newest-first',
        ...(limit !== undefined && kinds === undefined ? { limit } : {}),
      });
      newestFirst.push(...records.filter(wanted).slice(0, limit));
    } else {
      // Whole UTC days, newest first, each cut to the range; stop at the limit.
      const first = Date.parse(`${dayOf(since)}T00:00:00Z`);
      for (let day = Date.parse(`${dayOf(until - 1)}T00:00:00Z`); day >= first; day -= 86_400_000) {
        const records = await queryAuditByDay(documents, table, {
          day: dayOf(day),
          order: 'newest-first',
          ...(kinds !== undefined ? { kinds } : {}),
        });
        newestFirst.push(...records.filter((record) => record.at >= since && record.at < until));
        if (limit !== undefined && newestFirst.length >= limit) break;
      }
      newestFirst.splice(limit ?? newestFirst.length);
    }
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'ResourceNotFoundException') {
      throw new Error(
        `the audit table ${table} (or its byDay index) does not exist in this account and Region: check --stage, --table and AWS_REGION`,
        { cause: error },
      );
    }
    throw error;
  }
  return newestFirst.reverse();
}

// ---------------------------------------------------------------------------------------------
// Options

const TIME_FORMS = 'an ISO 8601 time (2026-11-23T08:00:00Z, 2026-11-23T09:00+01:00, 2026-11-23), a duration ago (30m, 2h, 7d; units s, m, h, d, w) or now';

/** A time as given: a moment, or a duration before the moment the command runs. */
export type TimeOption = { at: number } | { ago: number };

export function parseTimeOption(value: string): TimeOption {
  const text = value.trim();
  if (text === 'now') return { ago: 0 };
  const duration = parseDuration(text);
  if (duration !== undefined) return { ago: duration };
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const time = DateTime.fromISO(text, { zone: 'utc' });
    if (time.isValid && time.year >= 1970 && time.year <= 9999) return { at: time.toMillis() };
  }
  throw new InvalidArgumentError(`expected ${TIME_FORMS}.`);
}

/** [since, until) in epoch ms; `until` defaults to now, `since` to 24 hours before `until`. */
export function resolveRange(since: TimeOption | undefined, until: TimeOption | undefined, now: number): { since: number; until: number } {
  const resolve = (option: TimeOption) => ('at' in option ? option.at : now - option.ago);
  const end = until ? resolve(until) : now;
  const start = since ? resolve(since) : end - DAY_MS;
  if (start < 0) throw new Error('the range starts before 1970: give a later --since (or --until)');
  if (start >= end) throw new Error(`--since (${shortIso(start)}) must be before --until (${shortIso(end)})`);
  return { since: start, until: end };
}

function parseTarget(value: string): string {
  if (!/^[a-z][a-z0-9-]*\/\S+$/.test(value)) {
    throw new InvalidArgumentError('expected pool/<pool id>, fleet/<fleet name> or workspace/<WorkSpace id>, e.g. pool/wspool-abc123def.');
  }
  return value;
}

function parseKinds(value: string): AuditKind[] {
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter((kind) => kind !== '');
  const unknown = kinds.filter((kind) => !(auditKinds as readonly string[]).includes(kind));
  if (kinds.length === 0 || unknown.length > 0) {
    const what = kinds.length === 0 ? 'no kind given' : `unknown kind${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`;
    throw new InvalidArgumentError(`${what}; valid kinds: ${auditKinds.join(', ')}.`);
  }
  return [...new Set(kinds)] as AuditKind[];
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('expected a whole number, 1 or more.');
  return limit;
}

function parseStage(value: string): string {
  if (!/^[a-zA-Z0-9-]+$/.test(value)) throw new InvalidArgumentError('expected letters, digits and hyphens (the serverless stage, e.g. dev or prod).');
  return value;
}

function parseZone(value: string): string {
  if (!IANAZone.isValidZone(value)) throw new InvalidArgumentError('expected an IANA time zone such as Europe/Berlin, America/New_York or UTC.');
  return value;
}

// ---------------------------------------------------------------------------------------------
// Time zones

/**
 * Each target's zone: `--zone` for all, else the policy file's. Without `--policy-file`, a
 * missing config/policies.yml means UTC and a broken one a warning and UTC: the history is still
 * worth reading. A `--policy-file` named on the command line must load.
 */
function zoneResolver(options: AuditOptions): (target: string) => string {
  const zone = options.zone;
  if (zone !== undefined) return () => zone;
  const zones = new Map<string, string>();
  const file = options.policyFile ?? DEFAULT_POLICY_FILE;
  if (options.policyFile !== undefined || existsSync(file)) {
    try {
      const policies = loadPolicyFile(file);
      for (const policy of policies.policies) {
        for (const selector of policy.targets) {
          if (!('id' in selector)) continue;
          const key = `${selector.kind}/${selector.id}`;
          if (!zones.has(key)) zones.set(key, policy.timeZone ?? policies.defaults.timeZone);
        }
      }
    } catch (error) {
      if (options.policyFile !== undefined) throw error;
      process.stderr.write(`autopilot audit: times in UTC; ${file} could not be read: ${messageOf(error).split('\n')[0]}\n`);
    }
  }
  return (target) => zones.get(target) ?? 'UTC';
}

/**
 * `2026-11-23 08:00 CET (07:00 UTC)`; the UTC date too when it is another day; only
 * `2026-11-23 07:00 UTC` when the zone is UTC. The abbreviation is the common one where there is
 * one (CET, EST, BST), else the offset (GMT+10).
 */
export function formatTime(at: number, zone: string): string {
  const utc = DateTime.fromMillis(at, { zone: 'utc' });
  const local = utc.setZone(zone);
  if (local.zone.name === 'UTC' || local.zone.name === 'Etc/UTC') return `${utc.toFormat('yyyy-MM-dd HH:mm')} UTC`;
  const utcPart = local.toISODate() === utc.toISODate() ? utc.toFormat('HH:mm') : utc.toFormat('MM-dd HH:mm');
  return `${local.toFormat('yyyy-MM-dd HH:mm')} ${zoneAbbreviation(local)} (${utcPart} UTC)`;
}

// ---------------------------------------------------------------------------------------------
// The table

/**
 * Who gives up width on a narrow terminal: the reason first, then a long change, then the UTC
 * part of the time (its local part is 20 columns), the target and the actor, the kind last.
 */
const COLUMNS: Column[] = [
  { header: 'time', shrink: 2, min: 21 },
  { header: 'target', shrink: 2, min: 12 },
  { header: 'kind', shrink: 1, min: 12 },
  { header: 'actor', shrink: 2, min: 8 },
  { header: 'change', shrink: 3, min: 7 },
  { header: 'reason', shrink: 4, min: 10 },
];

/** The table's lines, fitted to stdout (cut only on a TTY; coloured only on a TTY without NO_COLOR). */
export function auditTable(records: readonly AuditRecord[], zoneOf: (target: string) => string): string[] {
  const terminal = terminalOf();
  const colors = palette(terminal.color);
  const kindColumn = COLUMNS.findIndex((column) => column.header === 'kind');
  const rows = records.map((record) => [
    formatTime(record.at, zoneOf(record.target)),
    record.target,
    record.kind,
    shortActor(record.actor),
    formatChange(record.before, record.after),
    record.error ? `${record.reason} (error: ${record.error})` : record.reason,
  ]);
  return renderTable(COLUMNS, rows, {
    ...(terminal.width !== undefined ? { width: terminal.width } : {}),
    paint: (text, column, row) => {
      if (row === -1) return colors.bold(text);
      const record = records[row];
      return column === kindColumn && record ? severityColor(record.kind, colors)(text) : text;
    },
  });
}

/** Failures and conflicts red; what was held back or found changed yellow; the rest as is. */
function severityColor(kind: AuditKind, colors: Palette): (text: string) => string {
  if (/failed|conflict/.test(kind)) return colors.red;
  if (/deferred|drift|skipped|timed-out|undelivered/.test(kind)) return colors.yellow;
  return (text) => text;
}

/** `arn:aws:sts::123456789012:assumed-role/Operators/alice` → `alice (Operators)`; anything else as is. */
export function shortActor(actor: string): string {
  const role = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(actor);
  return role ? `${role[2]} (${role[1]})` : actor;
}

/** `10 → 40`, `desired=2 state=STOPPED → desired=8 state=RUNNING`, `→ 40`; empty without either. */
export function formatChange(before: AuditValue | undefined, after: AuditValue | undefined): string {
  if (before === undefined && after === undefined) return '';
  if (after === undefined) return `${formatValue(before)} →`;
  if (before === undefined) return `→ ${formatValue(after)}`;
  return `${formatValue(before)} → ${formatValue(after)}`;
}

function formatValue(value: AuditValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return Object.entries(value)
    .map(([key, member]) => `${key}=${member === null ? 'null' : String(member)}`)
    .join(' ');
}

/** ISO 8601 UTC without zero milliseconds: `2026-11-23T07:00:00Z`. */
function shortIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
