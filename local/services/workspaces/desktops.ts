// PLACEHOLDER — replaced by the WorkSpaces (personal desktops + applications) emulator.
import type { Emulator, EmulatorDeps } from '../../service.ts';
export function createDesktopEmulators(_deps: EmulatorDeps): Emulator[] {
  return [];
}
