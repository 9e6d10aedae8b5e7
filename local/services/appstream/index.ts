// PLACEHOLDER — replaced by the AppStream emulator.
import type { Emulator, EmulatorDeps } from '../../service.ts';
export function createAppStreamEmulator(_deps: EmulatorDeps): Emulator {
  return { targetPrefix: 'PhotonAdminProxyService', eventSource: 'appstream.amazonaws.com', operations: {} };
}
