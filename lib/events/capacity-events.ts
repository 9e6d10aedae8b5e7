import { z } from 'zod';
import { actorSchema } from '#lib/audit/entry.ts';
import { defineDomainEvent } from './domain-event.ts';
import { linkUrlSchema } from './operator-notice.ts';

/**
 * Domain events about the capacity of a WorkSpaces pool or an AppStream fleet. All four share one
 * shape of `data`; each adds what only it has. Producers publish them after the audit entry is
 * written (lib/events/publish.ts `tryPublish`, which never throws into the scaling path), and the
 * notifier turns each into one Slack message (lib/notify/capacity-notices.ts).
 */

/**
 * `pool/<pool id>` (`wspool-` and 9 characters, as the WorkSpaces API documents PoolId) or
 * `fleet/<fleet name>` (AppStream fleet names: letters, digits, `_`, `.`, `-`, up to 100).
 */
const POOL_TARGET = /^pool\/wspool-[0-9a-z]{9}$/;
const FLEET_TARGET = /^fleet\/[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/;

const capacity = z.number().int().min(0).max(1_000_000);

const capacityFields = {
  /** `pool/wspool-abc123def` or `fleet/office-apps`. */
  target: z.string(),
  /** What people call it: the pool's name, the fleet's display name or name. */
  targetName: z.string().min(1).max(200),
  kind: z.enum(['pool', 'fleet']),
  /** Desired capacity before the decision. */
  before: capacity,
  /** Desired capacity the decision asks for (applied, or not, as the event says). */
  after: capacity,
  /** What `before`/`after` count: pools and multi-session fleets count sessions, other fleets instances. */
  unit: z.enum(['sessions', 'instances']).default('sessions'),
  /** Why, in words: the window, the usage rule, the override. */
  reason: z.string().min(1).max(2000),
  actor: actorSchema,
  /** The target is in dry-run mode: nothing was (or would have been) changed. */
  dryRun: z.boolean().default(false),
  /**
   * The target's console page, if the producer has one. None is built here: AWS documents the
   * consoles' entry points but not a URL form for one pool's or fleet's page.
   */
  consoleUrl: linkUrlSchema.optional(),
};

/** The target must be the kind it claims to be. */
function targetMatchesKind(data: { target: string; kind: 'pool' | 'fleet' }, ctx: z.RefinementCtx): void {
  const pattern = data.kind === 'pool' ? POOL_TARGET : FLEET_TARGET;
  if (!pattern.test(data.target)) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: data.kind === 'pool' ? 'a pool target is pool/wspool-<9 characters>' : 'a fleet target is fleet/<fleet name>',
    });
  }
}

/** Desired capacity was set. */
export const capacityChanged = defineDomainEvent(
  'Capacity Changed',
  1,
  z.object(capacityFields).superRefine(targetMatchesKind),
);

/** A change was attempted and refused, or did not converge in time. */
export const capacityChangeFailed = defineDomainEvent(
  'Capacity Change Failed',
  1,
  z.object({ ...capacityFields, error: z.string().min(1).max(4000) }).superRefine(targetMatchesKind),
);

/** A change was due, but the target was busy; it is tried again once the target settles. */
export const capacityChangeDeferred = defineDomainEvent(
  'Capacity Change Deferred',
  1,
  z
    .object({
      ...capacityFields,
      /** The state that kept the change back: UPDATING, STARTING, STOPPING… */
      state: z.string().min(1).max(50),
    })
    .superRefine(targetMatchesKind),
);

/** Left alone: another scaler (a registered Application Auto Scaling target) owns the capacity. */
export const scalingConflict = defineDomainEvent(
  'Scaling Conflict',
  1,
  z
    .object({
      ...capacityFields,
      /** Who else manages it, e.g. `Application Auto Scaling (appstream:fleet:DesiredCapacity)`. */
      owner: z.string().min(1).max(500),
    })
    .superRefine(targetMatchesKind),
);

export type CapacityChanged = z.infer<typeof capacityChanged.dataSchema>;
export type CapacityChangeFailed = z.infer<typeof capacityChangeFailed.dataSchema>;
export type CapacityChangeDeferred = z.infer<typeof capacityChangeDeferred.dataSchema>;
export type ScalingConflict = z.infer<typeof scalingConflict.dataSchema>;
/** What producers pass: `unit` and `dryRun` may be left out. */
export type CapacityChangedInput = z.input<typeof capacityChanged.dataSchema>;
