import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { workingDay } from '../../cli/start.ts';
import { LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';

/**
 * `npm start`'s day, whole: the demo account (local/seeds/demo.yml) under config/policies.yml on
 * the local cloud, the real capacity-tick every minute, the workflows, the audit table and the
 * notifier as serverless.yml wires them, with the operator's three actions, the summary and the
 * report. What the issue asks of it: every user finds a session, the deployment completes,
 * capacity is saved against a peak-sized fleet; and what the policies promise, minute by minute.
 */
describe('npm start: the demo working day', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'autopilot-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the day with no user left without a session and ends with a report worth opening', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const report = path.join(dir, 'working-day.html');
    const cloud = await LocalCloud.start({ seed: await readSeed(path.join(PROJECT_ROOT, 'local/seeds/demo.yml')), echoFunctionLogs: false });
    let summary;
    let slack: string[];
    try {
      summary = await workingDay(cloud, (line) => lines.push(line), { report });
      slack = cloud.slack.list().map((message) => JSON.stringify(message.payload));
    } finally {
      await cloud.stop();
    }
    const at = (target: string, time: string) => summary.samples.get(target)!.find((sample) => sample.at === Date.parse(`2026-11-23T${time}:00Z`))!;

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

    // The policies, as the day ran (UTC times): the design fleet stopped for the night and Berlin at its off-hours floor …
    expect(at('fleet/newyork-design-tools', '05:20').capacity).toBe(0);
    expect(at('pool/wspool-berlin001', '05:20').capacity).toBe(2);
    // … Berlin's 30 sessions there when the office opens at 07:00 local (ready-by) …
    expect(at('pool/wspool-berlin001', '06:00').capacity).toBe(30);
    // … usage scale-out ahead of the 09:00 rush: all 35 users in, room for more …
    expect(at('pool/wspool-berlin001', '08:30')).toMatchObject({ active: 35, short: 0 });
    expect(at('pool/wspool-berlin001', '08:30').capacity).toBeGreaterThan(35);
    // … the design fleet started early enough for 09:00 in New York …
    expect(at('fleet/newyork-design-tools', '14:00').capacity).toBeGreaterThanOrEqual(2);
    // … and a slow scale-in after people leave at 15:00 (30-minute stabilization), down to the floor by evening.
    expect(at('pool/wspool-berlin001', '15:10').capacity).toBeGreaterThanOrEqual(45);
    expect(at('pool/wspool-berlin001', '16:10').capacity).toBeLessThan(30);
    expect(at('pool/wspool-berlin001', '17:30').capacity).toBe(2);
    // Every change explained, in the timeline (from the audit table) and in Slack.
    expect(text).toMatch(/pool\/wspool-berlin001 +capacity-changed +2 → 30 +schedule:business-hours/);
    expect(text).toMatch(/fleet\/newyork-design-tools +stopped .*\n(.*\n)*.*fleet\/newyork-design-tools +started /);
    expect(slack.some((message) => message.includes('berlin_sales') && message.includes('2 → 30'))).toBe(true);

    const html = readFileSync(report, 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(4);
    // The day as it ran is measured beside the replayed policies and the baselines.
    expect(html).toContain('as run');
    expect(lines.at(-1)).toContain(report);
  });
});
