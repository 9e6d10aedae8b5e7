import type { Clock } from './clock.ts';
import type { LogLine } from './lambda/logs.ts';
import type { UserIdentity } from './identity.ts';
import type { Usage } from './usage.ts';

/** What an operation sees of the world around one call. */
export interface CallContext {
  /** Local-cloud time of the call, ms since the epoch. */
  now: number;
  region: string;
  accountId: string;
  caller: UserIdentity;
  requestId: string;
}

/** One API operation: takes the parsed JSON body, returns the response object or throws AwsError. */
export type Operation = (input: unknown, ctx: CallContext) => unknown | Promise<unknown>;

/** Shared parts of the local cloud that emulators are built with. */
export interface EmulatorDeps {
  clock: Clock;
  usage: Usage;
  region: string;
  accountId: string;
}

/**
 * A service emulator: the operations it answers for one X-Amz-Target prefix. Several emulators
 * may share a prefix (WorkSpaces pools and WorkSpaces applications both answer
 * `WorkspacesService.*`); their operation names must not overlap.
 */
export interface Emulator {
  /** X-Amz-Target prefix before the dot, e.g. `WorkspacesService`. */
  readonly targetPrefix: string;
  /** CloudTrail `eventSource`, e.g. `workspaces.amazonaws.com`; none for services not audited. */
  readonly eventSource?: string;
  readonly operations: Readonly<Record<string, Operation>>;
  /** Loads a section of a seed document (see local/seed.ts). */
  seed?(section: unknown, now: number): void;
}

/** A seed document: each emulator reads its own sections (see docs in README "Seeding"). */
export type SeedDocument = Record<string, unknown>;

/** The serverless half of the local cloud: EventBridge, Step Functions and the Lambda runner. */
export interface RuntimeDeps extends EmulatorDeps {
  identities: import('./identity.ts').Identities;
  /** Path of the serverless.yml whose functions, rules and state machines are run. */
  serverlessConfigPath: string;
  stage: string;
  /** Also print handlers' log lines to stderr (they are always kept for the admin API). */
  echoFunctionLogs?: boolean;
  /** Lambda's limits (init phase, timeouts) in wall time; tests shrink them so a timeout takes milliseconds. */
  lambdaLimits?: Partial<import('./lambda/runner.ts').LambdaLimits>;
  /** Fire the scheduled rules (default true); off, only events and API calls run functions. */
  schedules?: boolean;
  /** Retry failed asynchronous invocations as Lambda does (each function's maximumRetryAttempts); default off. */
  lambdaAsyncRetries?: boolean;
}

/** An event as EventBridge carries it (CloudTrail events are one kind). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface Runtime {
  /** Emulators it answers for: `AWSEvents.*`, `AWSStepFunctions.*`. */
  readonly emulators: Emulator[];
  /** Puts an event on a bus (the default bus unless named) and routes it by the configured rules. */
  publish(event: BusEvent, busName?: string): void;
  /** Creates the declared tables and begins scheduled rules; Lambda handlers reach the edge at `endpoint`. */
  start(endpoint: string): Promise<void>;
  /**
   * Invokes a function synchronously (RequestResponse) with `event`, as a scheduler or a test would:
   * its result, or its error as Lambda reports one.
   */
  invoke(functionName: string, event: unknown): Promise<{ ok: true; payload: unknown } | { ok: false; error: unknown }>;
  /** Fault hook: the function's running invocation dies now (local/lambda/runner.ts `crash`). */
  crash(functionName: string): boolean;
  /** Fault hook: a scheduled rule's deliveries overlap (local/events/bus.ts ScheduleOverlap). */
  overlapSchedule(setting: import('./events/bus.ts').ScheduleOverlap | undefined): void;
  /** Re-arms scheduled rules from the clock's current time (after the clock was set, e.g. backwards by a seed). */
  rearmSchedules(): void;
  stop(): Promise<void>;
  /** What ran: executions, event deliveries to targets, the rules in force, handlers' log lines. */
  snapshot(): { executions: unknown[]; deliveries: unknown[]; rules: unknown[]; logs: LogLine[] };
}
