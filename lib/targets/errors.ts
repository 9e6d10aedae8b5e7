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

/**
 * The service throttled a call and the SDK's own attempts did not ride it out: AppStream's
 * RequestLimitExceededException ("the Describe calls from your account are being throttled"),
 * which is not among the error codes the SDK's retry strategy treats as throttling, so it is not
 * retried there at all. A workflow step retries it, with backoff, under this name (see
 * statemachines/capacity-change.asl.yml). Carries the service's exception as `cause`.
 */
export class TargetThrottledError extends Error {
  override readonly name = 'TargetThrottledError';

  constructor(
    message: string,
    readonly target: Pick<TargetRef, 'kind' | 'id'>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throttling answers the SDK does not retry on its own (ThrottlingException it does, and keeps its name). */
const THROTTLED = new Set(['RequestLimitExceededException']);

/** Runs one call; a throttle the SDK does not retry becomes a TargetThrottledError, anything else passes through. */
export async function throttleAware<T>(target: Pick<TargetRef, 'kind' | 'id'>, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw throttledOr(target, action, error);
  }
}

function throttledOr(target: Pick<TargetRef, 'kind' | 'id'>, action: string, error: unknown): unknown {
  if (error instanceof Error && THROTTLED.has(error.name)) {
    return new TargetThrottledError(`${target.kind} ${target.id}: the service throttled "${action}": ${error.message}`, target, {
      cause: error,
    });
  }
  return error;
}

/** The exceptions WorkSpaces and AppStream answer when a resource is mid-change. */
const BUSY = new Set(['InvalidResourceStateException', 'OperationInProgressException', 'ConcurrentModificationException']);

/**
 * Runs one change; the "busy" exceptions become a TargetBusyError, a throttle the SDK does not
 * retry a TargetThrottledError, anything else passes through.
 */
export async function busyAware<T>(target: TargetRef, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && BUSY.has(error.name)) {
      throw new TargetBusyError(`${target.kind} ${target.id} is busy and cannot ${action} now: ${error.message}`, target, {
        cause: error,
      });
    }
    throw throttledOr(target, action, error);
  }
}
