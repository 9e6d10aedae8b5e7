import type { WorkspaceResourceAssociation } from '@aws-sdk/client-workspaces';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, summarize, type AssociationFailure } from '#lib/apps/associations.ts';
import { DEFAULT_BACKOFF, nextDeployStep, nextWait, waitsUntilTimeout, backoffPolicy } from '#lib/apps/backoff.ts';
import { parseWorkspacesApiCall } from '#lib/apps/cloudtrail.ts';
import { checkCompatibility } from '#lib/apps/compatibility.ts';
import { deploymentSummaryNotice, resultOf, type ApplicationResult } from '#lib/apps/summary.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { loadEvent } from '#test/support/events.ts';

const STATES = [
  'PENDING_INSTALL',
  'PENDING_INSTALL_DEPLOYMENT',
  'PENDING_UNINSTALL',
  'PENDING_UNINSTALL_DEPLOYMENT',
  'INSTALLING',
  'UNINSTALLING',
  'ERROR',
  'COMPLETED',
  'REMOVED',
];
const CODES = [
  'ValidationError.ApplicationOldVersionExists',
  'ValidationError.InsufficientDiskSpace',
  'ValidationError.InsufficientMemory',
  'ValidationError.UnsupportedOperatingSystem',
  'DeploymentError.InternalServerError',
  'DeploymentError.WorkspaceUnreachable',
];

/** Known values mostly, with anything else a string can be (and absences) mixed in. */
const anyOf = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.string());

const anyAssociation: fc.Arbitrary<WorkspaceResourceAssociation> = fc.record(
  {
    AssociatedResourceId: fc.string(),
    AssociatedResourceType: fc.constantFrom('APPLICATION', 'OTHER'),
    WorkspaceId: fc.string(),
    State: anyOf(STATES),
    StateReason: fc.record({ ErrorCode: anyOf(CODES), ErrorMessage: fc.string() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<WorkspaceResourceAssociation>;

describe('parseWorkspacesApiCall never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const parsed = parseWorkspacesApiCall(JSON.parse(text));
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('on a sample event with any part of its detail replaced by arbitrary JSON', () => {
    const keys = ['eventName', 'eventID', 'eventTime', 'userIdentity', 'requestParameters', 'responseElements', 'errorCode'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const event = loadEvent<{ detail: Record<string, unknown> }>('cloudtrail/associate-workspace-application');
        event.detail[key] = value;
        const parsed = parseWorkspacesApiCall(event);
        if (!parsed.ok) expect(parsed.detail.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('on anything at all', () => {
    fc.assert(fc.property(fc.anything(), (value) => void parseWorkspacesApiCall(value)), { numRuns: 300 });
  });
});

describe('classify and summarize are total', () => {
  it('every association gets exactly one phase, and an ERROR always says what to do', () => {
    fc.assert(
      fc.property(anyAssociation, (association) => {
        const classified = classify(association);
        expect(['pending', 'in-progress', 'terminal', 'unknown']).toContain(classified.phase);
        if (classified.phase === 'terminal' && classified.outcome === 'error') {
          expect(classified.failure.whatToDo.length).toBeGreaterThan(0);
          expect(classified.failure.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('the counts add up, and all-terminal holds exactly when nothing is pending, running or unknown', () => {
    fc.assert(
      fc.property(fc.array(anyAssociation, { maxLength: 20 }), (associations) => {
        const s = summarize(associations);
        expect(s.pending + s.inProgress + s.completed + s.removed + s.retryable + s.final + s.unknown).toBe(s.total);
        expect(s.allTerminal).toBe(s.pending + s.inProgress + s.unknown === 0);
        expect(s.retryableApplicationIds).toHaveLength(s.retryable);
      }),
    );
  });

  it('the retry policy never redeploys with Force beyond its limit, nor deploys while something runs', () => {
    fc.assert(
      fc.property(fc.array(anyAssociation, { maxLength: 10 }), fc.nat(6), (associations, forceRedeploys) => {
        const s = summarize(associations);
        const step = nextDeployStep(s, { forceRedeploys });
        if (step.action === 'deploy') {
          expect(s.inProgress + s.unknown).toBe(0);
          if (step.force) expect(forceRedeploys).toBeLessThan(DEFAULT_BACKOFF.maxForceRedeploys);
        }
      }),
    );
  });
});

describe('waits', () => {
  it('never exceed the cap, never shrink, and add up to the timeout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 1, max: 7200 }), (initial, extra, timeout) => {
        const policy = backoffPolicy({ initialSeconds: initial, maxSeconds: initial + extra, timeoutSeconds: timeout });
        const waits = waitsUntilTimeout(policy);
        expect(waits.reduce((a, b) => a + b, 0)).toBe(timeout);
        expect(waits.every((w) => w > 0 && w <= policy.maxSeconds)).toBe(true);
        for (let i = 1; i < waits.length - 1; i += 1) expect(nextWait(i, policy)).toBeGreaterThanOrEqual(nextWait(i - 1, policy));
      }),
    );
  });
});

describe('checkCompatibility is total', () => {
  it('says compatible, or gives a reason, for any pair', () => {
    const list = fc.option(fc.array(fc.string(), { maxLength: 5 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ OperatingSystemName: fc.option(fc.string(), { nil: undefined }), ComputeTypeName: fc.option(fc.string(), { nil: undefined }) }),
        fc.record({ SupportedOperatingSystemNames: list, SupportedComputeTypeNames: list, State: fc.option(fc.string(), { nil: undefined }) }),
        (workspace, application) => {
          const result = checkCompatibility(workspace as never, application as never);
          if (!result.compatible) expect(result.reason.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('the summary is total', () => {
  const anyFailure: fc.Arbitrary<AssociationFailure> = fc.record({ code: fc.string(), message: fc.string(), retryable: fc.boolean(), whatToDo: fc.string() });
  const anyResult: fc.Arbitrary<ApplicationResult> = fc.oneof(
    anyAssociation.map((a) => resultOf(classify(a))),
    fc.record({
      applicationId: fc.string(),
      name: fc.string({ maxLength: 300 }),
      outcome: fc.constant('failed' as const),
      failure: anyFailure,
      forceRedeploys: fc.nat(5),
    }),
    fc.record({ applicationId: fc.string(), outcome: fc.constant('skipped-incompatible' as const), reason: fc.string({ maxLength: 2000 }) }),
  );

  it('always fits the Operator Notice contract, its severity following the worst outcome', () => {
    fc.assert(
      fc.property(
        fc.array(anyResult, { maxLength: 60 }),
        fc.string({ maxLength: 2000 }),
        fc.integer(),
        fc.integer(),
        fc.option(fc.string({ maxLength: 3000 }), { nil: undefined }),
        (applications, workspaceId, startedAt, finishedAt, associatedBy) => {
          const notice = deploymentSummaryNotice({ workspaceId, applications, startedAt, finishedAt, ...(associatedBy !== undefined ? { associatedBy } : {}) });
          expect(operatorNotice.dataSchema.safeParse(notice).success).toBe(true);
          const worst = applications.some((a) => a.outcome === 'failed') ? 'critical' : applications.some((a) => a.outcome !== 'completed' && a.outcome !== 'removed') ? 'warning' : 'info';
          expect(notice.severity).toBe(worst);
        },
      ),
      { numRuns: 200 },
    );
  });
});
