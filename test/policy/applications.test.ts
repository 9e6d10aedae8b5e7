import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { loadPolicyFile, parsePolicyFile } from '#lib/policy/load.ts';
import { applicationSettingsSchema, type ApplicationSettings } from '#lib/policy/schema.ts';
import { mistakes } from './support.ts';

const POLICIES = 'policies:\n  - name: office\n    targets: [{ kind: pool, id: wspool-berlin001 }]\n    max: 5\n';

const DEFAULTS: ApplicationSettings = {
  autoDeploy: true,
  stoppedWorkspaces: 'start',
  gracePeriodMinutes: 30,
  timeoutMinutes: 60,
  maxForceRedeploys: 3,
  firstWaitSeconds: 60,
  maxWaitSeconds: 600,
};

/** A valid policy file with `applications` lines (indented under `applications:`), or none. */
function withApplications(lines?: string): string {
  return `version: 1\n${lines === undefined ? '' : `applications:\n${lines}`}${POLICIES}`;
}


describe('the applications section of the policy file', () => {
  it('is optional: a file without it has every setting at its default', () => {
    const file = parsePolicyFile(withApplications(), 'policies.yml');

    expect(file.applications).toEqual(DEFAULTS);
  });

  it('fills in the members it leaves out', () => {
    const file = parsePolicyFile(withApplications('  autoDeploy: false\n  stoppedWorkspaces: report\n'), 'policies.yml');

    expect(file.applications).toEqual({ ...DEFAULTS, autoDeploy: false, stoppedWorkspaces: 'report' });
    expect(applicationSettingsSchema.parse({})).toEqual(DEFAULTS);
  });

  it('accepts every member at both ends of its range', () => {
    const low = parsePolicyFile(
      withApplications('  gracePeriodMinutes: 5\n  timeoutMinutes: 5\n  maxForceRedeploys: 0\n  firstWaitSeconds: 10\n  maxWaitSeconds: 60\n'),
      'policies.yml',
    );
    const high = parsePolicyFile(
      withApplications('  gracePeriodMinutes: 1440\n  timeoutMinutes: 180\n  maxForceRedeploys: 10\n  firstWaitSeconds: 600\n  maxWaitSeconds: 3600\n'),
      'policies.yml',
    );

    expect(low.applications).toEqual({ ...DEFAULTS, gracePeriodMinutes: 5, timeoutMinutes: 5, maxForceRedeploys: 0, firstWaitSeconds: 10, maxWaitSeconds: 60 });
    expect(high.applications).toEqual({ ...DEFAULTS, gracePeriodMinutes: 1440, timeoutMinutes: 180, maxForceRedeploys: 10, firstWaitSeconds: 600, maxWaitSeconds: 3600 });
  });

  it.each([
    ['gracePeriodMinutes', 4, 'must be 5 or more, got 4'],
    ['gracePeriodMinutes', 1441, 'must be 1440 or less, got 1441'],
    ['timeoutMinutes', 4, 'must be 5 or more, got 4'],
    ['timeoutMinutes', 181, 'must be 180 or less, got 181'],
    ['maxForceRedeploys', -1, 'must be 0 or more, got -1'],
    ['maxForceRedeploys', 11, 'must be 10 or less, got 11'],
    ['firstWaitSeconds', 9, 'must be 10 or more, got 9'],
    ['firstWaitSeconds', 601, 'must be 600 or less, got 601'],
    ['maxWaitSeconds', 59, 'must be 60 or more, got 59'],
    ['maxWaitSeconds', 3601, 'must be 3600 or less, got 3601'],
    ['gracePeriodMinutes', 7.5, 'expected a whole number, got 7.5'],
  ])('refuses %s: %s with the path and the bound', (member, value, message) => {
    expect(mistakes(withApplications(`  ${member}: ${value}\n`))).toEqual([`policies.yml: applications.${member}: ${message} (line 3:${member.length + 5})`]);
  });

  it('refuses a value that is not one of the choices, naming the choices', () => {
    expect(mistakes(withApplications('  stoppedWorkspaces: stat\n  autoDeploy: "yes"\n'))).toEqual([
      'policies.yml: applications.stoppedWorkspaces: "stat" is not one of start, report; did you mean start? (line 3:22)',
      'policies.yml: applications.autoDeploy: expected true or false, got "yes" (line 4:15)',
    ]);
  });

  it('refuses an unknown key with its path and the likely spelling', () => {
    expect(mistakes(withApplications('  gracePeriodMinute: 10\n'))).toEqual([
      'policies.yml: applications: unknown key `gracePeriodMinute`; did you mean `gracePeriodMinutes`? (line 3:3)',
    ]);
  });

  it('refuses anything but a mapping', () => {
    expect(mistakes(`version: 1\napplications: [autoDeploy]\n${POLICIES}`)).toEqual([
      'policies.yml: applications: expected a mapping, got a list (line 2:15)',
    ]);
  });

  it('refuses a maxWaitSeconds below firstWaitSeconds, on maxWaitSeconds, with both values', () => {
    expect(mistakes(withApplications('  firstWaitSeconds: 300\n  maxWaitSeconds: 120\n'))).toEqual([
      'policies.yml: applications.maxWaitSeconds: `maxWaitSeconds` (120) is below `firstWaitSeconds` (300): the wait doubles from the first up to this cap, ' +
        'so the cap must be at least the first wait; raise `maxWaitSeconds` or lower `firstWaitSeconds` (line 4:19)',
    ]);
    expect(parsePolicyFile(withApplications('  firstWaitSeconds: 300\n  maxWaitSeconds: 300\n'), 'policies.yml').applications.maxWaitSeconds).toBe(300);
  });

  it('loads from the example policy file of the demo account, as written there', () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'config/policies.yml'), 'utf8');
    const written = (parse(text) as { applications?: unknown }).applications;

    const file = loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml'));

    expect(written).toBeDefined();
    expect(file.applications).toEqual(written);
  });

  it('makes `autopilot validate` exit non-zero and print the path of a bad value', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'policies-')), 'policies.yml');
    writeFileSync(file, withApplications('  stoppedWorkspaces: halt\n'));

    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin/autopilot.mjs'), 'validate', file], { encoding: 'utf8' });

    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${file}: applications.stoppedWorkspaces: "halt" is not one of start, report (line 3:22)`);
  });
});
