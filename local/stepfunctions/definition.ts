import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { AwsError } from '../protocol.ts';

/**
 * Prepares an ASL definition for aws-local-stepfunctions so that time is the local cloud's:
 *
 * - Wait states become Task states run by a local handler that parks on the local clock. The
 *   wait (Seconds, Timestamp, SecondsPath or TimestampPath) travels to the handler in Parameters,
 *   so paths (including `$$.` context paths) are evaluated by the library; the handler returns
 *   the state's effective input, which with the default ResultPath is exactly a Wait's output;
 *   InputPath, OutputPath, Next and End are kept.
 * - The library sleeps retry intervals and times out Tasks and executions with real timers, so
 *   retry intervals of Task states are overridden to 0 (the Task handler waits them out on the
 *   local clock before the retried attempt), the library's Task timeouts are lifted and the
 *   execution's TimeoutSeconds is kept for the runner to schedule on the local clock.
 * - A Lambda Task's Parameters are wrapped (see TaskRequest) so its handler also receives the run
 *   it belongs to, which tells Map iterations and Parallel branches apart for retries, and the
 *   Task's own TimeoutSeconds (or TimeoutSecondsPath), which the handler enforces.
 * - The library sets `$$.Execution.StartTime` to the wall clock and `$$.Execution.Input` of a Map
 *   or Parallel branch to the branch's input; context paths are pointed at a context object the
 *   runner fills from the local clock instead.
 *
 * Task handlers are keyed by state name in the library, so two Task states (in different
 * branches) may share a name only if they do the same thing.
 */
export type TaskSpec =
  { kind: 'wait' } | { kind: 'lambda'; resource: string; retry: Retrier[] } | { kind: 'unsupported'; resource: string };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/**
 * What the local handler of a Lambda Task receives. `run` is the library's own `$$.Execution`
 * object (the definition's context paths are pointed elsewhere, see above), which it creates
 * afresh for the execution, each Map iteration and each Parallel branch, and passes unchanged to
 * every retry of a Task in that run.
 */
export interface TaskRequest {
  input: unknown;
  run: object;
  timeoutSeconds?: unknown;
}

export interface RunnablePlan {
  definition: StateMachineDefinition;
  tasks: Map<string, TaskSpec>;
  /** Names of the states that were Wait states (they run as Tasks), for the history. */
  waits: Set<string>;
  retryIntervalOverrides: Record<string, number>;
  timeoutSeconds?: number;
}

/** Where the runner puts the execution's context (see above). */
export const EXECUTION_CONTEXT = 'LocalCloudExecution';
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_RESOURCE = 'arn:aws:states:::localcloud:wait';
/** The longest timer Node accepts (2^31 - 1 ms), for Task timeouts the library would otherwise apply. */
const UNLIMITED_TASK_SECONDS = 2_147_483;

type State = Record<string, unknown>;
type Machine = { States: Record<string, State>; [key: string]: unknown };
type Collected = Pick<RunnablePlan, 'tasks' | 'waits' | 'retryIntervalOverrides'>;

/** Expects a definition the library's validator accepted. */
export function planExecution(definition: Record<string, unknown>): RunnablePlan {
  const { TimeoutSeconds, ...machine } = definition;
  const plan: Collected = { tasks: new Map(), waits: new Set(), retryIntervalOverrides: {} };
  // Context paths first: the Task wrappers below read the library's own `$$.Execution`.
  const transformed: unknown = transformMachine(rewriteContextPaths(machine) as Machine, plan);
  return {
    ...plan,
    definition: transformed as StateMachineDefinition,
    ...(typeof TimeoutSeconds === 'number' ? { timeoutSeconds: TimeoutSeconds } : {}),
  };
}

function transformMachine(machine: Machine, plan: Collected): Machine {
  const { TimeoutSeconds: _ignored, ...rest } = machine;
  const states = Object.entries(machine.States).map(([name, state]) => [name, transformState(name, state, plan)]);
  return { ...rest, States: Object.fromEntries(states) };
}

function transformState(name: string, state: State, plan: Collected): State {
  // The library would sleep retry intervals in wall time. A Task's handler waits them out on the
  // local clock instead; no handler runs a Parallel or Map state, so their own retries happen at once.
  if (state.Retry) plan.retryIntervalOverrides[name] = 0;
  switch (state.Type) {
    case 'Wait':
      plan.waits.add(name);
      addTask(plan, name, { kind: 'wait' });
      return {
        ...pick(state, ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']),
        Type: 'Task',
        Resource: WAIT_RESOURCE,
        Parameters: { 'input.$': '$', ...waitParameters(state) },
        TimeoutSeconds: UNLIMITED_TASK_SECONDS,
      };
    case 'Task': {
      const resource = String(state.Resource);
      const runsLambda = resource === LAMBDA_INVOKE || /^arn:aws[\w-]*:lambda:[^:]*:\d*:function:/.test(resource);
      const retry = (state.Retry as Retrier[] | undefined) ?? [];
      addTask(plan, name, runsLambda ? { kind: 'lambda', resource, retry } : { kind: 'unsupported', resource });
      // The library's own Task timeout runs on wall time (lifted; the handler enforces TimeoutSeconds).
      // Heartbeats need task tokens, which no local handler issues.
      const {
        TimeoutSeconds: timeout,
        TimeoutSecondsPath: timeoutPath,
        HeartbeatSeconds: _heartbeat,
        HeartbeatSecondsPath: _heartbeatPath,
        ...task
      } = state;
      const parameters = runsLambda ? { Parameters: taskRequest(task.Parameters, timeout, timeoutPath) } : {};
      return { ...task, ...parameters, TimeoutSeconds: UNLIMITED_TASK_SECONDS };
    }
    case 'Parallel':
      return { ...state, Branches: (state.Branches as Machine[]).map((branch) => transformMachine(branch, plan)) };
    case 'Map': {
      const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      return { ...state, [key]: transformMachine(state[key] as Machine, plan) };
    }
    default:
      return state;
  }
}

/** A Lambda Task's Parameters as a TaskRequest: the state's own Parameters (or its input), its run, its timeout. */
function taskRequest(parameters: unknown, timeout: unknown, timeoutPath: unknown): Record<string, unknown> {
  return {
    ...(parameters === undefined ? { 'input.$': '$' } : { input: parameters }),
    'run.$': '$$.Execution',
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(timeoutPath !== undefined ? { 'timeoutSeconds.$': timeoutPath } : {}),
  };
}

function waitParameters(state: State): Record<string, unknown> {
  if (state.Seconds !== undefined) return { seconds: state.Seconds };
  if (state.Timestamp !== undefined) return { timestamp: state.Timestamp };
  if (state.SecondsPath !== undefined) return { 'seconds.$': state.SecondsPath };
  return { 'timestamp.$': state.TimestampPath };
}

function addTask(plan: Collected, name: string, spec: TaskSpec): void {
  const existing = plan.tasks.get(name);
  if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) {
    const problem = `the local cloud runs Task and Wait states by name, and two states named '${name}' differ`;
    throw new AwsError('InvalidDefinition', `Invalid State Machine Definition: ${problem}; rename one`);
  }
  plan.tasks.set(name, spec);
}

/** `$$.Execution…` → `$$.LocalCloudExecution…` in every path and payload-template value (not in Pass results). */
function rewriteContextPaths(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const isPath = key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
    return isPath ? value.replace(/\$\$\.Execution(?![\w])/g, () => `$$.${EXECUTION_CONTEXT}`) : value;
  }
  if (Array.isArray(value)) return value.map((item) => rewriteContextPaths(item, key));
  if (value === null || typeof value !== 'object' || key === 'Result') return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, rewriteContextPaths(item, name)]));
}

function pick(state: State, keys: string[]): State {
  return Object.fromEntries(keys.filter((key) => state[key] !== undefined).map((key) => [key, state[key]]));
}
