import type { Activity } from './activity.ts';
import { messageOf } from './errors.ts';
import { EventBus, type DeliveryResult } from './events/bus.ts';
import { FunctionLogs } from './lambda/logs.ts';
import { compilePolicyFileFor } from './lambda/policy-file.ts';
import { LambdaRunner } from './lambda/runner.ts';
import {
  loadServerlessConfig,
  ServerlessConfigError,
  type RuleTarget,
} from './serverless/config.ts';
import type { Runtime, RuntimeDeps } from './service.ts';
import { StepFunctions } from './stepfunctions/emulator.ts';
import { createDeclaredTables } from './tables.ts';

/**
 * How long stopping waits, in wall time, for work in flight (a handler running) to finish before
 * ending the functions' containers anyway.
 */
export const STOP_GRACE_MS = 2_000;

/**
 * The serverless half of the local cloud, built from serverless.yml: the functions (Lambda
 * runner), the state machines (Step Functions emulator) and the rules and buses (EventBridge
 * emulator), wired so rule targets invoke functions or start executions and Task states invoke
 * functions. At start it creates the declared DynamoDB tables, then arms the schedules. Stopping
 * refuses new work first (deliveries, executions, invocations), then lets what runs settle.
 */
export async function createRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const config = loadServerlessConfig(deps.serverlessConfigPath, deps);
  // As `serverless package` does: the functions read the policy file compiled and validated.
  const policies = compilePolicyFileFor(config);
  const logs = new FunctionLogs(() => deps.clock.now(), deps.echoFunctionLogs);
  const lambdas = new LambdaRunner(policies.functions, {
    logs,
    clock: deps.clock,
    identities: deps.identities,
    region: deps.region,
    dir: config.dir,
    prefix: `${config.service}-${config.stage}`,
    limits: deps.lambdaLimits,
  });
  const stepFunctions = new StepFunctions({
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    lambdas,
  });
  for (const machine of config.stateMachines) {
    try {
      stepFunctions.define(machine.name, machine.definition);
    } catch (error) {
      policies.remove();
      throw new ServerlessConfigError(`${deps.serverlessConfigPath}: ${machine.where}: ${messageOf(error)}`);
    }
  }

  async function deliver(target: RuleTarget, input: unknown, options: { concurrent?: boolean } = {}): Promise<DeliveryResult> {
    if (target.type === 'stateMachine') {
      const execution = stepFunctions.start(target.arn, JSON.stringify(input));
      return { ok: true, response: { executionArn: execution.executionArn } };
    }
    // EventBridge invokes asynchronously: a function error is the delivery's outcome (retried by
    // the bus when lambdaAsyncRetries is on).
    const invocation = await lambdas.invoke(target.name, input, options);
    return invocation.ok ? { ok: true, response: invocation.payload } : { ok: false, error: invocation.error };
  }

  const bus = new EventBus({
    clock: deps.clock,
    region: deps.region,
    accountId: deps.accountId,
    rules: config.rules,
    buses: config.buses,
    deliver,
    ...(deps.lambdaAsyncRetries ? { asyncRetries: (target: RuleTarget) => (target.type === 'function' ? (lambdas.find(target.name)?.maximumRetryAttempts ?? 2) : 0) } : {}),
  });

  return {
    emulators: [stepFunctions.emulator, bus.emulator],
    publish: (event, busName) => bus.publish(event, busName),
    async invoke(functionName, event) {
      const invocation = await lambdas.invoke(functionName, event);
      return invocation.ok ? { ok: true, payload: invocation.payload } : { ok: false, error: invocation.error };
    },
    async start(endpoint) {
      await createDeclaredTables(endpoint, deps.region, config.tables);
      lambdas.start(endpoint);
      if (deps.schedules !== false) bus.start();
    },
    crash: (functionName) => lambdas.crash(functionName),
    overlapSchedule: (setting) => bus.overlapSchedule(setting),
    rearmSchedules() {
      bus.stop();
      if (deps.schedules !== false) bus.start();
    },
    async stop() {
      bus.close();
      stepFunctions.stop();
      await settle(deps.clock.activity, STOP_GRACE_MS);
      await lambdas.stop();
      policies.remove();
    },
    snapshot: () => ({
      executions: stepFunctions.snapshot(),
      deliveries: bus.deliveries(),
      rules: bus.rules(),
      logs: logs.list(),
    }),
  };
}

/** Resolves when nothing is in flight, or after `ms` of wall time if something still is. */
async function settle(activity: Activity, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([activity.idle(), grace]);
  } finally {
    clearTimeout(timer);
  }
}
