import type { Policy } from '#lib/policy/schema.ts';
import type { ScenarioOutcome } from './autopilot.ts';
import { Meter } from './meter.ts';
import { SimulatedCapacity, type ProvisioningRates } from './provisioning.ts';

/**
 * The two baselines a policy is measured against (pure), on the same trace and provisioning model.
 *
 * Static: a fixed capacity sized for the trace's peak plus the policy's `minFreeSessions` (at
 * least its `min`), there all the time — what a pool or fleet costs with nobody scaling it and
 * nobody turned away.
 *
 * Target tracking, as Application Auto Scaling does it for pools and fleets: every minute the
 * metric (sessions in use ÷ capacity) is compared with the target utilization (the policy's
 * `usage.targetUtilization`, else 0.7); capacity is set to ⌈in use ÷ target⌉ within the policy's
 * min and max — at least 1, since utilization of no capacity cannot ask for more. Its alarms want
 * the breach on consecutive one-minute datapoints: 3 to scale out, 15 to scale in. A scale-out
 * waits out the scale-out cooldown after the last scale-out (300 s); a scale-in waits out the
 * scale-in cooldown after the last scaling activity (300 s). No schedules, no stop. Simplified:
 * AWS's own alarms and cooldown arithmetic have more detail than this.
 */
export interface TargetTrackingSettings {
  /** Used when the policy sets no `usage.targetUtilization`. */
  defaultTarget: number;
  scaleOutCooldownMinutes: number;
  scaleInCooldownMinutes: number;
  scaleOutDatapoints: number;
  scaleInDatapoints: number;
}

export const TARGET_TRACKING: TargetTrackingSettings = {
  defaultTarget: 0.7,
  scaleOutCooldownMinutes: 5,
  scaleInCooldownMinutes: 5,
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
};

/** The static capacity for a trace: its peak plus the policy's free sessions, at least `min`. */
export function staticCapacity(inUse: Int32Array, policy: Pick<Policy, 'min' | 'usage'>): number {
  let peak = 0;
  for (let minute = 0; minute < inUse.length; minute += 1) if (inUse[minute]! > peak) peak = inUse[minute]!;
  return Math.max(policy.min, peak + (policy.usage?.minFreeSessions ?? 0));
}

export function simulateStatic(inUse: Int32Array, policy: Pick<Policy, 'min' | 'usage'>, bucketMinutes: number): ScenarioOutcome & { capacityValue: number } {
  const capacityValue = staticCapacity(inUse, policy);
  const meter = new Meter(bucketMinutes);
  for (let minute = 0; minute < inUse.length; minute += 1) meter.record(minute, capacityValue, capacityValue, inUse[minute]!);
  return { measured: meter.result(), capacity: meter.series.finish(), capacityValue };
}

export function targetUtilizationOf(policy: Pick<Policy, 'usage'>, settings: TargetTrackingSettings = TARGET_TRACKING): number {
  return policy.usage?.targetUtilization ?? settings.defaultTarget;
}

export function simulateTargetTracking(
  inUse: Int32Array,
  policy: Pick<Policy, 'min' | 'max' | 'usage'>,
  rates: ProvisioningRates,
  bucketMinutes: number,
  settings: TargetTrackingSettings = TARGET_TRACKING,
): ScenarioOutcome {
  const target = targetUtilizationOf(policy, settings);
  const low = Math.max(1, policy.min);
  const high = Math.max(low, policy.max);
  const ask = (sessions: number) => Math.min(high, Math.max(low, Math.ceil(sessions / target - 1e-9)));
  const capacity = new SimulatedCapacity(rates, { phase: 'RUNNING', desired: ask(inUse[0] ?? 0) });
  const meter = new Meter(bucketMinutes);
  let above = 0;
  let below = 0;
  let lastScaleOut = -Infinity;
  let lastActivity = -Infinity;
  for (let minute = 0; minute < inUse.length; minute += 1) {
    const demand = inUse[minute]!;
    capacity.advance(minute, demand);
    const available = capacity.available();
    const active = demand < available ? demand : available;
    meter.record(minute, capacity.actual, available, demand);

    const wanted = ask(active);
    above = wanted > capacity.desired ? above + 1 : 0;
    below = wanted < capacity.desired ? below + 1 : 0;
    if (above >= settings.scaleOutDatapoints && minute - lastScaleOut >= settings.scaleOutCooldownMinutes) {
      capacity.set(wanted, minute, active);
      lastScaleOut = lastActivity = minute;
      meter.capacityChanges += 1;
      above = 0;
    } else if (below >= settings.scaleInDatapoints && minute - lastActivity >= settings.scaleInCooldownMinutes) {
      capacity.set(wanted, minute, active);
      lastActivity = minute;
      meter.capacityChanges += 1;
      below = 0;
    }
  }
  return { measured: meter.result(), capacity: meter.series.finish() };
}
