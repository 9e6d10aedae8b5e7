import type { TargetRef } from './types.ts';

/**
 * The pool or fleet cannot take the change now (it is starting, stopping, updating, or another
 * change is in flight). Not a failure of the change: defer it and look again on a later tick.
 * Carries the service's exception as `cause`.
 */
export class TargetBusyError extends Error {
  override readonly name = 'TargetBusyError';

  constructor(
    message: string,
    readonly target: Pick<TargetRef, 'kind' | 'id'>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The exceptions WorkSpaces and AppStream answer when a resource is mid-change. */
const BUSY = new Set(['InvalidResourceStateException', 'OperationInProgressException', 'ConcurrentModificationException']);

/** Runs one change; the "busy" exceptions become a TargetBusyError, anything else passes through. */
export async function busyAware<T>(target: TargetRef, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && BUSY.has(error.name)) {
      throw new TargetBusyError(`${target.kind} ${target.id} is busy and cannot ${action} now: ${error.message}`, target, {
        cause: error,
      });
    }
    throw error;
  }
}
