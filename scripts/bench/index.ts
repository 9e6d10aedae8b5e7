import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { machine } from './args.ts';

/**
 * `npm run bench`: every figure of docs/BENCHMARKS.md, one script after the other (each in a
 * process of its own, so one's heap and timers do not weigh on the next), their output as is.
 * `npm run bench -- tick transitions` runs only those. The figures are copied into
 * docs/BENCHMARKS.md by hand, with the load they were measured under. Not a test.
 */
const BENCHES: Record<string, string> = {
  tick: 'scripts/bench/tick.ts',
  'cold-start': 'scripts/bench/cold-start.ts',
  transitions: 'scripts/bench/transitions.ts',
  // The backtest's throughput bench predates this folder and is kept where it was.
  backtest: 'scripts/bench.ts',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) throw new RangeError(`Unknown bench ${unknown.join(', ')}; there are ${Object.keys(BENCHES).join(', ')}`);
process.stdout.write(`euc-autopilot benchmarks on ${machine()}\n\n`);
let failed = 0;
for (const name of asked.length > 0 ? asked : Object.keys(BENCHES)) {
  const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
  const { status } = spawnSync(tsx, [BENCHES[name]!], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (status !== 0) failed += 1;
  process.stdout.write('\n');
}
process.exitCode = failed > 0 ? 1 : 0;
