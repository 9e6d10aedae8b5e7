import { createHash } from 'node:crypto';
import type { AuditKind } from '#lib/audit/entry.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { tryPublish } from '#lib/events/publish.ts';
import { setOverride, type OverrideDeps } from '#lib/overrides/manage.ts';
import type { PolicyFile } from '#lib/policy/schema.ts';
import { readStates } from '#lib/state/target-state.ts';
import { selectTarget, type TargetClients } from '#lib/targets/index.ts';
import type { CapacityApiCall } from './cloudtrail.ts';
import { flattenSelectors } from './reconcile.ts';

/**
 * Use case: someone changed a pool or fleet (CloudTrail, through the reactor). So that a
 * resource's history is complete in one place, every call on a managed target is audited with its
 * actor; a capacity change by anyone but euc-autopilot then follows the policy's `onManualChange`.
 *
 * Primary course:
 * 1. euc-autopilot's own calls (its functions' role sessions) → 'own-call', nothing recorded here
 *    (the workflow audited them).
 * 2. The target and the policy that manages it (the first in file order, as the tick decides);
 *    none → 'unmanaged'. A deleted target was managed when the state table knows it (it is gone,
 *    so its name and tags cannot be matched any more).
 * 3. Audit the call at its CloudTrail time, keyed by the event id (a redelivered event writes
 *    nothing new): created/deleted, started/stopped, or `drift-detected` for an update.
 * 4. An update that set the capacity:
 *    - `respect`: an override `hold N` for `holdHours` (id from the event, so a redelivered event
 *      finds it set and announces nothing twice), announced with when the policy resumes;
 *    - `enforce`: announced; the next tick restores the policy's value by itself.
 * 5. A creation that a policy selects: announced, "picked up at the next tick" (the tick lists
 *    targets every minute; no redeploy needed).
 */
export interface ReactionDeps extends OverrideDeps {
  clients: Pick<TargetClients, 'workspaces' | 'appstream'>;
}

export type CapacityReaction = 'own-call' | 'unmanaged' | 'recorded' | 'respected' | 'enforced' | 'duplicate' | 'announced';

export async function reactToCapacityCall(
  deps: ReactionDeps,
  file: PolicyFile,
  call: CapacityApiCall,
  isOwnCall: (actor: string) => boolean,
): Promise<CapacityReaction> {
  if (isOwnCall(call.actor)) return 'own-call';
  const key = `${call.target.kind}/${call.target.id}`;
  const who = call.actor;
  const correlationId = `cloudtrail-${call.eventId}`;

  const record = (kind: AuditKind, reason: string, change?: { before?: number; after: number }) =>
    recordAudit(deps.documents, deps.auditTable, {
      target: key,
      kind,
      actor: who,
      reason,
      ...(change?.before !== undefined ? { before: change.before } : {}),
      ...(change ? { after: change.after } : {}),
      correlationId,
      at: call.at,
      id: `ct-${call.eventId}`,
    });

  if (call.action === 'delete') {
    // Gone, so its name and tags cannot be matched: the state table says whether it was managed.
    const known = (await readStates(deps.documents, deps.stateTable, [key])).get(key);
    if (!known || known.version === 0) return 'unmanaged';
    await record('target-deleted', `${call.eventName} by ${who}`);
    return 'recorded';
  }
  const { selectors, policyOfSelector } = flattenSelectors(file);
  const target = await selectTarget(deps.clients, call.target, selectors);
  if (!target) return 'unmanaged';
  const policy = policyOfSelector(Math.min(...target.matchedSelectors));
  const name = target.name;

  switch (call.action) {
    case 'create':
      await record('target-created', `${call.eventName} by ${who}; policy ${policy.name} manages it from the next tick`);
      await announce(deps, call, key, { severity: 'info', title: `New ${call.target.kind} ${name} is managed by policy ${policy.name}`, text: `Created by ${who}. euc-autopilot picks it up at its next tick (within a minute); no redeploy needed.` });
      return 'announced';
    case 'start':
    case 'stop':
      await record(call.action === 'start' ? 'started' : 'stopped', `${call.eventName} by ${who}`);
      return 'recorded';
    case 'update':
      break;
  }
  if (call.capacity === undefined) {
    await record('drift-detected', `${call.eventName} by ${who} changed settings other than the capacity`);
    return 'recorded';
  }
  const { unit } = target;
  const { action, holdHours } = policy.onManualChange;
  const state = (await readStates(deps.documents, deps.stateTable, [key])).get(key);
  // What euc-autopilot last set (the call itself carries only the new value).
  const before = state?.lastChange?.to;
  await record('drift-detected', `${who} set ${call.target.kind} ${name} to ${call.capacity} ${unit} (${call.eventName}); the policy says ${action}`, { before, after: call.capacity });
  if (action === 'enforce') {
    await announce(deps, call, key, {
      severity: 'warning',
      title: `Manual change on ${call.target.kind} ${name} will be undone`,
      text: `${who} set ${name} to ${call.capacity} ${unit}. Policy ${policy.name} enforces its own value (onManualChange: enforce): the next tick restores it. To keep a value for a while, set an override: autopilot override set --target ${key} --hold ${call.capacity} --for 2h --reason "…"`,
    });
    return 'enforced';
  }
  const id = `manual-${createHash('sha256').update(call.eventId).digest('hex').slice(0, 12)}`;
  if (state?.override?.id === id) return 'duplicate';
  const until = call.at + holdHours * 3_600_000;
  await setOverride(
    deps,
    key,
    {
      id,
      kind: 'hold',
      capacity: call.capacity,
      setAt: call.at,
      until,
      reason: `manual change by ${who} respected for ${holdHours} h (policy ${policy.name}: onManualChange respect); the policy resumes at ${new Date(until).toISOString()}`,
      setBy: who,
    },
    correlationId,
  );
  return 'respected';
}

async function announce(
  deps: ReactionDeps,
  call: CapacityApiCall,
  target: string,
  notice: { severity: 'info' | 'warning'; title: string; text: string },
): Promise<void> {
  await tryPublish(deps.eventBridge, deps.eventBus, operatorNotice, { ...notice, facts: [], target, actor: call.actor }, `cloudtrail-${call.eventId}`, call.at, {
    logger: deps.logger,
  });
}
