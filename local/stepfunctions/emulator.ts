import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { arn } from '../arn.ts';
import type { Clock } from '../clock.ts';
import { messageOf } from '../errors.ts';
import type { LambdaRunner } from '../lambda/runner.ts';
import { paginate } from '../paging.ts';
import { AwsError, compact, epochSeconds } from '../protocol.ts';
import type { Emulator } from '../service.ts';
import { Params } from '../validation.ts';
import { planExecution, type RunnablePlan } from './definition.ts';
import { runExecution, type ExecutionRecord, type ExecutionStatus, type RunningExecution } from './execution.ts';

/**
 * Step Functions (`AWSStepFunctions.*`, JSON 1.0) for standard workflows: state machines, and
 * executions run by aws-local-stepfunctions on the local clock (see execution.ts). StartExecution
 * is idempotent as in AWS: the same name and input while the first execution runs return it; a
 * different input, or a name whose execution has closed, is ExecutionAlreadyExists.
 */
export interface StepFunctionsDeps {
  clock: Clock;
  region: string;
  accountId: string;
  lambdas: LambdaRunner;
}

interface Machine {
  arn: string;
  name: string;
  definition: string;
  plan: RunnablePlan;
  roleArn: string;
  type: string;
  createdAt: number;
}

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
/** Names: 1–80 characters, none of whitespace, brackets, wildcards, these specials or control characters. */
const NAME = { required: true, min: 1, max: 80 } as const;
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const ERROR = 'ValidationException';

export class StepFunctions {
  readonly emulator: Emulator;
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, RunningExecution>();
  private stopped = false;

  constructor(private readonly deps: StepFunctionsDeps) {
    this.emulator = {
      targetPrefix: 'AWSStepFunctions',
      eventSource: 'states.amazonaws.com',
      operations: this.operations(),
    };
  }

  /** Creates a state machine (or returns the one of that name with the same definition). */
  define(
    name: string,
    definition: unknown,
    roleArn = arn('iam', '', this.deps.accountId, `role/${name}-role`),
    type = 'STANDARD',
  ): Machine {
    if (INVALID_NAME.test(name)) throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    const arn = this.arn('states', `stateMachine:${name}`);
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === text && existing.roleArn === roleArn) return existing;
      throw new AwsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const machine: Machine = {
      arn,
      name,
      definition: text,
      plan: planExecution(validDefinition(text)),
      roleArn,
      type,
      createdAt: this.deps.clock.now(),
    };
    this.machines.set(arn, machine);
    return machine;
  }

  /** StartExecution, also for EventBridge rule targets; refused once the local cloud stops. */
  start(stateMachineArn: string, input = '{}', name: string = randomUUID()): ExecutionRecord {
    if (this.stopped) throw new AwsError('ServiceUnavailable', 'The local cloud is stopping', 503);
    const machine = this.machine(stateMachineArn);
    if (INVALID_NAME.test(name)) throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
    try {
      JSON.parse(input);
    } catch {
      throw new AwsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input must be JSON text');
    }
    const executionArn = this.arn('states', `execution:${machine.name}:${name}`);
    const existing = this.executions.get(executionArn)?.record;
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      name,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      status: 'RUNNING',
      startDate: this.deps.clock.now(),
      input,
      history: [],
      transitions: 0,
    };
    this.executions.set(
      executionArn,
      runExecution(record, machine.plan, {
        clock: this.deps.clock,
        lambdas: this.deps.lambdas,
        roleArn: machine.roleArn,
      }),
    );
    return record;
  }

  snapshot() {
    return [...this.executions.values()].map(({ record }) =>
      compact({
        executionArn: record.executionArn,
        name: record.name,
        stateMachine: record.stateMachineName,
        stateMachineArn: record.stateMachineArn,
        status: record.status,
        startDate: new Date(record.startDate).toISOString(),
        stopDate: record.stopDate === undefined ? undefined : new Date(record.stopDate).toISOString(),
        input: parseJson(record.input),
        output: record.output === undefined ? undefined : parseJson(record.output),
        error: record.error,
        cause: record.cause,
        transitions: record.transitions,
      }),
    );
  }

  /** Ends every running execution and starts no more, as the local cloud stops. */
  stop(): void {
    this.stopped = true;
    for (const execution of this.executions.values()) execution.stop('LocalCloud.Stopped', 'The local cloud stopped');
  }

  private operations(): Emulator['operations'] {
    return {
      CreateStateMachine: (body) => {
        const p = Params.of(body, ERROR);
        const type = p.enum('type', ['STANDARD', 'EXPRESS']) ?? 'STANDARD';
        const machine = this.define(
          p.string('name', NAME),
          p.string('definition', { required: true, min: 1, max: 1_048_576 }),
          p.string('roleArn', { required: true }),
          type,
        );
        return { stateMachineArn: machine.arn, creationDate: epochSeconds(machine.createdAt) };
      },
      DescribeStateMachine: (body) => {
        const machine = this.machine(Params.of(body, ERROR).string('stateMachineArn', { required: true }));
        return {
          stateMachineArn: machine.arn,
          name: machine.name,
          status: 'ACTIVE',
          definition: machine.definition,
          roleArn: machine.roleArn,
          type: machine.type,
          creationDate: epochSeconds(machine.createdAt),
        };
      },
      ListStateMachines: (body) => {
        const p = Params.of(body, ERROR);
        const { page, nextToken } = paginate([...this.machines.values()], {
          limit: p.int('maxResults', { min: 0, max: 1000 }) || 100,
          nextToken: p.string('nextToken'),
          query: 'ListStateMachines',
          errorType: 'InvalidToken',
        });
        const stateMachines = page.map((m) => ({
          stateMachineArn: m.arn,
          name: m.name,
          type: m.type,
          creationDate: epochSeconds(m.createdAt),
        }));
        return compact({ stateMachines, nextToken });
      },
      StartExecution: (body) => {
        const p = Params.of(body, ERROR);
        const record = this.start(
          p.string('stateMachineArn', { required: true }),
          p.string('input', { max: 262_144 }),
          p.string('name', { min: 1, max: 80 }),
        );
        return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
      },
      DescribeExecution: (body) => {
        const record = this.execution(Params.of(body, ERROR).string('executionArn', { required: true }));
        return compact({
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: epochSeconds(record.startDate),
          stopDate: record.stopDate === undefined ? undefined : epochSeconds(record.stopDate),
          input: record.input,
          inputDetails: { included: true },
          output: record.output,
          outputDetails: record.output === undefined ? undefined : { included: true },
          error: record.error,
          cause: record.cause,
        });
      },
      ListExecutions: (body) => {
        const p = Params.of(body, ERROR);
        const machine = this.machine(p.string('stateMachineArn', { required: true }));
        const status = p.enum('statusFilter', STATUSES);
        // Newest first, as AWS lists them.
        const matching = [...this.executions.values()]
          .map(({ record }) => record)
          .filter((r) => r.stateMachineArn === machine.arn && (!status || r.status === status))
          .reverse();
        const { page, nextToken } = paginate(matching, {
          limit: p.int('maxResults', { min: 0, max: 1000 }) || 100,
          nextToken: p.string('nextToken'),
          query: `ListExecutions ${machine.arn} ${status ?? ''}`,
          errorType: 'InvalidToken',
        });
        const executions = page.map((r) =>
          compact({
            executionArn: r.executionArn,
            stateMachineArn: r.stateMachineArn,
            name: r.name,
            status: r.status,
            startDate: epochSeconds(r.startDate),
            stopDate: r.stopDate === undefined ? undefined : epochSeconds(r.stopDate),
          }),
        );
        return compact({ executions, nextToken });
      },
      StopExecution: (body) => {
        const p = Params.of(body, ERROR);
        const arn = p.string('executionArn', { required: true });
        const error = p.string('error', { max: 256 });
        const cause = p.string('cause', { max: 32_768 });
        this.execution(arn);
        this.executions.get(arn)?.stop(error, cause);
        return { stopDate: epochSeconds(this.execution(arn).stopDate ?? this.deps.clock.now()) };
      },
      GetExecutionHistory: (body) => {
        const p = Params.of(body, ERROR);
        const record = this.execution(p.string('executionArn', { required: true }));
        const reverse = p.bool('reverseOrder') ?? false;
        const includeData = p.bool('includeExecutionData') ?? true;
        const events = reverse ? [...record.history].reverse() : record.history;
        const { page, nextToken } = paginate(events, {
          limit: p.int('maxResults', { min: 0, max: 1000 }) || 100,
          nextToken: p.string('nextToken'),
          query: `GetExecutionHistory ${record.executionArn} ${reverse}`,
          errorType: 'InvalidToken',
        });
        const shown = page.map((event) => ({
          ...(includeData ? event : withoutData(event)),
          timestamp: epochSeconds(event.timestamp),
        }));
        return compact({ events: shown, nextToken });
      },
    };
  }

  private machine(arn: string): Machine {
    if (!/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) {
      throw new AwsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    }
    const machine = this.machines.get(arn);
    if (!machine) throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string): ExecutionRecord {
    if (!/^arn:aws:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
      throw new AwsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    }
    const execution = this.executions.get(arn);
    if (!execution) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution.record;
  }

  private arn(service: string, resource: string): string {
    return arn(service, this.deps.region, this.deps.accountId, resource);
  }
}

/** Parses and validates ASL with the library's validator, as CreateStateMachine does. */
function validDefinition(text: string): Record<string, unknown> {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch {
    throw new AwsError('InvalidDefinition', 'Invalid State Machine Definition: the definition is not JSON');
  }
  try {
    new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);
  } catch (error) {
    throw new AwsError('InvalidDefinition', `Invalid State Machine Definition: ${messageOf(error)}`);
  }
  return definition as Record<string, unknown>;
}

/** History events without the inputs and outputs (includeExecutionData: false). */
function withoutData(event: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) => {
      if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') return [key, value];
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      return [key, rest];
    }),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
