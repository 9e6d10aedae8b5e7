import { z } from 'zod';
import { actorSchema } from '#lib/audit/entry.ts';
import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';

/**
 * Overrides: an operator's time-boxed instruction for one target, honoured by the engine in place
 * of the policy until it expires by itself (or is cleared). One per target at a time; setting one
 * replaces the last. Stored in the target's state item (lib/state/target-state.ts `override`), so
 * the tick reads it with the state it reads anyway — no extra call per tick.
 *
 * - `hold N`: capacity is N, exactly — usage neither raises nor lowers it, the policy's min/max do
 *   not move it. Only sessions in use can hold it higher (no one is ever disconnected).
 * - `floor N`: at least N; the policy does the rest (usage may raise it, a higher window value
 *   applies). The policy's max does not cap it.
 * - `pause`: euc-autopilot changes nothing on the target (no set, start or stop).
 */
export const overrideKinds = ['hold', 'floor', 'pause'] as const;
export type OverrideKind = (typeof overrideKinds)[number];

/** The longest an override may last: past a week it is a policy change, and belongs in the policy file. */
export const MAX_OVERRIDE_MS = 7 * 86_400_000;

export const overrideSchema = z
  .object({
    /** Stable for the override's life: its audit items, events and `override:<id>` actor name it. */
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'id must be 1–64 letters, digits, _, . or -'),
    kind: z.enum(overrideKinds),
    /** For hold and floor. */
    capacity: z.number().int().min(0).max(1_000_000).optional(),
    /** Epoch ms. */
    setAt: z.number().int(),
    /** Epoch ms; the override ends by itself then. */
    until: z.number().int(),
    reason: z.string().min(1).max(1000),
    /** Who set it: a principal ARN (from the CLI's caller identity or CloudTrail), or a name. */
    setBy: actorSchema,
  })
  .superRefine((override, ctx) => {
    if (override.kind !== 'pause' && override.capacity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['capacity'], message: `a ${override.kind} needs a capacity (--${override.kind} N)` });
    }
    if (override.kind === 'pause' && override.capacity !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'a pause takes no capacity' });
    }
    if (override.until <= override.setAt) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after the time it is set' });
    } else if (override.until - override.setAt > MAX_OVERRIDE_MS) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'an override lasts at most 7 days; change the policy file for longer' });
    }
  });

export type Override = z.infer<typeof overrideSchema>;

/** Whether the override is in force at `now`. */
export function isActive(override: Override | undefined, now: number): override is Override {
  return override !== undefined && override.until > now;
}

/** `hold 12`, `floor 5`, `pause`. */
export function describeOverride(override: Pick<Override, 'kind' | 'capacity'>): string {
  return override.kind === 'pause' ? 'pause' : `${override.kind} ${override.capacity}`;
}

/**
 * The schedule value and limits the engine decides with while a hold or floor is in force (a
 * pause decides nothing: the caller leaves the target alone). The schedule value's source says
 * `override`, so the decision's reason and actor name the override.
 */
export function applyOverride(
  schedule: ScheduleValue,
  policy: Policy,
  override: Override & { kind: 'hold' | 'floor' },
): { schedule: ScheduleValue; policy: Policy } {
  const capacity = override.capacity ?? 0;
  const source = { kind: 'override', id: override.id, override: override.kind, inWindow: schedule.source.kind === 'window' } as const;
  if (override.kind === 'hold') {
    return {
      schedule: { ...schedule, mode: 'exact', capacity, source, reason: `override ${override.id}: hold ${capacity} (${override.reason})`, until: Math.min(schedule.until, override.until) },
      policy: { ...policy, min: Math.min(policy.min, capacity), max: Math.max(policy.max, capacity) },
    };
  }
  // A floor below what the schedule asks anyway changes nothing.
  if (schedule.capacity >= capacity) return { schedule, policy };
  return {
    schedule: { ...schedule, capacity, source, reason: `override ${override.id}: at least ${capacity} (${override.reason})`, until: Math.min(schedule.until, override.until) },
    policy: { ...policy, max: Math.max(policy.max, capacity) },
  };
}
