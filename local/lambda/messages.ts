/** What the Lambda runner and a function's worker thread say to each other. */

/** A function error as Lambda reports it (`FunctionError` payload). */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Given to the worker at start: the handler to load and the local-cloud time. */
export interface ContainerData {
  file: string;
  exportName: string;
  now: number;
}

/** The serialisable part of the Lambda context; the worker adds the methods. */
export interface ContextData {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  type: 'invoke';
  event: unknown;
  context: ContextData;
  timeoutMs: number;
  /** Local-cloud time at the start of the invocation. */
  now: number;
}

export type Outcome = { ok: true; payload: unknown } | { ok: false; error: LambdaError };

export type WorkerMessage =
  { type: 'ready' } | { type: 'init-error'; error: LambdaError } | ({ type: 'result' } & Outcome);

export function lambdaError(error: unknown): LambdaError {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
  }
  return { errorType: 'Error', errorMessage: String(error) };
}
