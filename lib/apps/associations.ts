import type { AssociationErrorCode, AssociationState, WorkspaceResourceAssociation } from '@aws-sdk/client-workspaces';

/**
 * Where each of a WorkSpace's application associations stands, and what the deployment workflow
 * does about it.
 *
 * Input: associations as DescribeWorkspaceAssociations returns them (the SDK's
 * WorkspaceResourceAssociation). Output: one classification each, and a summary of them. Pure and
 * total: any value of the SDK shape, including states and error codes this code has never seen,
 * is classified, never thrown on.
 *
 * Primary course, by `State`:
 * - PENDING_INSTALL / PENDING_UNINSTALL → 'pending': associated (or disassociated), not deployed;
 *   DeployWorkspaceApplications is what moves it on.
 * - INSTALLING / UNINSTALLING, and PENDING_INSTALL_DEPLOYMENT / PENDING_UNINSTALL_DEPLOYMENT (a
 *   deployment already queued) → 'in-progress': wait.
 * - COMPLETED / REMOVED / ERROR → 'terminal'. An ERROR is
 *   - retryable: DeploymentError.InternalServerError, DeploymentError.WorkspaceUnreachable (and any
 *     other DeploymentError.* AWS adds later): redeploy with Force;
 *   - final: ValidationError.* — the WorkSpace has to change first; it comes with what to do. An
 *     ERROR with no code, or an unknown one, is final too: retrying blindly would fail the same way.
 * - no state, or one the SDK does not know → 'unknown': not terminal, so the workflow keeps
 *   polling and the timeout reports it, rather than a silent guess.
 */

export type Direction = 'install' | 'uninstall';

interface About {
  /** The application (AssociatedResourceId); '' if the association does not say. */
  applicationId: string;
  workspaceId: string;
  /** The State as given (undefined when there was none). */
  state: AssociationState | undefined;
}

export interface AssociationFailure {
  code: string;
  message: string;
  /** true: a Force redeploy may fix it; false: something about the WorkSpace must change first. */
  retryable: boolean;
  /** For people: what to do when it stays failed (for retryable ones: once retries are used up). */
  whatToDo: string;
}

export type ClassifiedAssociation = About &
  (
    | { phase: 'pending'; direction: Direction }
    | { phase: 'in-progress'; direction: Direction }
    | { phase: 'terminal'; outcome: 'completed' }
    | { phase: 'terminal'; outcome: 'removed' }
    | { phase: 'terminal'; outcome: 'error'; failure: AssociationFailure }
    | { phase: 'unknown' }
  );

type KnownPhase =
  | { phase: 'pending'; direction: Direction }
  | { phase: 'in-progress'; direction: Direction }
  | { phase: 'terminal'; outcome: 'completed' | 'removed' | 'error' };

const PHASES = {
  PENDING_INSTALL: { phase: 'pending', direction: 'install' },
  PENDING_UNINSTALL: { phase: 'pending', direction: 'uninstall' },
  INSTALLING: { phase: 'in-progress', direction: 'install' },
  UNINSTALLING: { phase: 'in-progress', direction: 'uninstall' },
  PENDING_INSTALL_DEPLOYMENT: { phase: 'in-progress', direction: 'install' },
  PENDING_UNINSTALL_DEPLOYMENT: { phase: 'in-progress', direction: 'uninstall' },
  COMPLETED: { phase: 'terminal', outcome: 'completed' },
  REMOVED: { phase: 'terminal', outcome: 'removed' },
  ERROR: { phase: 'terminal', outcome: 'error' },
} as const satisfies Record<AssociationState, KnownPhase>;

/** Every error code the SDK knows, with whether a Force redeploy may help and what people can do. */
export const ERROR_CODES = {
  'DeploymentError.InternalServerError': {
    retryable: true,
    whatToDo: 'The deployment failed inside AWS. Redeploy with Force; if it keeps failing, open a case with AWS Support.',
  },
  'DeploymentError.WorkspaceUnreachable': {
    retryable: true,
    whatToDo:
      'The WorkSpace could not be reached. Make sure it is AVAILABLE (started, not in maintenance) and reachable from its directory, then redeploy with Force.',
  },
  'ValidationError.InsufficientDiskSpace': {
    retryable: false,
    whatToDo: 'Free disk space on the WorkSpace (or increase its root volume), then redeploy with Force.',
  },
  'ValidationError.InsufficientMemory': {
    retryable: false,
    whatToDo: 'Move the WorkSpace to a compute type with more memory that the application supports, then redeploy with Force.',
  },
  'ValidationError.UnsupportedOperatingSystem': {
    retryable: false,
    whatToDo: "The application does not support the WorkSpace's operating system: disassociate it, or use a supported WorkSpace.",
  },
  'ValidationError.ApplicationOldVersionExists': {
    retryable: false,
    whatToDo: 'Uninstall the older version of the application from the WorkSpace, then redeploy with Force.',
  },
} as const satisfies Record<AssociationErrorCode, { retryable: boolean; whatToDo: string }>;

const UNKNOWN_DEPLOYMENT_ERROR = {
  retryable: true,
  whatToDo: 'Redeploy with Force; if it keeps failing, look at the association in the WorkSpaces console.',
};
const UNKNOWN_ERROR = {
  retryable: false,
  whatToDo: 'Look at the association in the WorkSpaces console, fix what the message says, then redeploy with Force.',
};

export function classify(association: WorkspaceResourceAssociation): ClassifiedAssociation {
  const about: About = {
    applicationId: association.AssociatedResourceId ?? '',
    workspaceId: association.WorkspaceId ?? '',
    state: association.State,
  };
  const known = phaseOf(association.State);
  if (!known) return { ...about, phase: 'unknown' };
  if (known.phase !== 'terminal') return { ...about, ...known };
  if (known.outcome === 'completed') return { ...about, phase: 'terminal', outcome: 'completed' };
  if (known.outcome === 'removed') return { ...about, phase: 'terminal', outcome: 'removed' };
  return { ...about, phase: 'terminal', outcome: 'error', failure: failureOf(association.StateReason) };
}

/** Why an ERROR association failed, whether a Force redeploy may fix it, and what to do. */
export function failureOf(reason: WorkspaceResourceAssociation['StateReason']): AssociationFailure {
  const code = reason?.ErrorCode ?? 'unknown';
  const message = reason?.ErrorMessage?.trim() || 'No error message was given.';
  const rule = ruleOf(code);
  return { code, message, retryable: rule.retryable, whatToDo: rule.whatToDo };
}

function ruleOf(code: string): { retryable: boolean; whatToDo: string } {
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as AssociationErrorCode];
  return code.startsWith('DeploymentError.') ? UNKNOWN_DEPLOYMENT_ERROR : UNKNOWN_ERROR;
}

function phaseOf(state: string | undefined): KnownPhase | undefined {
  return state !== undefined && Object.hasOwn(PHASES, state) ? PHASES[state as AssociationState] : undefined;
}

export interface AssociationSummary {
  /** Application associations counted (other resource types are left out). */
  total: number;
  pending: number;
  inProgress: number;
  completed: number;
  removed: number;
  /** ERROR with a retryable reason: a Force redeploy may fix these. */
  retryable: number;
  /** ERROR with a final reason (or none): people have to act. */
  final: number;
  unknown: number;
  /** Nothing left to wait for: every association COMPLETED, REMOVED or ERROR (true for none). */
  allTerminal: boolean;
  /** Applications in PENDING_INSTALL / PENDING_UNINSTALL: a deployment is needed. */
  pendingApplicationIds: string[];
  /** Applications in ERROR that a Force redeploy may fix. */
  retryableApplicationIds: string[];
  associations: ClassifiedAssociation[];
}

/**
 * The WorkSpace's application associations at a glance. Associations of another resource type
 * (should WorkSpaces add one) are left out; those with no type are taken as applications.
 */
export function summarize(associations: readonly WorkspaceResourceAssociation[]): AssociationSummary {
  const classified = associations
    .filter((a) => a.AssociatedResourceType === undefined || a.AssociatedResourceType === 'APPLICATION')
    .map(classify);
  const count = (test: (c: ClassifiedAssociation) => boolean) => classified.filter(test).length;
  const isError = (c: ClassifiedAssociation, retryable: boolean) =>
    c.phase === 'terminal' && c.outcome === 'error' && c.failure.retryable === retryable;
  return {
    total: classified.length,
    pending: count((c) => c.phase === 'pending'),
    inProgress: count((c) => c.phase === 'in-progress'),
    completed: count((c) => c.phase === 'terminal' && c.outcome === 'completed'),
    removed: count((c) => c.phase === 'terminal' && c.outcome === 'removed'),
    retryable: count((c) => isError(c, true)),
    final: count((c) => isError(c, false)),
    unknown: count((c) => c.phase === 'unknown'),
    allTerminal: classified.every((c) => c.phase === 'terminal'),
    pendingApplicationIds: classified.filter((c) => c.phase === 'pending').map((c) => c.applicationId),
    retryableApplicationIds: classified.filter((c) => isError(c, true)).map((c) => c.applicationId),
    associations: classified,
  };
}
