// PLACEHOLDER — replaced by the WorkSpaces Pools emulator.
import type { Emulator, EmulatorDeps } from '../../service.ts';
export function createPoolsEmulator(_deps: EmulatorDeps): Emulator {
  return { targetPrefix: 'WorkspacesService', eventSource: 'workspaces.amazonaws.com', operations: {} };
}
