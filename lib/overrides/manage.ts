import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { recordAudit } from '#lib/audit/record-audit.ts';
import type { Actor } from '#lib/audit/entry.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { tryPublish, type PublishLogger } from '#lib/events/publish.ts';
import { readStates, writeOverride } from '#lib/state/target-state.ts';
import { describeOverride, isActive, overrideSchema, type Override } from './override.ts';

/**
 * Use cases: set, clear and list overrides (the CLI's `autopilot override`, and the CloudTrail
 * reactor when it respects a manual change). Every set and clear is written to the target's
 * state, audited and announced; the tick honours the override and announces its expiry
 * (lib/capacity/reconcile.ts).
 */
export interface OverrideDeps {
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  stateTable: string;
  auditTable: string;
  eventBus: string;
  logger: PublishLogger;
}

export class InvalidOverrideError extends Error {
  override readonly name = 'InvalidOverrideError';
}

const TARGET = /^(?:pool\/wspool-[0-9a-z]{9}|fleet\/[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99})$/;

/** `pool/wspool-…` or `fleet/<name>`, or an error that says so. */
export function checkTarget(target: string): string {
  if (!TARGET.test(target)) throw new InvalidOverrideError(`target "${target}" must be pool/<pool id> (pool/wspool-abc123def) or fleet/<fleet name>`);
  return target;
}

export async function setOverride(deps: OverrideDeps, target: string, override: Override, correlationId: string): Promise<void> {
  checkTarget(target);
  const parsed = overrideSchema.safeParse(override);
  if (!parsed.success) {
    throw new InvalidOverrideError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'override'}: ${issue.message}`).join('; '));
  }
  await writeOverride(deps.documents, deps.stateTable, target, parsed.data);
  const reason = `Override ${override.id} set on ${target}: ${describeOverride(override)} until ${new Date(override.until).toISOString()} (${override.reason})`;
  await announce(deps, target, 'override-set', override.setBy, reason, override, override.setAt, `${override.id}-set`, correlationId);
}

/** Clears the target's override; the one cleared, or undefined when none was in force. */
export async function clearOverride(
  deps: OverrideDeps,
  target: string,
  by: { actor: Actor; now: number; reason?: string },
  correlationId: string,
): Promise<Override | undefined> {
  checkTarget(target);
  const override = (await readStates(deps.documents, deps.stateTable, [target])).get(target)?.override;
  if (!isActive(override, by.now)) return undefined;
  // Only this override: one set meanwhile is someone else's news.
  if (!(await writeOverride(deps.documents, deps.stateTable, target, undefined, override.id))) return undefined;
  const reason = `Override ${override.id} (${describeOverride(override)}) cleared on ${target} before ${new Date(override.until).toISOString()}${by.reason ? `: ${by.reason}` : ''}; the policy applies again`;
  await announce(deps, target, 'override-cleared', by.actor, reason, override, by.now, `${override.id}-cleared`, correlationId);
  return override;
}

/** Every target's override in force at `now` (a scan of the state table: an operator's occasional question, not a tick's). */
export async function listOverrides(deps: Pick<OverrideDeps, 'documents' | 'stateTable'>, now: number): Promise<Array<{ target: string; override: Override }>> {
  const found: Array<{ target: string; override: Override }> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.documents.send(
      new ScanCommand({ TableName: deps.stateTable, FilterExpression: 'attribute_exists(#override)', ExpressionAttributeNames: { '#override': 'override' }, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) {
      const override = overrideSchema.safeParse(item.override);
      if (override.success && isActive(override.data, now)) found.push({ target: String(item.pk), override: override.data });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found.sort((a, b) => a.target.localeCompare(b.target));
}

async function announce(
  deps: OverrideDeps,
  target: string,
  kind: 'override-set' | 'override-cleared',
  actor: Actor,
  reason: string,
  override: Override,
  at: number,
  id: string,
  correlationId: string,
): Promise<void> {
  await recordAudit(deps.documents, deps.auditTable, { target, kind, actor, reason, correlationId, at, id });
  await tryPublish(
    deps.eventBridge,
    deps.eventBus,
    operatorNotice,
    {
      severity: 'info',
      title: kind === 'override-set' ? `Override on ${target}: ${describeOverride(override)}` : `Override on ${target} cleared`,
      text: reason,
      facts: [
        { label: 'Override', value: describeOverride(override) },
        { label: 'Until', value: new Date(override.until).toISOString() },
      ],
      target,
      actor,
    },
    correlationId,
    at,
    { logger: deps.logger },
  );
}
