// Entry of a local Lambda container (a worker thread). Node 20 ignores `--import tsx` in a worker's
// execArgv, so the worker registers tsx itself before loading the TypeScript runtime and handler.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
