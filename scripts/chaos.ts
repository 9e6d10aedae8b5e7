import { Command } from 'commander';
import { compareDecisions, runFigures } from '#local/chaos/figures.ts';
import { campaignReport } from '#local/chaos/report.ts';
import { runScenario } from '#local/chaos/run.ts';
import { weekScenario } from '#local/chaos/scenario.ts';

/**
 * `npm run chaos`: the fault campaign (docs/RELIABILITY.md). The demo account through the same
 * days twice on two fresh local clouds — once clean, once under faults — then the figures of both
 * and how the faulted run's capacity differs from the clean one's. Exits 1 when a goal is missed.
 */
const options = new Command()
  .option('--days <n>', 'simulated days from Monday 05:00 UTC, up to 7 (the working week and the weekend); a working day takes about 2 min of wall time (clean and faulted), the week about 8 to 9', Number, 1)
  .option('--seed <n>', "seed of the faults' random shares", Number, 7)
  .parse()
  .opts<{ days: number; seed: number }>();

const say = (line: string) => process.stdout.write(`${line}\n`);
const progress = (label: string) => (at: number) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${label}: ${new Date(at).toISOString().slice(0, 16)} UTC\u001b[K`);
};

const clean = await runScenario(weekScenario({ days: options.days, seed: options.seed, faults: false }), progress('clean run'));
const faulted = await runScenario(weekScenario({ days: options.days, seed: options.seed, faults: true }), progress('faulted run'));
if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
const figures = { clean: runFigures(clean), faulted: runFigures(faulted) };
for (const line of campaignReport({ run: clean, figures: figures.clean }, { run: faulted, figures: figures.faulted }, compareDecisions(clean, faulted))) say(line);
const f = figures.faulted;
const missed = f.auditLost.length + f.duplicateActions.length + f.overlappingWorkflows.length + f.deploymentsNotCompleted.length + f.belowInUse.length + f.slackLost.length;
process.exitCode = missed > 0 ? 1 : 0;
