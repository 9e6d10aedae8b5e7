import type { Actor } from '#lib/audit/entry.ts';
import type { CapacityModel, CapacityUnit, TargetKind } from '#lib/targets/index.ts';

/**
 * The input of the `capacity-change` workflow, written by the tick and carried through every
 * state: what to do to which target, why, by whom, and until when it may take.
 */
export interface ChangeRequest {
  target: { kind: TargetKind; id: string; name: string; capacityModel: CapacityModel; unit: CapacityUnit };
  operation: 'set' | 'start' | 'stop';
  before: number;
  desired: number;
  reason: string;
  actor: Actor;
  correlationId: string;
  requestedAt: number;
  /** Epoch ms after which the change is reported as not converged. */
  deadline: number;
  /** The state item version the tick wrote when it claimed the change. */
  stateVersion: number;
  /** The latest observation, written by the observe step (and its wait before the next look). */
  observed: { waitSeconds: number; state?: string; actual?: number; available?: number; converged?: boolean; pastDeadline?: boolean };
  /** Set by a failed step (the workflow's Catch). */
  error?: { Error?: string; Cause?: string };
}
