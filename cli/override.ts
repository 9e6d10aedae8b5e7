import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { documentClient, eventBridgeClient } from '#lib/aws/clients.ts';
import { actorSchema, type Actor } from '#lib/audit/entry.ts';
import { checkTarget, clearOverride, InvalidOverrideError, listOverrides, setOverride, type OverrideDeps } from '#lib/overrides/manage.ts';
import { describeOverride, type Override } from '#lib/overrides/override.ts';
import { parseDuration } from './durations.ts';

/**
 * `autopilot override set|list|clear`: time-boxed holds, floors and pauses on a pool or fleet,
 * against AWS or the local cloud (the SDK's own environment: AWS_ENDPOINT_URL, AWS_REGION,
 * credentials). The deployed stage's tables and bus are named after `--stage`. Every set and clear
 * is audited and announced in Slack; the engine honours the override at its next tick and ends
 * it by itself at `--until` (lib/overrides).
 */
const DEFAULT_DURATION = '4h';

export function registerOverrideCommand(program: Command): void {
  const override = program.command('override').description('time-boxed holds, floors and pauses that the engine honours and expires by itself');

  override
    .command('set')
    .description('hold a target at N, keep it at least at N, or pause euc-autopilot on it, for a while')
    .requiredOption('--target <target>', 'pool/<pool id> or fleet/<fleet name>', checked(checkTarget))
    .addOption(new Option('--hold <n>', 'capacity is N, exactly').argParser(count).conflicts(['floor', 'pause']))
    .addOption(new Option('--floor <n>', 'capacity is at least N').argParser(count).conflicts(['pause']))
    .option('--pause', 'change nothing on the target')
    .addOption(new Option('--until <time>', 'ISO 8601 time it ends, e.g. 2026-11-23T18:00:00+01:00').argParser(time).conflicts('for'))
    .option('--for <duration>', `how long it lasts: 90m, 4h, 2d (default ${DEFAULT_DURATION}; at most 7d)`, duration)
    .requiredOption('--reason <text>', 'why, for the audit history and Slack')
    .option('--by <name>', 'who sets it (default: your user name)')
    .option('--stage <stage>', 'the deployed stage', 'dev')
    .action(async (options: SetOptions) => {
      const now = Date.now();
      const kind = options.pause ? 'pause' : options.hold !== undefined ? 'hold' : options.floor !== undefined ? 'floor' : undefined;
      if (!kind) throw new InvalidOverrideError('say what the override does: --hold N, --floor N or --pause');
      const until = options.until ?? now + (options.for ?? duration(DEFAULT_DURATION));
      const value: Override = {
        id: `ovr-${randomUUID().slice(0, 8)}`,
        kind,
        ...(kind === 'pause' ? {} : { capacity: kind === 'hold' ? options.hold : options.floor }),
        setAt: now,
        until,
        reason: options.reason,
        setBy: actorOf(options.by),
      };
      await setOverride(deps(options.stage), options.target, value, `cli-${value.id}`);
      process.stdout.write(`${options.target}: ${describeOverride(value)} until ${new Date(until).toISOString()} (${value.id})\n`);
    });

  override
    .command('list')
    .description('the overrides in force')
    .option('--json', 'one JSON object per line')
    .option('--stage <stage>', 'the deployed stage', 'dev')
    .action(async (options: { json?: boolean; stage: string }) => {
      const found = await listOverrides(deps(options.stage), Date.now());
      if (found.length === 0 && !options.json) process.stderr.write('no override in force\n');
      for (const { target, override: o } of found) {
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ target, ...o })}\n`
            : `${target}  ${describeOverride(o)}  until ${new Date(o.until).toISOString()}  by ${o.setBy}  (${o.id}): ${o.reason}\n`,
        );
      }
    });

  override
    .command('clear')
    .description("end a target's override now")
    .requiredOption('--target <target>', 'pool/<pool id> or fleet/<fleet name>', checked(checkTarget))
    .option('--reason <text>', 'why, for the audit history and Slack')
    .option('--by <name>', 'who clears it (default: your user name)')
    .option('--stage <stage>', 'the deployed stage', 'dev')
    .action(async (options: { target: string; reason?: string; by?: string; stage: string }) => {
      const cleared = await clearOverride(
        deps(options.stage),
        options.target,
        { actor: actorOf(options.by), now: Date.now(), ...(options.reason ? { reason: options.reason } : {}) },
        `cli-clear-${randomUUID().slice(0, 8)}`,
      );
      process.stdout.write(cleared ? `${options.target}: ${describeOverride(cleared)} cleared (${cleared.id})\n` : `${options.target}: no override in force\n`);
    });
}

interface SetOptions {
  target: string;
  hold?: number;
  floor?: number;
  pause?: boolean;
  until?: number;
  for?: number;
  reason: string;
  by?: string;
  stage: string;
}

function deps(stage: string): OverrideDeps {
  return {
    documents: documentClient(),
    eventBridge: eventBridgeClient(),
    stateTable: `euc-autopilot-${stage}-state`,
    auditTable: `euc-autopilot-${stage}-audit`,
    eventBus: `euc-autopilot-${stage}`,
    logger: { warn: (message, ...extra) => process.stderr.write(`warning: ${message} ${JSON.stringify(extra)}\n`) },
  };
}

/** The audit actor for a person: `principal:<name>` (a principal ARN passed with --by is kept as it is). */
function actorOf(by: string | undefined): Actor {
  const name = by ?? userInfo().username;
  const actor = actorSchema.safeParse(name.startsWith('arn:') ? name : `principal:${name.replace(/\s+/g, '-')}`);
  if (!actor.success) throw new InvalidOverrideError(`--by "${name}" is not a name or principal ARN the audit history can keep`);
  return actor.data;
}

function checked(check: (value: string) => string) {
  return (value: string) => {
    try {
      return check(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number of sessions or instances`);
  return Number(value);
}

function time(value: string): number {
  const at = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new InvalidArgumentError(`"${value}" is not an ISO 8601 time such as 2026-11-23T18:00:00Z`);
  return at;
}

/** `90m`, `4h`, `2d` (also `1h30m`) in ms. */
function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`"${value}" is not a duration such as 90m, 4h, 2d or 1h30m`);
  if (ms === 0) throw new InvalidArgumentError(`"${value}" is no time at all`);
  return ms;
}
