import { Command, CommanderError } from 'commander';
import { messageOf } from '#local/errors.ts';
import { registerAuditCommand } from './audit.ts';
import { registerCloudCommand } from './cloud.ts';
import { registerOverrideCommand } from './override.ts';
import { registerPlanCommand } from './plan.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerStartCommand } from './start.ts';
import { registerStatusCommand } from './status.ts';
import { registerValidateCommand } from './validate.ts';

/**
 * `autopilot` — the operator's command line. Each subcommand lives in its own module and
 * registers itself here; every one has `--help`.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('autopilot')
    .description('euc-autopilot: capacity and application autopilot for WorkSpaces Pools and AppStream fleets')
    .showHelpAfterError()
    .exitOverride();
  registerAuditCommand(program);
  registerCloudCommand(program);
  registerOverrideCommand(program);
  registerPlanCommand(program);
  registerSimulateCommand(program);
  registerStartCommand(program);
  registerStatusCommand(program);
  registerValidateCommand(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`autopilot: ${messageOf(error)}\n`);
    return 1;
  }
}
