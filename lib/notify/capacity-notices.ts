import type {
  CapacityChangeDeferred,
  CapacityChanged,
  CapacityChangeFailed,
  ScalingConflict,
} from '#lib/events/capacity-events.ts';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import type { DigestLine } from './digest.ts';

/**
 * One formatter per capacity event: its data as an Operator Notice, which lib/notify/slack-message.ts
 * turns into Block Kit within Slack's limits. Every notice reads the same way: a title saying what
 * happened to which pool or fleet with before → after, the reason as text, the change, the target
 * (and the error or state where there is one) as facts, the actor in the context line, and the
 * console link when the producer gave one.
 *
 * Each event also has its digest line (lib/notify/digest.ts): the title's words with the unit, and
 * what matters most after them (the reason; the error of a failure; the other scaler of a conflict).
 */
type CapacityData = CapacityChanged | CapacityChangeFailed | CapacityChangeDeferred | ScalingConflict;

export function capacityChangedNotice(data: CapacityChanged): OperatorNotice {
  const title = data.dryRun
    ? `Dry run: would scale ${named(data)} ${change(data)}`
    : `Scaled ${named(data)} ${change(data)}`;
  return notice(data, 'info', title, []);
}

export function capacityChangeFailedNotice(data: CapacityChangeFailed): OperatorNotice {
  return notice(data, 'critical', `${dryRunPrefix(data)}Could not scale ${named(data)} ${change(data)}`, [{ label: 'Error', value: data.error }]);
}

export function capacityChangeDeferredNotice(data: CapacityChangeDeferred): OperatorNotice {
  return notice(data, 'info', `${dryRunPrefix(data)}Deferred scaling ${named(data)} ${change(data)}: it is ${data.state}`, [
    { label: 'State', value: data.state },
  ]);
}

export function scalingConflictNotice(data: ScalingConflict): OperatorNotice {
  return notice(data, 'warning', `${dryRunPrefix(data)}Left ${named(data)} alone: another scaler manages it`, [
    { label: 'Managed by', value: data.owner },
  ]);
}

export function capacityChangedLine(data: CapacityChanged): DigestLine {
  const verb = data.dryRun ? 'Dry run: would scale' : 'Scaled';
  return { kind: data.dryRun ? 'dry-run' : 'changed', line: `${verb} ${named(data)} ${change(data)} ${data.unit}: ${data.reason}` };
}

export function capacityChangeFailedLine(data: CapacityChangeFailed): DigestLine {
  return { kind: 'failed', line: `${dryRunPrefix(data)}Could not scale ${named(data)} ${change(data)} ${data.unit}: ${data.error}` };
}

export function capacityChangeDeferredLine(data: CapacityChangeDeferred): DigestLine {
  return { kind: 'deferred', line: `${dryRunPrefix(data)}Deferred scaling ${named(data)} ${change(data)} ${data.unit}: it is ${data.state}` };
}

export function scalingConflictLine(data: ScalingConflict): DigestLine {
  return { kind: 'conflict', line: `${dryRunPrefix(data)}Left ${named(data)} alone: ${data.owner} manages it` };
}

function notice(data: CapacityData, severity: OperatorNotice['severity'], title: string, extra: OperatorNotice['facts']): OperatorNotice {
  return {
    severity,
    title,
    text: data.reason,
    facts: [
      { label: data.dryRun ? 'Would change' : 'Capacity', value: `${change(data)} ${data.unit}` },
      { label: 'Target', value: data.target },
      ...extra,
    ],
    target: data.target,
    actor: data.actor,
    ...(data.consoleUrl ? { link: { url: data.consoleUrl, text: `Open ${named(data)} in the AWS console` } } : {}),
  };
}

/** `pool sales-desktops`, `fleet office-apps`. */
function named(data: CapacityData): string {
  return `${data.kind} ${data.targetName}`;
}

function change(data: CapacityData): string {
  return `${data.before} → ${data.after}`;
}

function dryRunPrefix(data: CapacityData): string {
  return data.dryRun ? 'Dry run: ' : '';
}
