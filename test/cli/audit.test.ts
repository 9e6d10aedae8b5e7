import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderTable, terminalOf, truncate } from '../../cli/terminal.ts';
import { DEFAULT_TTL_DAYS, type AuditEntry } from '#lib/audit/entry.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { useAutopilotCli } from '#test/support/cli.ts';

/** `autopilot audit` in-process against a local cloud's audit table, as an operator runs it. */
describe('autopilot audit', () => {
  const local = useLocalCloud();
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  const POLICY_FILE = path.join(PROJECT_ROOT, 'config/policies.yml');
  const LONG_REASON =
    'Window business-hours asks for 30 sessions from 07:00 Europe/Berlin; ready-by lead of 30 minutes, provisioning at about 10 sessions a minute.';

  const entries = {
    morningRamp: {
      target: 'pool/wspool-berlin001',
      kind: 'capacity-changed',
      actor: 'schedule:business-hours',
      reason: LONG_REASON,
      before: 2,
      after: 30,
      correlationId: 'tick-2026-11-23T07:00:00Z',
      at: Date.parse('2026-11-23T07:00:00Z'),
      id: 'tick-2026-11-23T07:00:00Z',
    },
    busy: {
      target: 'pool/wspool-berlin001',
      kind: 'deferred',
      actor: 'arn:aws:sts::123456789012:assumed-role/Operators/alice',
      reason: 'The pool is UPDATING; the change waits.',
      correlationId: 'tick-2026-11-23T09:30:00Z',
      at: Date.parse('2026-11-23T09:30:00Z'),
      id: 'tick-2026-11-23T09:30:00Z',
    },
    lastWeek: {
      target: 'pool/wspool-berlin001',
      kind: 'capacity-change-failed',
      actor: 'usage',
      reason: 'UpdateWorkspacesPool refused the change.',
      error: 'ValidationException: capacity above the account quota',
      before: { desired: 30, state: 'RUNNING' },
      after: { desired: 45, state: 'RUNNING' },
      correlationId: 'tick-2026-11-20T15:00:00Z',
      at: Date.parse('2026-11-20T15:00:00Z'),
      id: 'tick-2026-11-20T15:00:00Z',
    },
    yesterday: {
      target: 'fleet/newyork-design-studio',
      kind: 'started',
      actor: 'schedule:studio-hours',
      reason: 'The studio opens at 09:00 New York time.',
      correlationId: 'tick-2026-11-22T13:30:00Z',
      at: Date.parse('2026-11-22T13:30:00Z'),
      id: 'tick-2026-11-22T13:30:00Z',
    },
    deployed: {
      target: 'workspace/ws-berlin0002',
      kind: 'deployment-completed',
      actor: 'arn:aws:sts::123456789012:assumed-role/Operators/alice',
      reason: 'Installed Microsoft Visio.',
      correlationId: 'deploy-ws-berlin0002',
      at: Date.parse('2026-11-23T09:50:00Z'),
      id: 'exec-1-deployment-completed',
    },
  } satisfies Record<string, AuditEntry>;

  /** An entry as the table gives it back (and --json prints it). */
  const stored = ({ ...entry }: AuditEntry) => ({ ...entry, expiresAt: Math.floor(entry.at / 1000) + DEFAULT_TTL_DAYS * 86_400 });

  const autopilot = useAutopilotCli(local);

  beforeAll(async () => {
    const documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    for (const entry of Object.values(entries)) await recordAudit(documents, LOCAL_RESOURCES.auditTable, entry);
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs `autopilot audit --stage local …` with stdout a pipe, or a TTY of `columns` columns. */
  async function audit(args: string[], terminal: { tty?: boolean; columns?: number } = {}) {
    const { code, stdout, stderr } = await autopilot(['audit', '--stage', 'local', '--policy-file', POLICY_FILE, ...args], terminal);
    return { code, stdout, stderr, lines: stdout.split('\n').filter((line) => line !== '') };
  }

  it("shows one target's history oldest first, each time in the target's zone and in UTC, with who and what changed", async () => {
    // Act
    const { code, lines, stderr } = await audit(['--target', 'pool/wspool-berlin001', '--since', '7d']);
    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^time\s+target\s+kind\s+actor\s+change\s+reason$/);
    expect(lines[1]).toMatch(/^2026-11-20 16:00 CET \(15:00 UTC\)\s+pool\/wspool-berlin001\s+capacity-change-failed\s+usage\s+desired=30 state=RUNNING → desired=45 state=RUNNING\s+UpdateWorkspacesPool refused the change\. \(error: ValidationException: capacity above the account quota\)$/);
    expect(lines[2]).toMatch(/^2026-11-23 08:00 CET \(07:00 UTC\)\s+pool\/wspool-berlin001\s+capacity-changed\s+schedule:business-hours\s+2 → 30\s+Window business-hours/);
    // A pipe gets the whole reason.
    expect(lines[2]?.endsWith(LONG_REASON)).toBe(true);
    expect(lines[3]).toMatch(/^2026-11-23 10:30 CET \(09:30 UTC\)\s+pool\/wspool-berlin001\s+deferred\s+alice \(Operators\)\s+The pool is UPDATING/);
  });

  it('shows the times in --zone when asked, and in UTC for a target no policy names by id', async () => {
    const inNewYork = await audit(['--target', 'pool/wspool-berlin001', '--zone', 'America/New_York', '--limit', '1']);
    expect(inNewYork.lines[1]).toMatch(/^2026-11-23 04:30 EST \(09:30 UTC\)\s/);

    const workspace = await audit(['--target', 'workspace/ws-berlin0002']);
    expect(workspace.lines[1]).toMatch(/^2026-11-23 09:50 UTC\s+workspace\/ws-berlin0002\s+deployment-completed\s+alice \(Operators\)\s+Installed Microsoft Visio\.$/);
  });

  it('prints one JSON object per line, each the record as stored, oldest first and without colour', async () => {
    const { code, stdout } = await audit(['--since', '7d', '--json'], { tty: true, columns: 60 });

    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b');
    const records = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(records).toEqual([entries.lastWeek, entries.yesterday, entries.morningRamp, entries.busy, entries.deployed].map(stored));
  });

  it('keeps only the kinds asked for, across every target', async () => {
    const { lines } = await audit(['--since', '7d', '--kind', 'deferred,capacity-change-failed', '--json']);

    expect(lines.map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual(['capacity-change-failed', 'deferred']);
  });

  it('reads --since as a time that long ago, and the last 24 hours (across UTC days) without it', async () => {
    const lastHour = await audit(['--since', '1h', '--json']);
    expect(lastHour.lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([entries.busy.id, entries.deployed.id]);

    const lastDay = await audit(['--json']);
    expect(lastDay.lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([
      entries.yesterday.id,
      entries.morningRamp.id,
      entries.busy.id,
      entries.deployed.id,
    ]);
  });

  it('keeps the most recent entries with --limit, still oldest first', async () => {
    const { lines } = await audit(['--since', '7d', '--limit', '2', '--json']);

    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([entries.busy.id, entries.deployed.id]);
  });

  it('refuses a --since it cannot read, naming the option and the forms it takes', async () => {
    const { code, stdout, stderr } = await audit(['--since', 'yesterday']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("option '--since <time>' argument 'yesterday' is invalid");
    expect(stderr).toContain('ISO 8601 time (2026-11-23T08:00:00Z');
    expect(stderr).toContain('30m, 2h, 7d');
  });

  it('refuses an unknown kind, listing the valid ones', async () => {
    const { code, stderr } = await audit(['--kind', 'capacity-changed,scaled']);

    expect(code).toBe(1);
    expect(stderr).toContain('unknown kind scaled; valid kinds: capacity-changed, capacity-change-failed, deferred');
  });

  it('says on stderr that nothing matched, and exits 0', async () => {
    const { code, stdout, stderr } = await audit(['--target', 'fleet/nobody-here', '--since', '2026-11-23T00:00:00Z', '--until', '2026-11-23T06:00:00Z']);

    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('no audit entries for fleet/nobody-here between 2026-11-23T00:00:00Z and 2026-11-23T06:00:00Z (table euc-autopilot-local-audit)\n');
  });

  it('colours kinds by severity on a TTY, and not at all with NO_COLOR set', async () => {
    const coloured = await audit(['--since', '7d'], { tty: true, columns: 200 });
    expect(coloured.stdout).toContain('\u001b[31mcapacity-change-failed\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[33mdeferred\u001b[39m');

    vi.stubEnv('NO_COLOR', '1');
    const plain = await audit(['--since', '7d'], { tty: true, columns: 200 });
    expect(plain.stdout).not.toContain('\u001b');
    expect(plain.lines).toHaveLength(6);
  });

  it('fits a narrow TTY, cutting the reason first and marking every cut with …', async () => {
    const wide = await audit(['--target', 'pool/wspool-berlin001', '--since', '7d', '--kind', 'capacity-changed,deferred'], { tty: true, columns: 130 });
    expect(wide.lines[1]).toMatch(/^2026-11-23 08:00 CET \(07:00 UTC\)\s+pool\/wspool-berlin001\s+capacity-changed\s+schedule:business-hours\s+2 → 30\s+Window business-hours…$/);

    const narrow = await audit(['--target', 'pool/wspool-berlin001', '--since', '7d'], { tty: true, columns: 80 });
    expect(narrow.lines).toHaveLength(4);
    for (const line of narrow.lines) expect(Array.from(line.replace(/\u001b\[[0-9;]*m/g, '')).length).toBeLessThanOrEqual(80);
    expect(narrow.lines[2]).toMatch(/^2026-11-23 08:00 CET…\s+pool\/wspool…\s+capacity-ch…\s+schedul…\s+2 → 30\s+Window bu…$/);
  });
});

describe('terminal helpers', () => {
  it('colours only a TTY without NO_COLOR, and limits only a TTY', () => {
    expect(terminalOf({ isTTY: true, columns: 80 }, {})).toEqual({ color: true, width: 80 });
    expect(terminalOf({ isTTY: true }, { NO_COLOR: '1' })).toEqual({ color: false, width: 100 });
    expect(terminalOf({ isTTY: true, columns: 80 }, { NO_COLOR: '' })).toEqual({ color: true, width: 80 });
    expect(terminalOf({ isTTY: false, columns: 80 }, {})).toEqual({ color: false, width: undefined });
  });

  it('cuts with … and shrinks the most expendable column first, down to its minimum', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    const lines = renderTable(
      [{ header: 'id' }, { header: 'note', shrink: 2, min: 6 }, { header: 'who', shrink: 1, min: 3 }],
      [['a1', 'a long note\nwith a newline', 'somebody']],
      { width: 18 },
    );
    expect(lines).toEqual(['id  note    who', 'a1  a lon…  someb…']);
    // Narrower than every minimum: below them, the most expendable first, the unshrinkable kept.
    expect(renderTable([{ header: 'id' }, { header: 'note', shrink: 2, min: 6 }], [['a1', 'a long note']], { width: 7 })).toEqual([
      'id  no…',
      'a1  a …',
    ]);
  });
});
