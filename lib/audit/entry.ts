import { z } from 'zod';

/**
 * One audit entry: what happened to a target, who caused it, why, and the values before and
 * after. The audit table (serverless.yml `AuditTable`) keeps one item per entry:
 *
 * | attribute   | value                                                                     |
 * | ----------- | ------------------------------------------------------------------------- |
 * | `pk`        | the target, e.g. `pool/wspool-abc123def`, `fleet/office-apps`             |
 * | `sk`        | `<ISO time, ms, UTC>#<idempotency id>`: time order within a target         |
 * | `day`       | `YYYY-MM-DD` (UTC) of the entry's time: GSI `byDay` (hash `day`, range `sk`) |
 * | `expiresAt` | epoch seconds of the entry's time + `ttlDays` (DynamoDB TTL)               |
 *
 * plus the entry's own fields. Keys derive from the entry alone (never from the clock at write
 * time), so writing the same entry twice addresses the same item.
 */

/**
 * What kind of thing happened. Adding a kind is a one-line change here.
 *
 * - `capacity-changed` — desired capacity was set (UpdateWorkspacesPool / UpdateFleet accepted).
 * - `capacity-change-failed` — a change was attempted and refused, or did not converge in time.
 * - `deferred` — a change was due but the target was busy (UPDATING, STARTING, STOPPING); written
 *   once per busy spell, not every tick.
 * - `conflict` — left alone because another scaler owns it (a registered Application Auto Scaling
 *   scalable target).
 * - `dry-run` — what would have been changed on a `dryRun` target; nothing was.
 * - `started` / `stopped` — an off-hours stop, or the start before the next window.
 * - `drift-detected` — someone else changed the target (seen in CloudTrail).
 * - `deployment-*` — the application deployment workflow on a WorkSpace (`workspace/<id>`):
 *   `started` (DeployWorkspaceApplications accepted), `retried` (redeployed with Force),
 *   `completed`, `failed`, `timed-out`, `skipped` (an application the WorkSpace cannot take, or a
 *   WorkSpace that cannot take any now: stopped by policy, terminated…). `started` / `stopped`
 *   also record a WorkSpace started for a deployment.
 * - `override-set` / `override-cleared` / `override-expired` — an operator's time-boxed hold,
 *   floor or pause on a target (lib/overrides), set or cleared from the CLI, or run out.
 * - `target-created` / `target-deleted`, and `started` / `stopped` / `drift-detected` by someone
 *   else, `application-associated` / `application-disassociated` — calls seen in CloudTrail, with
 *   who made them, so one resource's history is complete in one place.
 * - `notification-undelivered` — Slack would not take a notice (after the notifier's retries, or
 *   at once for an answer retrying cannot fix); under the notice's target, else `notifier/slack`.
 */
export const auditKinds = [
  'capacity-changed',
  'capacity-change-failed',
  'deferred',
  'conflict',
  'dry-run',
  'started',
  'stopped',
  'drift-detected',
  'deployment-started',
  'deployment-retried',
  'deployment-completed',
  'deployment-failed',
  'deployment-timed-out',
  'deployment-skipped',
  'override-set',
  'override-cleared',
  'override-expired',
  'target-created',
  'target-deleted',
  'application-associated',
  'application-disassociated',
  'notification-undelivered',
] as const;
export type AuditKind = (typeof auditKinds)[number];

/**
 * Who caused it: a schedule window (`schedule:<window>`), the usage rules (`usage`), an override
 * (`override:<id>`), a principal's ARN from CloudTrail (`arn:aws:sts::…:assumed-role/…`), an AWS
 * service acting on its own as CloudTrail names it (`service:workspaces.amazonaws.com`), a
 * principal CloudTrail gave only an id for (`principal:<id>`), or the deployment sweeper, which
 * finds work nobody announced (`sweeper`).
 */
export type Actor =
  | `schedule:${string}`
  | 'usage'
  | `override:${string}`
  | `arn:${string}`
  | `service:${string}`
  | `principal:${string}`
  | 'sweeper';
const ACTOR = /^(?:schedule:\S.*|usage|override:\S.*|arn:aws[a-z-]*:(?:iam|sts)::\d{12}:\S+|service:[a-z0-9.-]+|principal:\S+|sweeper)$/;
export const actorSchema = z.custom<Actor>(
  (value) => typeof value === 'string' && value.length <= 2048 && ACTOR.test(value),
  {
    message:
      'actor must be schedule:<window>, usage, override:<id>, a principal ARN (arn:aws:iam::… / arn:aws:sts::…), service:<service host>, principal:<id> or sweeper',
  },
);

/** A before/after value: a number, or a small flat object such as `{ desired: 10, state: 'RUNNING' }`. */
const scalar = z.union([z.number(), z.string().max(256), z.boolean(), z.null()]);
export const auditValueSchema = z.union([
  z.number(),
  z.record(z.string().min(1).max(64), scalar).refine((value) => Object.keys(value).length <= 20, 'at most 20 members'),
]);
export type AuditValue = z.infer<typeof auditValueSchema>;

export const DEFAULT_TTL_DAYS = 400;

export const auditEntrySchema = z.object({
  /** `<kind>/<id>`: `pool/wspool-…`, `fleet/<name>`, `workspace/ws-…`. */
  target: z.string().regex(/^[a-z][a-z0-9-]*\/\S+$/, 'target must look like pool/<id>, fleet/<name> or workspace/<id>').max(1024),
  kind: z.enum(auditKinds),
  actor: actorSchema,
  reason: z.string().min(1).max(4000),
  before: auditValueSchema.optional(),
  after: auditValueSchema.optional(),
  /** What went wrong, for `capacity-change-failed` and the like. */
  error: z.string().max(4000).optional(),
  correlationId: z.string().min(1).max(512),
  /** When it happened, epoch milliseconds: the time of the decision, not of the write. */
  at: z.number().int().min(0).max(253402300799999),
  /** The caller's idempotency id (an EventBridge event id, a tick's id…); no spaces or `#`. */
  id: z.string().regex(/^[^\s#]{1,256}$/, 'id must be 1–256 characters without spaces or #'),
  ttlDays: z.number().int().min(1).max(3650).default(DEFAULT_TTL_DAYS),
});

/** What callers write: `ttlDays` may be left out (400 days). */
export type AuditEntry = z.input<typeof auditEntrySchema>;

/** What queries return: the entry as written, with the time it expires (epoch seconds). */
export type AuditRecord = Omit<z.output<typeof auditEntrySchema>, 'ttlDays'> & { expiresAt: number };

export interface AuditKey {
  pk: string;
  sk: string;
}

export class InvalidAuditEntryError extends Error {
  override readonly name = 'InvalidAuditEntryError';
}

/** `YYYY-MM-DD` in UTC, the `byDay` index key. */
export function dayOf(ms: number): string {
  return isoOf(ms).slice(0, 10);
}

/** ISO 8601 with milliseconds in UTC: fixed width, so it sorts as it reads (years 0000–9999). */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** The entry validated, as the item the table stores. */
export function toItem(entry: AuditEntry): AuditKey & Record<string, unknown> {
  const parsed = auditEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; ');
    throw new InvalidAuditEntryError(`Audit entry for ${String(entry.target)} is invalid: ${problems}`);
  }
  const { ttlDays, ...fields } = parsed.data;
  return {
    pk: fields.target,
    sk: `${isoOf(fields.at)}#${fields.id}`,
    day: dayOf(fields.at),
    expiresAt: Math.floor(fields.at / 1000) + ttlDays * 86_400,
    ...fields,
  };
}

const recordSchema = auditEntrySchema.omit({ ttlDays: true }).extend({ expiresAt: z.number().int() });

/** An item read back; one that does not fit is an error naming its key, not a silent gap. */
export function fromItem(item: Record<string, unknown>): AuditRecord {
  const parsed = recordSchema.safeParse(item);
  if (!parsed.success) {
    throw new InvalidAuditEntryError(`Audit item ${String(item.pk)} / ${String(item.sk)} does not fit the audit schema: ${parsed.error.message}`);
  }
  return parsed.data;
}
