import { describe, expect, it } from 'vitest';
import { classify } from '#lib/apps/associations.ts';
import { deploymentSummaryNotice, formatDuration, principalName, resultOf, type ApplicationResult, type DeploymentReport } from '#lib/apps/summary.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';

const STARTED = Date.parse('2026-11-23T09:14:10Z');
const ALICE = 'arn:aws:sts::123456789012:assumed-role/WorkSpacesAdmin/alice';

const firefox = { applicationId: 'wsa-3kd9w2x7v', name: 'Mozilla Firefox', direction: 'install' } as const;
const diskFull: ApplicationResult = {
  applicationId: 'wsa-7hq2n5r8t',
  name: 'Microsoft Visio',
  direction: 'install',
  outcome: 'failed',
  failure: {
    code: 'ValidationError.InsufficientDiskSpace',
    message: 'The WorkSpace does not have enough free disk space for the application.',
    retryable: false,
    whatToDo: 'Free disk space on the WorkSpace (or increase its root volume), then redeploy with Force.',
  },
};

function report(applications: ApplicationResult[], changes: Partial<DeploymentReport> = {}): DeploymentReport {
  return { workspaceId: 'ws-f8k2m4p7q', applications, startedAt: STARTED, finishedAt: STARTED + 4 * 60_000 + 30_000, associatedBy: ALICE, ...changes };
}

describe('deploymentSummaryNotice: one Slack summary per workflow', () => {
  it('tells of an installed application by name, with the WorkSpace, duration and who associated it', () => {
    const notice = deploymentSummaryNotice(report([{ ...firefox, outcome: 'completed' }]));
    expect(notice).toEqual({
      severity: 'info',
      title: 'Installed Mozilla Firefox on WorkSpace ws-f8k2m4p7q',
      text: '• Mozilla Firefox (wsa-3kd9w2x7v): installed',
      facts: [
        { label: 'WorkSpace', value: 'ws-f8k2m4p7q' },
        { label: 'Applications', value: 'Mozilla Firefox (wsa-3kd9w2x7v)' },
        { label: 'Outcome', value: '1 installed' },
        { label: 'Duration', value: '4 min 30 s' },
        { label: 'Associated by', value: 'alice (role WorkSpacesAdmin)' },
      ],
      target: 'workspace/ws-f8k2m4p7q',
      actor: ALICE,
    });
  });

  it('raises a final failure as critical, with the error and what to do', () => {
    const notice = deploymentSummaryNotice(report([diskFull]));
    expect(notice.severity).toBe('critical');
    expect(notice.title).toBe('Could not install Microsoft Visio on WorkSpace ws-f8k2m4p7q');
    expect(notice.text).toBe(
      '• Microsoft Visio (wsa-7hq2n5r8t): failed with ValidationError.InsufficientDiskSpace (not retryable): The WorkSpace does not have enough free disk space for the application. What to do: Free disk space on the WorkSpace (or increase its root volume), then redeploy with Force.',
    );
  });

  it('says how many Force redeploys a retryable failure had before it gave up', () => {
    const notice = deploymentSummaryNotice(
      report([
        {
          ...firefox,
          outcome: 'failed',
          forceRedeploys: 3,
          failure: { code: 'DeploymentError.WorkspaceUnreachable', message: 'Unreachable.', retryable: true, whatToDo: 'Make sure it is AVAILABLE.' },
        },
      ]),
    );
    expect(notice.text).toContain('failed after 3 Force redeploys with DeploymentError.WorkspaceUnreachable: Unreachable.');
    expect(notice.facts).toContainEqual({ label: 'Force redeploys', value: '3' });
  });

  it.each([
    {
      says: 'warns of an incompatible application it skipped, with the reason',
      applications: [{ ...firefox, outcome: 'skipped-incompatible', reason: 'the WorkSpace runs AMAZON_LINUX_2; the application supports WINDOWS_10.' }],
      severity: 'warning',
      title: 'Skipped Mozilla Firefox on WorkSpace ws-f8k2m4p7q: not compatible',
      text: 'not compatible: the WorkSpace runs AMAZON_LINUX_2',
    },
    {
      says: 'warns of a timeout, with the state the association was left in',
      applications: [{ ...firefox, outcome: 'timed-out', lastState: 'INSTALLING' }],
      severity: 'warning',
      title: 'Timed out deploying Mozilla Firefox to WorkSpace ws-f8k2m4p7q',
      text: 'still INSTALLING when the workflow timed out after 4 min 30 s',
    },
    {
      says: 'tells of a removal as removed from the WorkSpace',
      applications: [{ ...firefox, direction: 'uninstall', outcome: 'removed' }],
      severity: 'info',
      title: 'Removed Mozilla Firefox from WorkSpace ws-f8k2m4p7q',
      text: 'removed',
    },
    {
      says: 'counts the outcomes of several applications in the title, the worst setting the severity',
      applications: [{ ...firefox, outcome: 'completed' }, diskFull, { applicationId: 'wsa-zoom00001', outcome: 'skipped-incompatible', reason: 'no.' }],
      severity: 'critical',
      title: 'Deployed applications to WorkSpace ws-f8k2m4p7q: 1 installed, 1 failed, 1 skipped as incompatible',
      text: '• wsa-zoom00001: not deployed',
    },
    {
      says: 'says there was nothing to deploy when there was nothing',
      applications: [],
      severity: 'info',
      title: 'No applications to deploy to WorkSpace ws-f8k2m4p7q',
      text: '',
    },
  ] satisfies Array<{ says: string; applications: ApplicationResult[]; severity: string; title: string; text: string }>)(
    '$says',
    ({ applications, severity, title, text }) => {
      const notice = deploymentSummaryNotice(report(applications));
      expect(notice.severity).toBe(severity);
      expect(notice.title).toBe(title);
      expect(notice.text).toContain(text);
    },
  );

  it('names the sweeper, not a person, when no CloudTrail event told of the association', () => {
    const { associatedBy: _, ...found } = report([{ ...firefox, outcome: 'completed' }]);
    const notice = deploymentSummaryNotice(found);
    expect(notice.actor).toBe('euc-autopilot');
    expect(notice.facts).toContainEqual({ label: 'Associated by', value: 'unknown: found by the deployment sweeper' });
  });

  it('fits the Operator Notice contract', () => {
    expect(() => operatorNotice.dataSchema.parse(deploymentSummaryNotice(report([{ ...firefox, outcome: 'completed' }, diskFull])))).not.toThrow();
  });
});

describe('resultOf: an association as the summary tells it', () => {
  it.each([
    { state: 'COMPLETED', outcome: 'completed' },
    { state: 'REMOVED', outcome: 'removed' },
    { state: 'ERROR', outcome: 'failed' },
    { state: 'INSTALLING', outcome: 'timed-out' },
    { state: 'PENDING_UNINSTALL', outcome: 'timed-out' },
  ] as const)('an association left $state is $outcome', ({ state, outcome }) => {
    const result = resultOf(classify({ AssociatedResourceId: 'wsa-3kd9w2x7v', WorkspaceId: 'ws-f8k2m4p7q', State: state }), { name: 'Firefox' });
    expect(result).toMatchObject({ applicationId: 'wsa-3kd9w2x7v', name: 'Firefox', outcome });
  });

  it('remembers the state a timed-out association was left in', () => {
    expect(resultOf(classify({ AssociatedResourceId: 'wsa-3kd9w2x7v', State: 'UNINSTALLING' }))).toEqual({
      applicationId: 'wsa-3kd9w2x7v',
      direction: 'uninstall',
      outcome: 'timed-out',
      lastState: 'UNINSTALLING',
    });
  });
});

describe('how people and durations read', () => {
  it.each([
    [ALICE, 'alice (role WorkSpacesAdmin)'],
    ['arn:aws:iam::123456789012:user/bob', 'bob'],
    ['arn:aws:iam::123456789012:user/division/ops/carol', 'carol'],
    ['arn:aws:iam::123456789012:root', 'root (account 123456789012)'],
    ['workspaces.amazonaws.com', 'workspaces.amazonaws.com'],
  ])('%s reads as %s', (actor, name) => {
    expect(principalName(actor)).toBe(name);
  });

  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [12 * 60_000 + 5_000, '12 min 5 s'],
    [62 * 60_000, '1 h 2 min'],
    [3_600_000, '1 h'],
    [-5_000, '0 s'],
    [Number.NaN, 'unknown'],
  ])('%s ms reads as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
