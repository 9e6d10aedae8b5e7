/** What a Step Functions `Catch` with a ResultPath puts in the state: the error's name and cause. */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

/**
 * A caught error as `errorType: errorMessage`. A Lambda function's error reaches the workflow as
 * Error = its type and Cause = the runtime's JSON ({ errorType, errorMessage, trace }); only the
 * type and message go to the audit table and Slack, never the stack trace. Any other Cause (a
 * States.* error's text) is kept as it is.
 */
export function errorText(error: CaughtError): string {
  const name = error.Error ?? 'Error';
  const cause = error.Cause?.trim();
  if (!cause) return name;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return `${name}: ${cause}`.slice(0, 1000);
  }
  if (parsed !== null && typeof parsed === 'object' && 'errorMessage' in parsed) {
    const { errorType, errorMessage } = parsed as { errorType?: unknown; errorMessage?: unknown };
    return `${typeof errorType === 'string' && errorType ? errorType : name}: ${String(errorMessage)}`.slice(0, 1000);
  }
  return `${name}: ${cause}`.slice(0, 1000);
}
