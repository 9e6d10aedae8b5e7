import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AssociateWorkspaceApplicationCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { queryAuditByDay } from '#lib/audit/query-audit.ts';
import type { AuditRecord } from '#lib/audit/entry.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { createTargetClients, listTargets } from '#lib/targets/index.ts';
import { LOCAL_CREDENTIALS, LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';
import { readSeed } from './cloud.ts';

/**
 * `autopilot start` (what `npm start` runs): euc-autopilot through one working Monday of the demo
 * account (local/seeds/demo.yml) under config/policies.yml, on the local cloud and its
 * accelerated clock — the real capacity-tick every minute, the capacity-change workflow, the
 * CloudTrail reactor and the deploy-applications workflow (an operator associates an application
 * mid-morning; nothing else is done to deploy it), the audit table and the notifier, as
 * serverless.yml wires them. Prints each change as it was audited, in the target's own time
 * zone, then a summary. (The full day with more operator actions and the HTML report is a later
 * issue's.)
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

/** What an operator does during the day, through the AWS API as anyone would. */
const OPERATOR_ACTIONS = [
  {
    at: Date.parse(`${DAY}T09:14:00Z`),
    says: 'an operator associates Microsoft Visio (wsa-visio2024a) with WorkSpace ws-berlin0002',
    run: (workspaces: WorkSpacesClient) =>
      workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-berlin0002', ApplicationId: 'wsa-visio2024a' })),
  },
];

async function workingDay(cloud: LocalCloud, say: (line: string) => void): Promise<void> {
  const zones = await targetZones(cloud);
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS }));
  say(`euc-autopilot on the local cloud at ${cloud.url}: the demo account through Monday ${DAY} (UTC times; local time in brackets)\n`);
  const workspaces = new WorkSpacesClient({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS });
  const started = Date.now();
  const end = Date.parse(`${DAY}T23:59:00Z`);
  const actions = [...OPERATOR_ACTIONS];
  let shown = 0;
  // An hour of local-cloud time at a time (the scheduled tick runs 60 times in each), stopping
  // for the operator's actions.
  while (cloud.clock.now() < end) {
    const action = actions[0];
    const next = Math.min(end, cloud.clock.now() + 3_600_000, action?.at ?? Infinity);
    await cloud.clock.advanceTo(next);
    if (action && cloud.clock.now() >= action.at) {
      actions.shift();
      say(`${new Date(action.at).toISOString().slice(11, 16)} UTC: ${action.says}`);
      await action.run(workspaces);
    }
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
      `${count('deployment-completed')} application deployments completed, ${count('deployment-failed')} failed; ` +
      `${executions.length} workflow runs (${executions.filter((run) => run.status !== 'SUCCEEDED').length} not succeeded); ` +
      `${cloud.slack.list().length} Slack messages. Simulated in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  if (count('capacity-change-failed') > 0) throw new Error('some capacity changes failed; see the lines above');
  if (count('deployment-completed') !== OPERATOR_ACTIONS.length) throw new Error('the application associated during the day was not deployed; see the lines above');
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
