import type { Command } from 'commander';

/** `autopilot start` (what `npm start` runs). */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run euc-autopilot end to end on the built-in local cloud')
    .action(() => {
      process.stdout.write('not yet\n');
    });
}
