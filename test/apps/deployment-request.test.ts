import { describe, expect, it } from 'vitest';
import { deploymentExecutionName, deploymentSettings, newDeploymentRequest, type DeploymentTrigger } from '#lib/apps/deployment-request.ts';
import { workspaceReadiness } from '#lib/apps/workspace-readiness.ts';
import { applicationSettingsSchema } from '#lib/policy/schema.ts';

const event = (eventId: string): DeploymentTrigger => ({
  source: 'cloudtrail',
  eventId,
  eventName: 'AssociateWorkspaceApplication',
  actor: 'arn:aws:iam::123456789012:user/bob',
  at: Date.parse('2026-11-23T09:14:07Z'),
});

describe('deploymentExecutionName: one execution per WorkSpace and trigger', () => {
  it('is the same for the same event delivered twice, and differs for another event or WorkSpace', () => {
    const name = deploymentExecutionName('ws-berlin0002', event('e1'));
    expect(deploymentExecutionName('ws-berlin0002', event('e1'))).toBe(name);
    expect(deploymentExecutionName('ws-berlin0002', event('e2'))).not.toBe(name);
    expect(deploymentExecutionName('ws-berlin0001', event('e1'))).not.toBe(name);
    expect(deploymentExecutionName('ws-berlin0002', { source: 'sweeper', sweepId: 'e1', at: 0 })).not.toBe(name);
  });

  it('fits Step Functions execution names (80 characters of [A-Za-z0-9-_]) for the longest WorkSpace id', () => {
    const longest = `ws-${'a'.repeat(63)}`;
    const name = deploymentExecutionName(longest, event('x'.repeat(256)));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('newDeploymentRequest and deploymentSettings', () => {
  it('derives the input from the trigger and the policy alone, so a redelivered event starts the same input', () => {
    const settings = deploymentSettings(applicationSettingsSchema.parse({ timeoutMinutes: 90, firstWaitSeconds: 30 }));
    expect(settings).toEqual({ stoppedWorkspaces: 'start', backoff: { initialSeconds: 30, maxSeconds: 600, timeoutSeconds: 5400, maxForceRedeploys: 3 } });
    const first = newDeploymentRequest('ws-berlin0002', event('e1'), settings);
    expect(JSON.stringify(newDeploymentRequest('ws-berlin0002', event('e1'), settings))).toBe(JSON.stringify(first));
    expect(first).toMatchObject({ requestedAt: Date.parse('2026-11-23T09:14:07Z'), progress: { done: false, deploys: 0 }, applications: {} });
    expect(first.correlationId).toBe(`deploy-${deploymentExecutionName('ws-berlin0002', event('e1'))}`);
  });
});

describe('workspaceReadiness', () => {
  it.each([
    ['AVAILABLE', 'start', 'ready'],
    ['STOPPED', 'start', 'stopped-start'],
    ['STOPPED', 'report', 'stopped-report'],
    ['STARTING', 'start', 'not-yet'],
    ['PENDING', 'start', 'not-yet'],
    ['MAINTENANCE', 'report', 'not-yet'],
    ['SOMETHING_NEW', 'start', 'not-yet'],
    ['TERMINATED', 'start', 'gone'],
    ['ERROR', 'start', 'gone'],
    ['SUSPENDED', 'start', 'gone'],
  ] as const)('%s with stoppedWorkspaces %s is %s', (state, policy, kind) => {
    expect(workspaceReadiness({ WorkspaceId: 'ws-abcdefgh1', State: state as never }, policy).kind).toBe(kind);
  });

  it('says a missing WorkSpace is gone', () => {
    expect(workspaceReadiness(undefined, 'start')).toEqual({ kind: 'gone', reason: 'the WorkSpace no longer exists' });
  });
});
