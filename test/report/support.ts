import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvTrace } from '#lib/backtest/csv.ts';
import { runBacktest, type BacktestResult } from '#lib/backtest/run.ts';
import { traceSeries } from '#lib/backtest/trace.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';

/** The backtest the README shows: the demo week under config/policies.yml, all four targets. */
export function demoBacktest(): BacktestResult {
  const trace = traceSeries(parseCsvTrace(readFileSync(path.join(PROJECT_ROOT, 'examples/demo-trace.csv'), 'utf8'), 'examples/demo-trace.csv'));
  return runBacktest({
    trace,
    policySets: [{ label: 'policies', path: 'config/policies.yml', file: loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml')) }],
    targetPolicies: { 'fleet/berlin-office-apps': 'berlin-office-apps' },
  });
}
