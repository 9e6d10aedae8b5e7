import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallCounter } from './activity.ts';
import { handleAdmin } from './admin.ts';
import { Clock } from './clock.ts';
import { LOCAL_CREDENTIALS } from './credentials.ts';
import { CloudTrailDelivery, type CloudTrailEvent } from './cloudtrail.ts';
import type { ScheduleOverlap } from './events/bus.ts';
import { startDynamoDb, type LocalDynamoDb } from './dynamodb.ts';
import { startEdge, type Edge } from './edge.ts';
import { Faults } from './faults.ts';
import { Identities } from './identity.ts';
import { createRuntime } from './runtime.ts';
import type { BusEvent, Emulator, EmulatorDeps, Runtime, SeedDocument } from './service.ts';
import { createApplicationAutoScalingEmulator } from './services/application-autoscaling.ts';
import { createAppStreamEmulator } from './services/appstream/index.ts';
import { createPoolsEmulator } from './services/workspaces/pools.ts';
import { createDesktopEmulators } from './services/workspaces/desktops.ts';
import { createSsmEmulator } from './services/ssm.ts';
import { SlackSink } from './slack.ts';
import { parseIsoTime } from './time.ts';
import { parseDemandSetting, Usage } from './usage.ts';

/**
 * The local cloud: emulated WorkSpaces, AppStream and Application Auto Scaling, DynamoDB
 * (dynalite), Step Functions (aws-local-stepfunctions running our ASL), EventBridge routing by
 * serverless.yml, CloudTrail events, a Slack webhook sink, a controllable clock and fault
 * injection, behind one HTTP edge.
 */
export interface LocalCloudOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  /** Local-cloud time at start (default: the wall clock). */
  startTime?: Date;
  /** serverless.yml whose functions, rules and state machines run (default: the project's). */
  serverlessConfigPath?: string;
  stage?: string;
  /** Seed applied after start. */
  seed?: SeedDocument;
  /** Print handlers' log lines to stderr as they come (always kept at /_local/logs). */
  echoFunctionLogs?: boolean;
  /**
   * Fire serverless.yml's scheduled rules on the local clock (default true). Off, the autopilot's
   * own schedules (capacity-tick…) stay quiet, for tests of the emulators that move the clock.
   */
  schedules?: boolean;
  /**
   * Deliver the CloudTrail events of calls to the emulators to EventBridge (default true), where
   * serverless.yml's rules hand them to the product (the CloudTrail reactor deploys associated
   * applications). Off, the events are still recorded (`/_local/cloudtrail`): for conformance
   * tests of the emulators, which must see them as they are, untouched by the product.
   */
  cloudTrailDelivery?: boolean;
  /**
   * Retry a function's failed asynchronous invocations (EventBridge rule targets) as Lambda does:
   * its `maximumRetryAttempts` (default 2), one then two minutes of local time later. Default off,
   * so a test sees a failed delivery once; the fault campaign (local/chaos) turns it on.
   */
  lambdaAsyncRetries?: boolean;
}

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { LOCAL_CREDENTIALS };

export class LocalCloud {
  readonly clock: Clock;
  readonly usage = new Usage();
  readonly faults = new Faults();
  /** AWS calls answered, per operation and caller (see CallCounter), for benchmarks and cost tests. */
  readonly calls = new CallCounter();
  readonly slack = new SlackSink();
  readonly identities: Identities;
  readonly cloudTrail: CloudTrailEvent[] = [];
  /** How CloudTrail events reach the bus: dropped or duplicated on purpose (`set`), off by default. */
  readonly cloudTrailDelivery = new CloudTrailDelivery();
  readonly region: string;
  readonly accountId: string;
  /** Stage of serverless.yml this cloud runs (resource names carry it). */
  readonly stage: string;
  private emulators: Emulator[] = [];
  private runtime: Runtime | undefined;
  private dynamodb: LocalDynamoDb | undefined;
  private edge: Edge | undefined;

  private constructor(private readonly options: LocalCloudOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.stage = options.stage ?? 'local';
    this.clock = new Clock((options.startTime ?? new Date()).getTime());
    this.identities = new Identities(this.accountId);
  }

  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const cloud = new LocalCloud(options);
    try {
      await cloud.boot();
    } catch (error) {
      await cloud.stop();
      throw error;
    }
    return cloud;
  }

  get url(): string {
    if (!this.edge) throw new Error('The local cloud is not running');
    return this.edge.url;
  }

  /** The environment a shell, a test or a handler needs to reach this cloud with the real SDK. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_REGION: this.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      SLACK_WEBHOOK_URL: `${this.url}/_slack/services/T0LOCAL/B0LOCAL/local`,
      EUC_AUTOPILOT_LOCAL_ADMIN: `${this.url}/_local`,
    };
  }

  /** Applies a seed document: every emulator takes its sections; `clock` and `usage` are read here. */
  seed(document: SeedDocument): void {
    if (typeof document.clock === 'string') {
      this.setClock(parseIsoTime(document.clock, 'seed.clock'));
    }
    for (const emulator of this.emulators) emulator.seed?.(document, this.clock.now());
    if (document.usage !== undefined) {
      if (!Array.isArray(document.usage)) throw new RangeError('seed.usage must be a list of demand settings');
      document.usage.forEach((setting, index) => this.usage.set(parseDemandSetting(setting, `usage[${index}]`)));
    }
  }

  /**
   * Sets the local clock to `ms` (back or forward) without firing the timers in between, and re-arms
   * the scheduled rules from the new time, so a rate(5 minutes) rule fires 5 minutes after it
   * whichever way the clock jumped. Other pending timers fire on the next advance if now past due.
   */
  setClock(ms: number): void {
    this.clock.set(ms);
    this.runtime?.rearmSchedules();
  }

  /**
   * Puts an event on a bus as AWS would (PutEvents refuses `aws.*` sources, so tests inject
   * CloudTrail-shaped events here, e.g. one CloudTrail never delivered, or delivered twice).
   */
  publish(event: BusEvent, busName?: string): void {
    if (!this.runtime) throw new Error('The local cloud is not running');
    this.runtime.publish(event, busName);
  }

  /** Invokes a function of serverless.yml by its deployed name (`euc-autopilot-local-deploymentSweeper`). */
  invoke(functionName: string, event: unknown): ReturnType<Runtime['invoke']> {
    if (!this.runtime) throw new Error('The local cloud is not running');
    return this.runtime.invoke(functionName, event);
  }

  /**
   * Answers a read-only operation (`WorkspacesService.DescribeWorkspacesPools`) in process: no
   * fault, latency or CloudTrail record touches it. How a fault campaign watches the account every
   * minute without drawing from the faults' seeded shares or being throttled itself.
   */
  async look(target: string, input: unknown = {}): Promise<unknown> {
    const [prefix, name = ''] = target.split('.');
    if (!/^(Describe|List|Get)/.test(name)) throw new Error(`look answers read-only operations only, not ${target}`);
    const operation = this.emulators.find((emulator) => emulator.targetPrefix === prefix && name in emulator.operations)?.operations[name];
    if (!operation) throw new Error(`No emulator answers ${target}`);
    const caller = this.identities.fromAuthorization(undefined);
    return operation(input, { now: this.clock.now(), region: this.region, accountId: this.accountId, caller, requestId: 'look' });
  }

  /** Fault hook: a share of a scheduled rule's firings runs twice at once (undefined ends it). */
  overlapSchedule(setting: ScheduleOverlap | undefined): void {
    if (!this.runtime) throw new Error('The local cloud is not running');
    this.runtime.overlapSchedule(setting);
  }

  snapshot(): ReturnType<Runtime['snapshot']> {
    return this.runtime?.snapshot() ?? { executions: [], deliveries: [], rules: [], logs: [] };
  }

  async stop(): Promise<void> {
    await this.runtime?.stop();
    await this.edge?.close();
    await this.dynamodb?.close();
    this.runtime = undefined;
    this.edge = undefined;
    this.dynamodb = undefined;
  }

  /**
   * Called as a call has been applied and before it is answered: when a crash rule
   * (Faults.crashAfter) names this call, the calling function's container dies now, so the answer
   * never reaches the handler (its next step, the audit write, never runs).
   */
  private crashAfterCall(event: CloudTrailEvent): void {
    if (event.detail.errorCode) return;
    const session = /:assumed-role\/[^/]+\/(.+)$/.exec(event.detail.userIdentity.arn)?.[1];
    if (session && this.faults.takeCrash(event.detail.eventName, session)) this.runtime?.crash(session);
  }

  private async boot(): Promise<void> {
    const deps: EmulatorDeps = {
      clock: this.clock,
      usage: this.usage,
      region: this.region,
      accountId: this.accountId,
    };
    this.runtime = await createRuntime({
      ...deps,
      identities: this.identities,
      serverlessConfigPath: this.options.serverlessConfigPath ?? path.join(PROJECT_ROOT, 'serverless.yml'),
      stage: this.stage,
      echoFunctionLogs: this.options.echoFunctionLogs ?? false,
      schedules: this.options.schedules ?? true,
      lambdaAsyncRetries: this.options.lambdaAsyncRetries ?? false,
    });
    const ssm = createSsmEmulator(deps);
    this.emulators = [
      ssm,
      createPoolsEmulator(deps),
      ...createDesktopEmulators(deps),
      createAppStreamEmulator(deps),
      createApplicationAutoScalingEmulator(deps),
      ...this.runtime.emulators,
    ];
    this.dynamodb = await startDynamoDb();
    const dynamodb = this.dynamodb;
    this.edge = await startEdge(this.emulators, {
      host: this.options.host ?? '127.0.0.1',
      port: this.options.port ?? 0,
      region: this.region,
      accountId: this.accountId,
      now: () => this.clock.now(),
      faults: this.faults,
      calls: this.calls,
      identities: this.identities,
      onCloudTrail: (event) => {
        this.cloudTrail.push(event);
        this.crashAfterCall(event);
        if (this.options.cloudTrailDelivery === false) return;
        for (let copy = this.cloudTrailDelivery.copies(event); copy > 0; copy -= 1) this.runtime?.publish(event);
      },
      proxyDynamoDb: (req, body, res) => dynamodb.forward(req, body, res),
      routes: (req, body, res) => handleAdmin(this, req, body, res),
    });
    // Handlers read the webhook URL from SSM as in AWS; here it points at the Slack sink.
    ssm.put(`/euc-autopilot/${this.stage}/slack-webhook-url`, this.env().SLACK_WEBHOOK_URL ?? '', 'SecureString');
    await this.runtime.start(this.edge.url);
    if (this.options.seed) this.seed(this.options.seed);
  }
}
