import { StateMachine } from 'aws-local-stepfunctions';
import type { Activity } from '../activity.ts';
import type { Clock } from '../clock.ts';
import type { Invocation, LambdaRunner } from '../lambda/runner.ts';
import {
  EXECUTION_CONTEXT,
  LAMBDA_INVOKE,
  type Retrier,
  type RunnablePlan,
  type TaskRequest,
  type TaskSpec,
} from './definition.ts';

// aws-local-stepfunctions v3 calls Promise.withResolvers, which Node 22 has and Node 20 lacks.
const promise = Promise as unknown as { withResolvers?: () => unknown };
promise.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const pending = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise: pending, resolve, reject };
};

/**
 * One Step Functions execution, run by aws-local-stepfunctions over a definition prepared by
 * definition.ts: Task states invoke the local Lambda functions, Wait states and retry intervals
 * park on the local clock, and the execution's TimeoutSeconds is a local-clock timer.
 *
 * A Task's TimeoutSeconds bounds the time its handler takes. The local clock stands still while a
 * handler runs (an advance waits for it), so that time is the wall time the handler runs for, the
 * time its own `Date` shows, counted in the runner's limits; past the deadline the invocation ends
 * and the Task fails with States.Timeout. A Retry or Catch naming States.TaskFailed also matches
 * that timeout here (the library tells timeouts apart by a class it does not export), where AWS
 * would not.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** States entered, branches and iterations included (what AWS bills as state transitions). */
  transitions: number;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionDeps {
  clock: Clock;
  lambdas: LambdaRunner;
  roleArn: string;
}

export interface RunningExecution {
  record: ExecutionRecord;
  /** Ends the execution as StopExecution (ABORTED) or stop of the local cloud does. */
  stop(error?: string, cause?: string): void;
}

type Json = Parameters<StateMachine['run']>[0];

export function runExecution(record: ExecutionRecord, plan: RunnablePlan, deps: ExecutionDeps): RunningExecution {
  const { clock } = deps;
  const controller = new AbortController();
  const hold = new Hold(clock.activity);
  /** Retries per run (the execution, each Map iteration, each Parallel branch), then per state. */
  const retries = new WeakMap<object, Map<string, RetryState>>();

  /** Waits on the local clock (a Wait state, a retry interval) without counting as activity. */
  async function park(until: number): Promise<void> {
    await hold.park(() => clock.sleepUntil(until, controller.signal));
  }

  async function runTask(state: string, spec: TaskSpec, input: unknown): Promise<unknown> {
    if (controller.signal.aborted) throw stateError('States.Runtime', 'The execution was stopped');
    if (spec.kind === 'wait') {
      const wait = input as { input: unknown; seconds?: unknown; timestamp?: unknown };
      await park(waitUntil(state, wait.seconds, wait.timestamp, clock.now()));
      return wait.input;
    }
    if (spec.kind === 'unsupported') {
      throw stateError(
        'States.Runtime',
        `The local cloud runs Task states that invoke Lambda functions; ${spec.resource} is not supported`,
      );
    }
    const request = input as TaskRequest;
    const visits = retries.get(request.run) ?? new Map<string, RetryState>();
    retries.set(request.run, visits);
    // A retry: the library retries at once (its interval is overridden), the interval passes here.
    const resumeAt = visits.get(state)?.resumeAt;
    if (resumeAt !== undefined) await park(resumeAt);
    try {
      const output = await invokeLambda(state, spec.resource, request);
      visits.delete(state);
      return output;
    } catch (error) {
      planRetry(spec.retry, visits, state, error instanceof Error ? error.name : 'States.Runtime', clock.now());
      throw error;
    }
  }

  async function invokeLambda(state: string, resource: string, request: TaskRequest): Promise<unknown> {
    const integration = resource === LAMBDA_INVOKE;
    const parameters = request.input as { FunctionName?: unknown; Payload?: unknown };
    const reference = integration ? String(parameters.FunctionName) : resource;
    if (!deps.lambdas.find(reference)) {
      throw stateError('Lambda.ResourceNotFoundException', `Function not found: ${reference}`);
    }
    const timeoutSeconds = taskTimeout(state, request.timeoutSeconds);
    const deadline = new AbortController();
    const timer =
      timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => deadline.abort(), timeoutSeconds * deps.lambdas.limits.secondMs);
    let invocation: Invocation;
    try {
      const event = integration ? (parameters.Payload ?? {}) : request.input;
      invocation = await deps.lambdas.invoke(reference, event, { signal: deadline.signal });
    } finally {
      clearTimeout(timer);
    }
    if (deadline.signal.aborted) {
      throw stateError('States.Timeout', `The Task ran longer than its TimeoutSeconds (${timeoutSeconds})`);
    }
    if (!invocation.ok) {
      const { errorType, errorMessage, trace } = invocation.error;
      throw stateError(errorType, JSON.stringify({ errorMessage, errorType, trace }));
    }
    return integration ? lambdaInvokeResult(invocation) : invocation.payload;
  }

  const handlers = Object.fromEntries(
    [...plan.tasks].map(([state, spec]) => [state, (input: Json) => runTask(state, spec, input) as Promise<Json>]),
  );
  const context = {
    Id: record.executionArn,
    Name: record.name,
    RoleArn: deps.roleArn,
    StartTime: new Date(record.startDate).toISOString(),
    Input: JSON.parse(record.input) as Json,
    RedriveCount: 0,
  };
  const machine = new StateMachine(plan.definition, { validationOptions: { noValidate: true } });
  const run = machine.run(context.Input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: plan.retryIntervalOverrides },
    context: {
      Execution: context,
      [EXECUTION_CONTEXT]: context,
      StateMachine: { Id: record.stateMachineArn, Name: record.stateMachineName },
    },
  });
  void recordHistory(record, run.eventLogs, plan, clock);

  const timeout =
    plan.timeoutSeconds === undefined
      ? undefined
      : clock.schedule(record.startDate + plan.timeoutSeconds * 1000, () =>
          finish('TIMED_OUT', {
            error: 'States.Timeout',
            cause: `The execution ran longer than its TimeoutSeconds (${plan.timeoutSeconds})`,
          }),
        );

  function finish(status: ExecutionStatus, fields: Partial<ExecutionRecord>): void {
    if (record.status !== 'RUNNING') return;
    Object.assign(record, { status, stopDate: clock.now() }, fields);
    if (timeout !== undefined) clock.cancel(timeout);
    if (status === 'ABORTED' || status === 'TIMED_OUT') {
      controller.abort();
      run.abort();
    }
    hold.release();
  }

  run.result.then(
    (output) => finish('SUCCEEDED', { output: JSON.stringify(output) }),
    (error: unknown) => finish('FAILED', failure(error)),
  );
  return {
    record,
    stop: (error, cause) => finish('ABORTED', { ...(error ? { error } : {}), ...(cause ? { cause } : {}) }),
  };
}

/**
 * One unit of clock activity while the execution runs; none while it is parked on the clock. A
 * Parallel or Map branch running while another waits is covered by its Lambda invocations' own
 * activity, and the library's steps between them run within one macrotask turn.
 */
class Hold {
  private parked = 0;
  private holding = false;
  private finished = false;

  constructor(private readonly activity: Activity) {
    this.sync();
  }

  async park(wait: () => Promise<void>): Promise<void> {
    this.parked += 1;
    this.sync();
    try {
      await wait();
    } finally {
      this.parked -= 1;
      this.sync();
    }
  }

  release(): void {
    this.finished = true;
    this.sync();
  }

  private sync(): void {
    const wanted = !this.finished && this.parked === 0;
    if (wanted === this.holding) return;
    this.holding = wanted;
    if (wanted) this.activity.begin();
    else this.activity.end();
  }
}

/** A Task's TimeoutSeconds (or the value its TimeoutSecondsPath found), if it has one. */
function taskTimeout(state: string, seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
    throw stateError(
      'States.Runtime',
      `The Task state '${state}' needs a TimeoutSeconds of a positive whole number, got ${JSON.stringify(seconds)}`,
    );
  }
  return seconds;
}

function waitUntil(state: string, seconds: unknown, timestamp: unknown, now: number): number {
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw stateError(
        'States.Runtime',
        `The Wait state '${state}' needs a non-negative whole number of seconds, got ${JSON.stringify(seconds)}`,
      );
    }
    return now + seconds * 1000;
  }
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) {
    throw stateError(
      'States.Runtime',
      `The Wait state '${state}' needs an ISO 8601 timestamp, got ${JSON.stringify(timestamp)}`,
    );
  }
  return Math.max(now, at);
}

/** Retries of a Task state in the current visit: attempts per retrier, and when the next may run. */
interface RetryState {
  attempts: number[];
  resumeAt?: number;
}

/**
 * Decides, as the library (and AWS, but for the timeout noted above) do, whether a failed Task is
 * retried and when: the first retrier naming the error (or States.ALL / States.TaskFailed) applies
 * while it has attempts left, waiting IntervalSeconds × BackoffRate^attempt (capped, with
 * optional full jitter). Attempts count per visit of a state in one run, reset on success or give-up.
 */
function planRetry(
  retriers: Retrier[],
  retries: Map<string, RetryState>,
  state: string,
  errorName: string,
  now: number,
): void {
  const index = retriers.findIndex((retrier) =>
    retrier.ErrorEquals.some((name) => name === errorName || name === 'States.ALL' || name === 'States.TaskFailed'),
  );
  const retrier = retriers[index];
  const attempts = retries.get(state)?.attempts ?? [];
  const done = attempts[index] ?? 0;
  if (!retrier || done >= (retrier.MaxAttempts ?? 3)) {
    retries.delete(state);
    return;
  }
  attempts[index] = done + 1;
  const seconds = Math.min(
    (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done,
    retrier.MaxDelaySeconds ?? Infinity,
  );
  const jitter = retrier.JitterStrategy === 'FULL' ? Math.random() : 1;
  retries.set(state, { attempts, resumeAt: now + jitter * seconds * 1000 });
}

/** `arn:aws:states:::lambda:invoke` answers with the Invoke API's response, the function's result in Payload. */
function lambdaInvokeResult(invocation: Invocation & { ok: true }) {
  return {
    ExecutedVersion: '$LATEST',
    Payload: invocation.payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': invocation.requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: invocation.requestId },
    StatusCode: 200,
  };
}

/** An error the library matches against Retry and Catch by name; the message is the Cause. */
function stateError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** The library rejects with ExecutionError whose cause is the state's error (name = Error, message = Cause). */
function failure(error: unknown): Partial<ExecutionRecord> {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error
    ? { error: cause.name, cause: cause.message }
    : { error: 'States.Runtime', cause: String(cause) };
}

type LibraryEvent = {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  index?: number;
  parentState?: { name: string };
  Error?: string;
  Cause?: unknown;
  input?: unknown;
  output?: unknown;
};

/** The library's event log as GetExecutionHistory events, stamped with local-cloud time. */
async function recordHistory(
  record: ExecutionRecord,
  events: AsyncIterable<unknown>,
  plan: RunnablePlan,
  clock: Clock,
): Promise<void> {
  for await (const raw of events) {
    const event = raw as LibraryEvent;
    if (event.type === 'StateEntered') record.transitions += 1;
    const entry = historyEntry(event, record, plan);
    if (!entry) continue;
    const id = record.history.length + 1;
    record.history.push({ id, previousEventId: id - 1, timestamp: clock.now(), ...entry });
  }
}

function historyEntry(
  event: LibraryEvent,
  record: ExecutionRecord,
  plan: RunnablePlan,
): { type: string; [key: string]: unknown } | undefined {
  const json = (value: unknown) => JSON.stringify(value ?? null);
  const state = event.state;
  const stateType = state && (plan.waits.has(state.name) ? 'Wait' : state.type);
  const errorDetails = { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : json(event.Cause) };
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: json(event.input), inputDetails: { truncated: false } },
      };
    case 'ExecutionSucceeded':
      return {
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output: json(event.output), outputDetails: { truncated: false } },
      };
    case 'ExecutionFailed':
      return { type: 'ExecutionFailed', executionFailedEventDetails: errorDetails };
    case 'ExecutionAborted':
      return record.status === 'TIMED_OUT'
        ? { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: record.error, cause: record.cause } }
        : { type: 'ExecutionAborted', executionAbortedEventDetails: { error: record.error, cause: record.cause } };
    case 'StateEntered':
      return {
        type: `${stateType}StateEntered`,
        stateEnteredEventDetails: { name: state?.name, input: json(state?.input), inputDetails: { truncated: false } },
      };
    case 'StateExited':
      return {
        type: `${stateType}StateExited`,
        stateExitedEventDetails: {
          name: state?.name,
          output: json(state?.output),
          outputDetails: { truncated: false },
        },
      };
    case 'StateFailed':
      if (stateType === 'Task') {
        return {
          type: 'TaskFailed',
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', ...errorDetails },
        };
      }
      return stateType === 'Map' || stateType === 'Parallel' ? { type: `${stateType}StateFailed` } : undefined;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const details = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
      return { type: event.type, [details]: { name: event.parentState?.name, index: event.index } };
    }
    default:
      return undefined;
  }
}
