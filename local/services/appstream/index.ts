import type { Emulator, EmulatorDeps, SeedDocument } from '../../service.ts';
import { fleetOperations } from './fleets.ts';
import { seedAppStream } from './seed.ts';
import { sessionOperations } from './sessions.ts';
import { stackOperations } from './stacks.ts';
import { AppStreamStore } from './store.ts';
import { tagOperations } from './tags.ts';

/**
 * Amazon AppStream 2.0 (WorkSpaces Applications) as the local cloud answers it: fleets with their
 * lifecycle and capacity on the local clock, stacks and their fleet, streaming sessions of the
 * simulated users, and tags. Seeds read the `appstream` section (see seed.ts).
 */
export function createAppStreamEmulator(deps: EmulatorDeps): Emulator {
  const store = new AppStreamStore(deps);
  return {
    targetPrefix: 'PhotonAdminProxyService',
    eventSource: 'appstream.amazonaws.com',
    operations: {
      ...fleetOperations(store),
      ...stackOperations(store),
      ...sessionOperations(store),
      ...tagOperations(store),
    },
    seed: (document, now) => seedAppStream(store, document as SeedDocument, now),
  };
}

export { FLEET_START_SECONDS, FLEET_STOP_SECONDS, DEFAULT_PROVISIONING_RATE_PER_MINUTE } from './store.ts';
export { SIMULATED_AUTHENTICATION_TYPE } from './sessions.ts';
