#!/usr/bin/env node
// The `autopilot` CLI. Sources are TypeScript; tsx compiles them on the fly so `npx autopilot`
// works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/autopilot.ts');
process.exitCode = await main(process.argv);
