import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { queryAuditByDay } from '#lib/audit/query-audit.ts';
import type { AuditRecord } from '#lib/audit/entry.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { createTargetClients, listTargets } from '#lib/targets/index.ts';
import { LOCAL_CREDENTIALS, LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';
import { readSeed } from './cloud.ts';

/**
 * `autopilot start` (what `npm start` runs): euc-autopilot's capacity side through one working
 * Monday of the demo account (local/seeds/demo.yml) under config/policies.yml, on the local cloud
 * and its accelerated clock — the real capacity-tick every minute, the capacity-change workflow,
 * the audit table and the notifier, as serverless.yml wires them. Prints each change as it was
 * audited, in the target's own time zone, then a summary. (The full day with deployments,
 * operator actions and the HTML report is a later issue's.)
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run euc-autopilot end to end on the built-in local cloud through a simulated working day')
    .action(async () => {
      const cloud = await LocalCloud.start({ seed: await readSeed(path.join(PROJECT_ROOT, 'local/seeds/demo.yml')) });
      try {
        await workingDay(cloud, (line) => process.stdout.write(`${line}\n`));
      } finally {
        await cloud.stop();
      }
    });
}

const DAY = '2026-11-23';

async function workingDay(cloud: LocalCloud, say: (line: string) => void): Promise<void> {
  const zones = await targetZones(cloud);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS }));
  say(`euc-autopilot on the local cloud at ${cloud.url}: the demo account through Monday ${DAY} (UTC times; local time in brackets)\n`);
  const started = Date.now();
  const end = Date.parse(`${DAY}T23:59:00Z`);
  let shown = 0;
  // An hour of local-cloud time at a time: the scheduled tick runs 60 times in each.
  while (cloud.clock.now() < end) {
    await cloud.clock.advanceTo(Math.min(end, cloud.clock.now() + 3_600_000));
    const entries = await queryAuditByDay(documents, 'euc-autopilot-local-audit', { day: DAY, order: 'oldest-first' });
    for (const entry of entries.slice(shown)) say(line(entry, zones));
    shown = entries.length;
    process.stderr.write(`\r${new Date(cloud.clock.now()).toISOString().slice(11, 16)} UTC `);
  }
  process.stderr.write('\r');
  const entries = await queryAuditByDay(documents, 'euc-autopilot-local-audit', { day: DAY });
  const count = (kind: AuditRecord['kind']) => entries.filter((entry) => entry.kind === kind).length;
  const executions = cloud.snapshot().executions as Array<{ status: string }>;
  say(
    `\n${count('capacity-changed')} capacity changes, ${count('started')} starts, ${count('stopped')} stops, ` +
      `${count('capacity-change-failed')} failed, ${count('deferred')} deferred; ` +
      `${executions.length} workflow runs (${executions.filter((run) => run.status !== 'SUCCEEDED').length} not succeeded); ` +
      `${cloud.slack.list().length} Slack messages. Simulated in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  if (count('capacity-change-failed') > 0) throw new Error('some capacity changes failed; see the lines above');
}

function line(entry: AuditRecord, zones: Map<string, string>): string {
  const zone = zones.get(entry.target) ?? 'UTC';
  const local = DateTime.fromMillis(entry.at, { zone }).toFormat('HH:mm');
  const utc = new Date(entry.at).toISOString().slice(11, 16);
  const change = entry.before !== undefined && entry.after !== undefined ? `${entry.before} → ${entry.after}` : '';
  return `${utc} [${local} ${zone.split('/').pop()?.replace('_', ' ')}]  ${entry.target.padEnd(32)} ${entry.kind.padEnd(17)} ${change.padEnd(9)} ${entry.actor}: ${entry.reason}`;
}

/** Each managed target's time zone, from the first policy that selects it (for local times in the timeline). */
async function targetZones(cloud: LocalCloud): Promise<Map<string, string>> {
  const file = loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml'));
  const clients = createTargetClients({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS });
  const zones = new Map<string, string>();
  for (const policy of file.policies) {
    for (const target of await listTargets(clients, policy.targets)) {
      const key = `${target.kind}/${target.id}`;
      if (!zones.has(key)) zones.set(key, policy.timeZone ?? file.defaults.timeZone);
    }
  }
  return zones;
}
