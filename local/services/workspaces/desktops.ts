import { checkSeed } from '../../seed-errors.ts';
import type { Emulator, EmulatorDeps } from '../../service.ts';
import type { Input } from '../../validation.ts';
import { createApplicationsEmulator, seedApplications } from './applications.ts';
import { createPersonalEmulator, seedDesktops } from './personal.ts';
import { createWorld, DEFAULT_DURATIONS, type World } from './state.ts';

/**
 * Personal WorkSpaces and WorkSpaces applications, two emulators over one shared world (an
 * application is deployed to a WorkSpace). Both answer `WorkspacesService.*` next to the pools
 * emulator, with operation names of their own.
 *
 * Seed section `workspaces` (all optional; lists add to what is there, an item with a known id
 * replaces it):
 *
 *   durations:          { provisionSeconds, startSeconds, stopSeconds, installSeconds, uninstallSeconds }
 *   workspaces:         [WorkspaceRequest + WorkspaceId?, State? (default AVAILABLE)]
 *   applications:       [{ ApplicationId?, Name, Description?, Owner? (AMAZON), LicenseType? (LICENSED),
 *                          State? (AVAILABLE), SupportedOperatingSystemNames, SupportedComputeTypeNames,
 *                          Created? (ISO), ConflictsWith? [ids or names] }]
 *   associations:       [{ ApplicationId, WorkspaceId | BundleId | ImageId, State? (COMPLETED),
 *                          StateReason? { ErrorCode, ErrorMessage? }, Created? (ISO) }]
 *   deploymentFailures: [{ ApplicationId, WorkspaceId, ErrorCode, ErrorMessage?, Count? (1) }]
 *                       — the next Count deployments of that application on that WorkSpace end in ERROR.
 */
export function createDesktopEmulators(_deps: EmulatorDeps): Emulator[] {
  const world = createWorld();
  return [
    { ...createPersonalEmulator(world), seed: (doc, now) => seed(world, doc, now) },
    createApplicationsEmulator(world),
  ];
}

function seed(world: World, doc: unknown, now: number): void {
  const section = (doc as { workspaces?: unknown } | undefined)?.workspaces;
  if (section === undefined) return;
  if (section === null || typeof section !== 'object' || Array.isArray(section))
    throw new RangeError('seed.workspaces must be an object');
  // Seeded into a copy that replaces the world only when all of it is good: a bad seed changes nothing.
  const draft = structuredClone(world);
  checkSeed('workspaces', () => {
    seedDurations(draft, section as Input);
    seedDesktops(draft, section as Input, now);
    seedApplications(draft, section as Input, now);
  });
  Object.assign(world, draft);
}

function seedDurations(world: World, section: Input): void {
  const durations = section.durations;
  if (durations === undefined) return;
  if (durations === null || typeof durations !== 'object')
    throw new RangeError('workspaces.durations must be an object');
  for (const [name, value] of Object.entries(durations)) {
    if (!(name in DEFAULT_DURATIONS))
      throw new RangeError(`workspaces.durations.${name} is not one of ${Object.keys(DEFAULT_DURATIONS).join(', ')}`);
    if (typeof value !== 'number' || !(value >= 0))
      throw new RangeError(`workspaces.durations.${name} must be a number of seconds ≥ 0`);
    world.durations[name as keyof World['durations']] = value;
  }
}
