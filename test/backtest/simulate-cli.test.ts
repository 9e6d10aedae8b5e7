import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/autopilot.ts';

/** `autopilot simulate` in this process, stdout a pipe: its exit code and what it printed. */
async function autopilot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'autopilot', 'simulate', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('autopilot simulate', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'simulate-'));
  const DEMO = ['--trace', 'examples/demo-trace.csv', '--policy-file', 'config/policies.yml'];
  const BERLIN_FLEET = ['--target-policy', 'fleet/berlin-office-apps=berlin-office-apps'];

  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints the summary table for the demo trace and writes the report', async () => {
    // Prepare
    vi.stubEnv('NO_COLOR', '1');
    const report = path.join(scratch, 'nested', 'report.html');

    // Act
    const { code, stdout, stderr } = await autopilot([...DEMO, ...BERLIN_FLEET, '--report', report]);

    // Assess: a row per target and scenario, then the totals.
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('examples/demo-trace.csv: 4 targets, 2026-11-23T00:00Z to 2026-11-30T00:00Z (7.0 days), tick 1 min');
    expect(lines[1]).toMatch(/^TARGET +SCENARIO +POLICY \/ SIZED BY +CAPACITY-HOURS +COST +SAVED +NO-SESSION USER-MIN +EVENTS +CHANGES$/);
    expect(lines).toHaveLength(2 + 4 * 3 + 3);
    expect(lines[2]).toMatch(/^fleet\/berlin-office-apps +policies +berlin-office-apps +[\d,.]+ instance-h/);
    expect(lines.filter((line) => line.startsWith('total'))).toHaveLength(3);
    expect(stdout).not.toContain('\u001b[');
    expect(stderr).toContain('prices are placeholders, not AWS prices');
    expect(stderr).toContain(`wrote ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<section class="chart"/g)).toHaveLength(4);
  });

  it('prints one JSON object per target and scenario, then the totals, priced as told', async () => {
    const { code, stdout } = await autopilot([...DEMO, ...BERLIN_FLEET, '--json', '--price', 'pool=1', '--price', 'fleet=1']);

    expect(code).toBe(0);
    const objects = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.filter((object) => object.type === 'result')).toHaveLength(12);
    expect(objects.filter((object) => object.type === 'total').map((object) => object.scenario)).toEqual(['policies', 'static', 'target tracking']);
    for (const object of objects.filter((candidate) => candidate.type === 'result')) {
      expect(object.cost).toBeCloseTo(object.capacityHours as number, 1);
    }
    const staticPool = objects.find((object) => object.target === 'pool/wspool-berlin001' && object.scenario === 'static')!;
    expect(staticPool).toMatchObject({ detail: '46 (peak + 5 free, berlin-sales-desktops)', capacityHours: 46 * 24 * 7, shortfallUserMinutes: 0, savingsPercent: 0 });
  });

  it('says which target no policy selects offline and goes on with the others', async () => {
    const { code, stdout, stderr } = await autopilot([...DEMO, '--json']);

    expect(code).toBe(0);
    expect(stderr).toContain('fleet/berlin-office-apps left out: no policy in config/policies.yml selects it by id or name pattern');
    expect(stderr).toContain('--target-policy fleet/berlin-office-apps=<policy name>');
    expect(stdout).not.toContain('fleet/berlin-office-apps');
  });

  it('names the line and column of a bad row and exits 1', async () => {
    const trace = path.join(scratch, 'bad.csv');
    writeFileSync(trace, 'timestamp,target,activeSessions\n2026-11-23T08:00:00Z,pool/wspool-berlin001,3\n2026-11-23T08:01:00Z,pool/wspool-berlin001,many\n');

    const { code, stdout, stderr } = await autopilot(['--trace', trace]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${trace}:3:44: activeSessions: "many" is not a whole number ≥ 0`);
  });

  it('reads a CloudWatch export with --metric-target', async () => {
    const trace = path.join(scratch, 'metrics.json');
    const timestamps = Array.from({ length: 120 }, (_, minute) => new Date(Date.parse('2026-11-23T07:00:00Z') + minute * 60_000).toISOString());
    const values = timestamps.map((_, minute) => (minute < 60 ? 2 : 20));
    writeFileSync(trace, JSON.stringify({ MetricDataResults: [{ Id: 'm1', Label: 'ActiveUserSessionCapacity', Timestamps: timestamps, Values: values }] }));

    const { code, stdout } = await autopilot(['--trace', trace, '--metric-target', 'm1=pool/wspool-berlin001', '--json']);

    expect(code).toBe(0);
    const rows = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ type: 'result', target: 'pool/wspool-berlin001', scenario: 'policies', detail: 'berlin-sales-desktops' });
    expect(rows[1]).toMatchObject({ scenario: 'static', capacityHours: 25 * 2 });
  });

  it('refuses options it cannot use, naming the forms they take', async () => {
    const tick = await autopilot([...DEMO, '--tick', '90s']);
    expect(tick.code).toBe(1);
    expect(tick.stderr).toContain('expected whole minutes: 1m, 5m, 1h.');

    const price = await autopilot([...DEMO, '--price', 'gpu=3']);
    expect(price.code).toBe(1);
    expect(price.stderr).toContain('"gpu" is not pool, fleet, pool/<pool id> or fleet/<fleet name>');

    const policyName = await autopilot([...DEMO, '--target-policy', 'fleet/berlin-office-apps=nope']);
    expect(policyName.code).toBe(1);
    expect(policyName.stderr).toContain('config/policies.yml has no policy named "nope"');

    const lag = await autopilot([...DEMO, '--provisioning', 'fleet.start=soon']);
    expect(lag.code).toBe(1);
    expect(lag.stderr).toContain('expected a duration such as 10m or 90s');
  });
});
