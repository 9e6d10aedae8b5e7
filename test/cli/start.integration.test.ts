import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { workingDay } from '../../cli/start.ts';
import { LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';

/**
 * `npm start`'s day, whole: the demo account under config/policies.yml on the local cloud, with
 * the operator's three actions, the summary and the report. What the issue asks of it: every user
 * finds a session, the deployment completes, capacity is saved against a peak-sized fleet.
 */
describe('npm start: the demo working day', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'autopilot-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the day with no user left without a session and ends with a report worth opening', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const report = path.join(dir, 'working-day.html');
    const cloud = await LocalCloud.start({ seed: await readSeed(path.join(PROJECT_ROOT, 'local/seeds/demo.yml')), echoFunctionLogs: false });
    let summary;
    try {
      summary = await workingDay(cloud, (line) => lines.push(line), { report });
    } finally {
      await cloud.stop();
    }

    expect(summary.shortUserMinutes).toBe(0);
    expect(lines).toContain('Users who found no free session: none.');
    expect(summary.deploymentsCompleted).toBe(1);
    // Scaled with the day, not sized for its peak: at least a quarter saved.
    expect(summary.unitHours).toBeLessThan(summary.staticUnitHours * 0.75);
    expect(summary.slackMessages).toBeGreaterThan(0);
    // The timeline: the operator's actions, each answered by the product.
    const text = lines.join('\n');
    expect(text).toMatch(/09:14 UTC: an operator associates Microsoft Visio/);
    expect(text).toMatch(/workspace\/ws-berlin0002 +deployment-completed/);
    expect(text).toMatch(/pool\/wspool-berlin001 +override-set/);
    expect(text).toMatch(/pool\/wspool-newyork01 +override-expired/);
    expect(text).toMatch(/\[07:40 New York\] +pool\/wspool-newyork01 +capacity-changed +0 → 15/);

    const html = readFileSync(report, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(4);
    // The day as it ran is measured beside the replayed policies and the baselines.
    expect(html).toContain('as run');
    expect(lines.at(-1)).toContain(report);
  });
});
