import type {
  CapacityChangeDeferred,
  CapacityChanged,
  CapacityChangeFailed,
  ScalingConflict,
} from '#lib/events/capacity-events.ts';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';

/**
 * One formatter per capacity event: its data as an Operator Notice, which lib/notify/slack-message.ts
 * turns into Block Kit within Slack's limits. Every notice reads the same way: a title saying what
 * happened to which pool or fleet with before → after, the reason as text, the change, the target
 * (and the error or state where there is one) as facts, the actor in the context line, and the
 * console link when the producer gave one.
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
