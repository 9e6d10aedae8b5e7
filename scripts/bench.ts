import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runBacktest } from '#lib/backtest/run.ts';
import { syntheticUsage, type DayCurvePoint } from '#lib/backtest/synthetic.ts';
import type { TargetSeries } from '#lib/backtest/trace.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { parseDemandSetting } from '#local/usage.ts';

/**
 * `npm run bench`: backtest throughput — one year at one-minute resolution for 100 targets under
 * config/policies.yml, with the two baselines, as `autopilot simulate` runs it (the trace is made
 * in memory, so file reading is not measured). The 100 targets are the demo account's four
 * working-day curves (local/seeds/demo.yml), each on 25 targets scaled 0.5× to 1.5× with their own
 * wobble, replayed Monday to Friday. Prints wall time and target-minutes per second. Not a test.
 */
const TARGETS = Number(process.env.BENCH_TARGETS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const FROM = Date.parse('2026-01-05T00:00:00Z'); // a Monday

const seed = parse(readFileSync(path.join(PROJECT_ROOT, 'local/seeds/demo.yml'), 'utf8')) as { clock: string; usage: unknown[] };
const dayOfSeed = Math.floor(Date.parse(seed.clock) / 86_400_000) * 86_400_000;
const curves = seed.usage.map((raw, index) => {
  const setting = parseDemandSetting(raw, `usage[${index}]`);
  const curve: DayCurvePoint[] = (setting.curve ?? []).map((point) => ({ offset: point.at - dayOfSeed, sessions: point.sessions }));
  return { kind: setting.kind, id: setting.id, curve, rampMinutes: setting.rampMinutes };
});
const file = loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml'));
// The policy of each demo target, as config/policies.yml says (the Berlin fleet is picked by tags there).
const policyOfDemo: Record<string, string> = {
  'wspool-berlin001': 'berlin-sales-desktops',
  'wspool-newyork01': 'newyork-support-desktops',
  'berlin-office-apps': 'berlin-office-apps',
  'newyork-design-tools': 'newyork-design-tools',
};

let started = performance.now();
const targets: TargetSeries[] = [];
const targetPolicies: Record<string, string> = {};
for (let index = 0; index < TARGETS; index += 1) {
  const demo = curves[index % curves.length]!;
  const id = `${demo.id}-${String(index).padStart(3, '0')}`;
  const inUse = syntheticUsage({
    from: FROM,
    days: DAYS,
    curve: demo.curve,
    rampMinutes: demo.rampMinutes,
    workday: (day) => day % 7 < 5,
    seed: index,
    scale: 0.5 + (index % 11) / 10,
  });
  targets.push({ target: `${demo.kind}/${id}`, kind: demo.kind, id, inUse });
  targetPolicies[`${demo.kind}/${id}`] = policyOfDemo[demo.id]!;
}
const made = performance.now() - started;

started = performance.now();
const result = runBacktest({
  trace: { source: 'bench', from: FROM, minutes: DAYS * 1440, targets },
  policySets: [{ label: 'policies', path: 'config/policies.yml', file }],
  targetPolicies,
});
const seconds = (performance.now() - started) / 1000;
const targetMinutes = TARGETS * DAYS * 1440;
const scenarios = result.scenarios.length;

const total = result.totals.find((entry) => entry.scenario === 'policy:0')!;
const lines = [
  `backtest: ${TARGETS} targets × ${DAYS} days at 1-minute resolution = ${format(targetMinutes)} target-minutes, ${scenarios} scenarios each (policy, static, target tracking)`,
  `trace made in ${(made / 1000).toFixed(2)} s (not counted)`,
  `wall time ${seconds.toFixed(2)} s: ${format(Math.round(targetMinutes / seconds))} target-minutes/s (${format(Math.round((targetMinutes * scenarios) / seconds))} scenario-minutes/s)`,
  `policy vs static: ${total.savingsPercent?.toFixed(1)} % saved, ${format(total.shortfallUserMinutes)} user-minutes without a free session in ${format(total.shortfallEvents)} events`,
  `node ${process.version}, heap used ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`,
];
process.stdout.write(`${lines.join('\n')}\n`);

function format(value: number): string {
  return value.toLocaleString('en-US');
}
