import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { CSV_COLUMNS } from '#lib/backtest/csv.ts';
import { syntheticUsage, type DayCurvePoint } from '#lib/backtest/synthetic.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { findCalendarDay } from '#lib/schedule/calendar.ts';
import { matchesSelector, type Candidate } from '#lib/targets/select.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { parseDemandSetting } from '#local/usage.ts';

/**
 * `npx tsx scripts/demo-trace.ts [OUT]`: writes a week of demo usage (default
 * examples/demo-trace.csv) for `autopilot simulate`.
 *
 * The working day is the demo account's (local/seeds/demo.yml: the simulated users `npm start`
 * runs on Monday 23 November 2026), replayed Monday to Friday with people arriving and leaving
 * over half an hour and a seeded ±8 % wobble every 5 minutes; nobody works at the weekend, nor on
 * a date of the calendars of the policy in config/policies.yml that manages the target (New York
 * is closed for Thanksgiving on Thursday and Friday). One row per target when its value changes.
 * Deterministic: the same files give the same trace.
 */
const SEED_FILE = path.join(PROJECT_ROOT, 'local/seeds/demo.yml');
const POLICY_FILE = path.join(PROJECT_ROOT, 'config/policies.yml');
const out = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, 'examples/demo-trace.csv'));
const DAYS = 7;
const MINUTE_MS = 60_000;

interface SeedDocument {
  clock: string;
  workspaces: { pools: Array<{ PoolId: string; PoolName: string; Tags?: Array<{ Key: string; Value: string }> }> };
  appstream: { fleets: Array<{ Name: string; Tags?: Record<string, string> }> };
  usage: unknown[];
}

const seed = parse(readFileSync(SEED_FILE, 'utf8')) as SeedDocument;
const policies = loadPolicyFile(POLICY_FILE);
const dayStart = DateTime.fromISO(seed.clock, { zone: 'utc' }).startOf('day');
const from = dayStart.toMillis();

const candidates: Candidate[] = [
  ...seed.workspaces.pools.map((pool) => ({
    kind: 'pool' as const,
    id: pool.PoolId,
    name: pool.PoolName,
    tags: Object.fromEntries((pool.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
  })),
  ...seed.appstream.fleets.map((fleet) => ({ kind: 'fleet' as const, id: fleet.Name, name: fleet.Name, tags: fleet.Tags ?? {} })),
];

const rows: Array<{ at: number; target: string; sessions: number }> = [];
seed.usage.forEach((raw, index) => {
  const setting = parseDemandSetting(raw, `usage[${index}]`);
  const candidate = candidates.find((known) => known.kind === setting.kind && known.id === setting.id);
  const policy = candidate && policies.policies.find((known) => known.targets.some((selector) => matchesSelector(candidate, selector)));
  const zone = policy?.timeZone ?? policies.defaults.timeZone;
  const curve: DayCurvePoint[] = (setting.curve ?? [{ at: from, sessions: setting.sessions ?? 0 }]).map((point) => ({ offset: point.at - from, sessions: point.sessions }));
  const workday = (day: number): boolean => {
    const local = dayStart.plus({ days: day, hours: 12 }).setZone(zone);
    if (local.weekday > 5) return false;
    return !policy || findCalendarDay(policy.calendars, policies.calendars, local.toISODate()!) === undefined;
  };
  const usage = syntheticUsage({ from, days: DAYS, curve, rampMinutes: setting.rampMinutes, workday, seed: 2026 + index });
  const target = `${setting.kind}/${setting.id}`;
  usage.forEach((sessions, minute) => {
    if (minute === 0 || minute === usage.length - 1 || sessions !== usage[minute - 1]) rows.push({ at: from + minute * MINUTE_MS, target, sessions });
  });
});

rows.sort((a, b) => a.at - b.at || a.target.localeCompare(b.target));
const text = [CSV_COLUMNS.join(','), ...rows.map((row) => `${new Date(row.at).toISOString().replace('.000Z', 'Z')},${row.target},${row.sessions}`)].join('\n');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${text}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}: ${rows.length} samples, ${seed.usage.length} targets, ${DAYS} days from ${dayStart.toISODate()}\n`);
