/** WorkSpaces Pools and AppStream fleets behind one interface (see targets.ts). */
export { createTargetClients, type TargetClientOptions, type TargetClients } from './clients.ts';
export { TargetBusyError, TargetThrottledError } from './errors.ts';
export { findNativeScaling, listNativeScaling, type NativeScaling } from './native-scaling.ts';
export { globToRegExp, matchesSelector } from './select.ts';
export { describeTarget, listTargets, selectTarget, setCapacity, start, stop } from './targets.ts';
export type { CapacityModel, CapacityUnit, FleetTarget, ManagedTarget, PoolTarget, TargetKind, TargetRef } from './types.ts';
