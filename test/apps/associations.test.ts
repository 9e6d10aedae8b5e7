import type { AssociationState, WorkspaceResourceAssociation } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { classify, summarize } from '#lib/apps/associations.ts';

function association(State: AssociationState | undefined, changes: Partial<WorkspaceResourceAssociation> = {}): WorkspaceResourceAssociation {
  return {
    AssociatedResourceId: 'wsa-3kd9w2x7v',
    AssociatedResourceType: 'APPLICATION',
    WorkspaceId: 'ws-f8k2m4p7q',
    Created: new Date('2026-11-23T09:14:07Z'),
    LastUpdatedTime: new Date('2026-11-23T09:14:07Z'),
    ...(State ? { State } : {}),
    ...changes,
  };
}

function failed(ErrorCode: string, ErrorMessage = 'It failed.'): WorkspaceResourceAssociation {
  return association('ERROR', { StateReason: { ErrorCode: ErrorCode as never, ErrorMessage } });
}

describe('classify: where an association stands', () => {
  it.each([
    { state: 'PENDING_INSTALL', expected: { phase: 'pending', direction: 'install' }, says: 'needs a deployment to install' },
    { state: 'PENDING_UNINSTALL', expected: { phase: 'pending', direction: 'uninstall' }, says: 'needs a deployment to uninstall' },
    { state: 'INSTALLING', expected: { phase: 'in-progress', direction: 'install' }, says: 'is being installed' },
    { state: 'UNINSTALLING', expected: { phase: 'in-progress', direction: 'uninstall' }, says: 'is being uninstalled' },
    { state: 'PENDING_INSTALL_DEPLOYMENT', expected: { phase: 'in-progress', direction: 'install' }, says: 'has an install queued' },
    { state: 'PENDING_UNINSTALL_DEPLOYMENT', expected: { phase: 'in-progress', direction: 'uninstall' }, says: 'has an uninstall queued' },
    { state: 'COMPLETED', expected: { phase: 'terminal', outcome: 'completed' }, says: 'is installed' },
    { state: 'REMOVED', expected: { phase: 'terminal', outcome: 'removed' }, says: 'is removed' },
  ] as const)('an association in $state $says', ({ state, expected }) => {
    expect(classify(association(state))).toEqual({ applicationId: 'wsa-3kd9w2x7v', workspaceId: 'ws-f8k2m4p7q', state, ...expected });
  });

  it('an association with no state, or one it has never seen, is unknown and not terminal', () => {
    expect(classify(association(undefined)).phase).toBe('unknown');
    expect(classify(association('PAUSED' as AssociationState)).phase).toBe('unknown');
  });

  it('an association with no ids still classifies, with empty ids', () => {
    expect(classify({ State: 'COMPLETED' })).toMatchObject({ applicationId: '', workspaceId: '', outcome: 'completed' });
  });
});

describe('classify: whether an ERROR is worth a Force redeploy', () => {
  it.each([
    { code: 'DeploymentError.InternalServerError', retryable: true, whatToDo: 'Redeploy with Force' },
    { code: 'DeploymentError.WorkspaceUnreachable', retryable: true, whatToDo: 'Make sure it is AVAILABLE' },
    { code: 'DeploymentError.SomethingNew', retryable: true, whatToDo: 'Redeploy with Force' },
    { code: 'ValidationError.InsufficientDiskSpace', retryable: false, whatToDo: 'Free disk space on the WorkSpace' },
    { code: 'ValidationError.InsufficientMemory', retryable: false, whatToDo: 'compute type with more memory' },
    { code: 'ValidationError.UnsupportedOperatingSystem', retryable: false, whatToDo: 'disassociate it' },
    { code: 'ValidationError.ApplicationOldVersionExists', retryable: false, whatToDo: 'Uninstall the older version' },
    { code: 'SomethingElse', retryable: false, whatToDo: 'fix what the message says' },
  ])('$code is retryable: $retryable', ({ code, retryable, whatToDo }) => {
    const classified = classify(failed(code, 'The WorkSpace said no.'));
    expect(classified).toMatchObject({ phase: 'terminal', outcome: 'error', failure: { code, retryable, message: 'The WorkSpace said no.' } });
    expect(classified.phase === 'terminal' && classified.outcome === 'error' && classified.failure.whatToDo).toContain(whatToDo);
  });

  it('an ERROR with no reason is final, and says no message was given', () => {
    expect(classify(association('ERROR'))).toMatchObject({
      outcome: 'error',
      failure: { code: 'unknown', retryable: false, message: 'No error message was given.' },
    });
  });
});

describe('summarize: a WorkSpace at a glance', () => {
  it('counts each kind and lists what needs a deployment and what a Force redeploy may fix', () => {
    const summary = summarize([
      association('PENDING_INSTALL', { AssociatedResourceId: 'wsa-pending01' }),
      association('INSTALLING', { AssociatedResourceId: 'wsa-running01' }),
      association('COMPLETED', { AssociatedResourceId: 'wsa-complete1' }),
      association('REMOVED', { AssociatedResourceId: 'wsa-removed01' }),
      { ...failed('DeploymentError.WorkspaceUnreachable'), AssociatedResourceId: 'wsa-retry0001' },
      { ...failed('ValidationError.InsufficientDiskSpace'), AssociatedResourceId: 'wsa-final0001' },
      association(undefined, { AssociatedResourceId: 'wsa-unknown01' }),
    ]);
    expect(summary).toMatchObject({
      total: 7,
      pending: 1,
      inProgress: 1,
      completed: 1,
      removed: 1,
      retryable: 1,
      final: 1,
      unknown: 1,
      allTerminal: false,
      pendingApplicationIds: ['wsa-pending01'],
      retryableApplicationIds: ['wsa-retry0001'],
    });
  });

  it('every association terminal, errors included, means nothing is left to wait for', () => {
    const summary = summarize([association('COMPLETED'), failed('ValidationError.InsufficientMemory'), association('REMOVED')]);
    expect(summary.allTerminal).toBe(true);
  });

  it('a WorkSpace with no associations has nothing to wait for', () => {
    expect(summarize([])).toMatchObject({ total: 0, allTerminal: true });
  });

  it('leaves out associations of another resource type', () => {
    const summary = summarize([association('PENDING_INSTALL', { AssociatedResourceType: 'BUNDLE' as never }), association('COMPLETED')]);
    expect(summary).toMatchObject({ total: 1, pending: 0, completed: 1 });
  });
});
