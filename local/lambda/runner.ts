import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../clock.ts';
import type { Identities } from '../identity.ts';
import { sha256Hex } from '../ids.ts';
import type { FunctionConfig } from '../serverless/config.ts';
import type { FunctionLogs } from './logs.ts';
import {
  lambdaError,
  type ContainerData,
  type ContextData,
  type InvokeMessage,
  type LambdaError,
  type Outcome,
  type WorkerMessage,
} from './messages.ts';

export type { LambdaError };

/**
 * Runs the functions of serverless.yml as Lambda would: each in its own container (a worker
 * thread with its own module graph and process.env), cold-started on first use and kept warm,
 * one invocation at a time per container. A function's environment is its resolved serverless.yml
 * environment plus what Lambda sets (region, function name, log group…), the local edge as
 * AWS_ENDPOINT_URL, and credentials of its own, registered as the function's assumed role so
 * CloudTrail shows who acted. Invocations count as clock activity, cold start included.
 *
 * Handlers run in real time while the local clock stands still (an advance waits for them), so
 * Lambda's limits are measured on the wall clock: the init phase, the function's timeout and a
 * caller's deadline (a Task's TimeoutSeconds, see InvokeOptions).
 */
export type Invocation = { requestId: string; functionName: string } & Outcome;

/** Lambda's limit on the init phase: a handler module still loading after 10 s fails the invocation. */
export const INIT_TIMEOUT_MS = 10_000;

/** Lambda's limits in wall-clock milliseconds; tests pass smaller ones so that a timeout takes milliseconds. */
export interface LambdaLimits {
  /** How long loading the handler module (the cold start) may take. */
  initMs: number;
  /** How long one second of a function's timeout, or of a caller's deadline, lasts. */
  secondMs: number;
}

export const LAMBDA_LIMITS: LambdaLimits = { initMs: INIT_TIMEOUT_MS, secondMs: 1000 };

export interface InvokeOptions {
  /**
   * The caller stops waiting (a Task's TimeoutSeconds has passed): the invocation ends at once,
   * its container is discarded, and it answers with the signal's reason. AWS would let the
   * function run on, but nothing would read its result.
   */
  signal?: AbortSignal;
  /**
   * Run next to an invocation in progress rather than after it, in a second container, as Lambda
   * does for concurrent invocations of a function with no reserved concurrency of 1: how a fault
   * campaign overlaps two capacity ticks. Without it, a function's invocations queue.
   */
  concurrent?: boolean;
}

export interface LambdaRunnerDeps {
  clock: Clock;
  identities: Identities;
  region: string;
  /** Directory of serverless.yml (LAMBDA_TASK_ROOT). */
  dir: string;
  /** `${service}-${stage}`: roles are named `${prefix}-${key}-role`. */
  prefix: string;
  /** Where handlers' stdout and stderr go. */
  logs: FunctionLogs;
  limits?: Partial<LambdaLimits>;
}

interface Deployed {
  config: FunctionConfig;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** The function's container, then the one concurrent invocations run in (InvokeOptions.concurrent). */
  slots: [Slot, Slot];
}

interface Slot {
  container?: Container;
  /** Invocations of this slot, chained so they run one at a time. */
  queue: Promise<unknown>;
}

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];
const STOPPED: LambdaError = { errorType: 'Runtime.ExitError', errorMessage: 'The local cloud stopped' };

export class LambdaRunner {
  readonly limits: LambdaLimits;
  private readonly deployed = new Map<string, Deployed>();
  private endpoint: string | undefined;
  private stopped = false;

  constructor(
    functions: readonly FunctionConfig[],
    private readonly deps: LambdaRunnerDeps,
  ) {
    this.limits = { ...LAMBDA_LIMITS, ...deps.limits };
    for (const config of functions) {
      const accessKeyId = `ASIA${sha256Hex(config.arn).slice(0, 16).toUpperCase()}`;
      // Lambda's role session is named after the function.
      deps.identities.registerRole(
        accessKeyId,
        `${deps.prefix}-${config.key}-role`,
        config.name,
        new Date(deps.clock.now()),
      );
      const credentials = { accessKeyId, secretAccessKey: 'local-secret', sessionToken: `local-session-${config.key}` };
      this.deployed.set(config.name, { config, credentials, slots: [{ queue: Promise.resolve() }, { queue: Promise.resolve() }] });
    }
  }

  /** Handlers reach the local cloud at `endpoint`. */
  start(endpoint: string): void {
    this.endpoint = endpoint;
  }

  /** The function a name, an ARN or a partial ARN (`123456789012:function:name`, any qualifier) refers to. */
  find(reference: string): FunctionConfig | undefined {
    const name = /(?:^|:)function:([^:]+)/.exec(reference)?.[1] ?? reference;
    return this.deployed.get(name)?.config;
  }

  /** Once stopped, answers every invocation with Runtime.ExitError and starts no container. */
  invoke(reference: string, event: unknown, options: InvokeOptions = {}): Promise<Invocation> {
    const deployed = this.deployed.get(this.find(reference)?.name ?? '');
    if (!deployed) return Promise.reject(new Error(`Function not found: ${reference}`));
    if (this.stopped) return Promise.resolve(failed(deployed, STOPPED));
    const slot = deployed.slots[options.concurrent ? 1 : 0];
    return this.deps.clock.activity.track(() => {
      const run = slot.queue.then(() => this.run(deployed, slot, event, options.signal));
      slot.queue = run.catch(() => undefined);
      return run;
    });
  }

  /**
   * A fault hook: the function's containers die now (Runtime.ExitError), failing the invocations
   * they run, as an out-of-memory kill would; the next invocation cold-starts. Whether one was running.
   */
  crash(reference: string): boolean {
    const deployed = this.deployed.get(this.find(reference)?.name ?? '');
    let running = false;
    for (const slot of deployed?.slots ?? []) running = slot.container?.crash() === true || running;
    return running;
  }

  /** Refuses further invocations and ends every container; resolves once their threads have exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.deployed.values()].flatMap((deployed) => deployed.slots.map((slot) => slot.container?.terminate())));
  }

  private async run(deployed: Deployed, slot: Slot, event: unknown, signal?: AbortSignal): Promise<Invocation> {
    const requestId = randomUUID();
    const { config } = deployed;
    const invocation = (outcome: Outcome): Invocation => ({ requestId, functionName: config.name, ...outcome });
    // Queued behind another invocation while the cloud stopped or the caller gave up: start nothing.
    if (this.stopped) return invocation({ ok: false, error: STOPPED });
    if (signal?.aborted) return invocation({ ok: false, error: lambdaError(signal.reason) });
    if (!slot.container?.alive) {
      const file = HANDLER_EXTENSIONS.map((extension) => config.modulePath + extension).find((candidate) =>
        existsSync(candidate),
      );
      if (!file) {
        const tried = HANDLER_EXTENSIONS.join(', ');
        const errorMessage = `Error: Cannot find module '${config.modulePath}' (tried ${tried}) for handler ${config.handler}`;
        return invocation({ ok: false, error: { errorType: 'Runtime.ImportModuleError', errorMessage } });
      }
      slot.container = new Container(file, config, this.environment(deployed), this.deps.clock.now(), {
        logs: this.deps.logs,
        initMs: this.limits.initMs,
      });
    }
    const context: ContextData = {
      functionName: config.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: config.arn,
      memoryLimitInMB: String(config.memorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${config.name}`,
      logStreamName: slot.container.logStream,
    };
    const message: InvokeMessage = {
      type: 'invoke',
      event,
      context,
      timeoutMs: config.timeoutSeconds * this.limits.secondMs,
      now: this.deps.clock.now(),
    };
    return invocation(await slot.container.invoke(message, config.timeoutSeconds, signal));
  }

  private environment({ config, credentials }: Deployed): Record<string, string> {
    if (!this.endpoint) throw new Error('The Lambda runner is not started');
    return {
      ...config.environment,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_REGION: this.deps.region,
      AWS_DEFAULT_REGION: this.deps.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_LAMBDA_FUNCTION_NAME: config.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      // Powertools reports cold starts only for on-demand initialisation, as Lambda sets it.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: this.deps.dir,
      _HANDLER: config.handler,
    };
  }
}

function failed({ config }: Deployed, error: LambdaError): Invocation {
  return { requestId: randomUUID(), functionName: config.name, ok: false, error };
}

/**
 * One warm worker thread of a function; a crash, a timeout (of the init phase, of the function
 * or of the caller) or the cloud stopping ends it, and the next call cold-starts.
 */
class Container {
  readonly logStream: string;
  alive = true;
  /** Why the container ended, answered to any invocation that still reaches it. */
  private failure: LambdaError | undefined;
  private readonly worker: Worker;
  /** Settles when the handler module has loaded, or the container ended trying. */
  private readonly initialized: Promise<void>;
  private settleInit: () => void = () => undefined;
  private current: ((outcome: Outcome) => void) | undefined;

  constructor(
    file: string,
    config: FunctionConfig,
    env: Record<string, string>,
    now: number,
    { logs, initMs }: { logs: FunctionLogs; initMs: number },
  ) {
    const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '/');
    this.logStream = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const workerData: ContainerData = { file, exportName: config.exportName, now };
    this.worker = new Worker(BOOTSTRAP, {
      env: { ...env, AWS_LAMBDA_LOG_STREAM_NAME: this.logStream },
      workerData,
      stdout: true,
      stderr: true,
    });
    logs.capture(this.worker.stdout, config.name, this.logStream);
    logs.capture(this.worker.stderr, config.name, this.logStream);
    // A module whose top-level code never settles would keep the invocation, and so the clock, waiting.
    const initTimer = setTimeout(() => {
      void this.end({
        errorType: 'Sandbox.Timedout',
        errorMessage: `The handler module did not load within the ${(initMs / 1000).toFixed(2)} s init limit`,
      });
    }, initMs);
    this.initialized = new Promise((resolve) => {
      this.settleInit = () => {
        clearTimeout(initTimer);
        resolve();
      };
    });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') this.settleInit();
      else if (message.type === 'init-error') void this.end(message.error);
      else this.current?.(message.ok ? { ok: true, payload: message.payload } : { ok: false, error: message.error });
    });
    this.worker.on('error', (error) => void this.end(lambdaError(error)));
    this.worker.on('exit', (code) => {
      void this.end({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` });
    });
  }

  /** Runs one invocation; `timeoutSeconds` is the function's, for the message when it runs out. */
  async invoke(message: InvokeMessage, timeoutSeconds: number, signal?: AbortSignal): Promise<Outcome> {
    const onAbort = () => void this.end(lambdaError(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.initialized;
      if (this.failure) return { ok: false, error: this.failure };
      return await new Promise((resolve) => {
        const timer = setTimeout(() => {
          void this.end({
            errorType: 'Sandbox.Timedout',
            errorMessage: `${message.context.awsRequestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
          });
        }, message.timeoutMs);
        this.current = (outcome) => {
          clearTimeout(timer);
          this.current = undefined;
          resolve(outcome);
        };
        this.worker.postMessage(message);
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  terminate(): Promise<unknown> {
    return this.end({ errorType: 'Runtime.ExitError', errorMessage: 'The local cloud stopped' });
  }

  /** Dies as a killed process does (see LambdaRunner.crash); whether an invocation was running. */
  crash(): boolean {
    const running = this.alive && this.current !== undefined;
    if (this.alive) void this.end({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: crashed (fault injection) Error: Runtime exited with error: signal: killed' });
    return running;
  }

  /** The container is gone (init failure, crash, timeout, stop): fail what it was doing, never reuse it. */
  private end(error: LambdaError): Promise<unknown> {
    this.alive = false;
    this.failure ??= error;
    this.settleInit();
    this.current?.({ ok: false, error });
    return this.worker.terminate();
  }
}
