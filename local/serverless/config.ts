import { readFileSync } from 'node:fs';
import path from 'node:path';
import { arn } from '../arn.ts';
import { messageOf } from '../errors.ts';
import { validatePattern, type EventPattern } from '../events/pattern.ts';
import { parseScheduleExpression } from '../events/schedule.ts';
import type { CfnResource } from '../tables.ts';
import { Intrinsics, type LocalResource } from './intrinsics.ts';
import { dig, isRecord, pick, resolveVariables, ServerlessConfigError } from './variables.ts';
import { parseCloudFormationYaml } from './yaml.ts';

export { ServerlessConfigError };

/**
 * serverless.yml as the local cloud runs it: variables resolved, CloudFormation references turned
 * into local names and ARNs, and the events of functions and state machines flattened into
 * EventBridge rules. Every mistake fails the load with the file and the yml path to fix.
 */
export interface ServiceConfig {
  service: string;
  stage: string;
  region: string;
  accountId: string;
  /** Directory of serverless.yml: handler paths are relative to it. */
  dir: string;
  functions: FunctionConfig[];
  stateMachines: StateMachineConfig[];
  rules: RuleConfig[];
  /** Custom event buses (the default bus always exists). */
  buses: string[];
  /** The DynamoDB tables of `resources`, with TableName resolved (see local/tables.ts). */
  tables: Record<string, CfnResource>;
  /** `custom`, variables resolved: the settings plugins read (the policy file, local/lambda/policy-file.ts). */
  custom: Record<string, unknown>;
}

export interface FunctionConfig {
  /** Key under `functions:`. */
  key: string;
  /** Deployed name: `${service}-${stage}-${key}` unless `name` is set. */
  name: string;
  arn: string;
  /** As written, e.g. `functions/notifier.handler`. */
  handler: string;
  /** Absolute path of the handler module, without extension. */
  modulePath: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  /** Lambda's retries of a failed asynchronous invocation (`maximumRetryAttempts`, AWS's default 2). */
  maximumRetryAttempts: number;
}

export interface StateMachineConfig {
  key: string;
  name: string;
  arn: string;
  definition: Record<string, unknown>;
  /** yml path of the definition, for messages. */
  where: string;
}

export type RuleTarget = { type: 'function'; name: string } | { type: 'stateMachine'; arn: string };

export interface RuleConfig {
  name: string;
  arn: string;
  bus: string;
  enabled: boolean;
  pattern?: EventPattern;
  schedule?: string;
  target: RuleTarget;
  /** Constant input sent instead of the event (`input`). */
  input?: unknown;
  /** Part of the event sent instead of all of it (`inputPath`, `$.a.b` form). */
  inputPath?: string;
  /** yml path of the event, for messages. */
  where: string;
}

export interface LoadOptions {
  stage: string;
  region: string;
  accountId: string;
  /** For `${env:…}`; the process environment unless given. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Serverless Framework defaults for functions that set neither their own nor a provider value. */
const DEFAULT_TIMEOUT_SECONDS = 6;
const DEFAULT_MEMORY_MB = 1024;

export function loadServerlessConfig(configPath: string, options: LoadOptions): ServiceConfig {
  const file = path.resolve(configPath);
  try {
    const raw = parseCloudFormationYaml(readFileSync(file, 'utf8'));
    if (!isRecord(raw)) throw new ServerlessConfigError('the file must be a mapping (service, provider, functions…)');
    const dir = path.dirname(file);
    const config = resolveVariables(raw, { ...options, dir, env: options.env ?? process.env });
    return new ServiceBuilder(config, { ...options, dir }).build();
  } catch (error) {
    if (error instanceof ServerlessConfigError) throw new ServerlessConfigError(`${configPath}: ${error.message}`);
    throw error;
  }
}

class ServiceBuilder {
  private readonly service: string;
  private readonly arn: (service: string, resource: string) => string;
  private readonly functions: Array<Omit<FunctionConfig, 'environment'> & { raw: Record<string, unknown> }>;
  private readonly machines: Array<{ key: string; name: string; arn: string; raw: Record<string, unknown> }>;
  private readonly resources: Record<string, unknown>;
  private readonly intrinsics: Intrinsics;

  constructor(
    private readonly config: Record<string, unknown>,
    private readonly options: LoadOptions & { dir: string },
  ) {
    const { region, accountId, stage } = options;
    if (typeof config.service !== 'string' || config.service === '') {
      throw new ServerlessConfigError('service: must be the service name');
    }
    const service = config.service;
    this.service = service;
    this.arn = (kind, resource) => arn(kind, region, accountId, resource);
    this.functions = Object.entries(mapping(config.functions, 'functions')).map(([key, value]) => {
      const raw = mapping(value, `functions.${key}`);
      const name = typeof raw.name === 'string' ? raw.name : `${service}-${stage}-${key}`;
      return {
        key,
        name,
        arn: this.arn('lambda', `function:${name}`),
        ...this.handler(raw.handler, `functions.${key}.handler`),
        ...this.limits(raw),
        raw,
      };
    });
    this.machines = Object.entries(
      mapping(dig(config, 'stepFunctions.stateMachines'), 'stepFunctions.stateMachines'),
    ).map(([key, value]) => {
      const raw = mapping(value, `stepFunctions.stateMachines.${key}`);
      const name = typeof raw.name === 'string' ? raw.name : stateMachineLogicalId(key, raw);
      return { key, name, arn: this.arn('states', `stateMachine:${name}`), raw };
    });
    this.resources = mapping(dig(config, 'resources.Resources'), 'resources.Resources');
    this.intrinsics = new Intrinsics(this.resourceIndex(), {
      'AWS::Region': region,
      'AWS::AccountId': accountId,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': `${service}-${stage}`,
    });
  }

  build(): ServiceConfig {
    const provider = mapping(this.config.provider, 'provider');
    const functions = this.functions.map(({ raw, ...fn }) => ({
      ...fn,
      environment: this.environment(fn.key, provider, raw),
    }));
    const stateMachines = this.machines.map(({ key, name, arn, raw }) => ({
      key,
      name,
      arn,
      where: `stepFunctions.stateMachines.${key}.definition`,
      definition: this.definition(raw.definition, `stepFunctions.stateMachines.${key}.definition`),
    }));
    const rules = [
      ...this.functions.flatMap((fn) =>
        this.rules(fn.raw.events, `functions.${fn.key}`, fn.name, { type: 'function', name: fn.name }),
      ),
      ...this.machines.flatMap((machine) =>
        this.rules(machine.raw.events, `stepFunctions.stateMachines.${machine.key}`, machine.name, {
          type: 'stateMachine',
          arn: machine.arn,
        }),
      ),
    ];
    const declaredBuses = this.resourcesOfType('AWS::Events::EventBus').map(([id]) => this.busName(id));
    const buses = [...new Set([...declaredBuses, ...rules.map((rule) => rule.bus)])].filter((bus) => bus !== 'default');
    const tables = Object.fromEntries(
      this.resourcesOfType('AWS::DynamoDB::Table').map(([id, resource]) => [
        id,
        { Type: resource.Type, Properties: { ...resource.Properties, TableName: this.tableName(id) } },
      ]),
    );
    const { stage, region, accountId, dir } = this.options;
    const custom = isRecord(this.config.custom) ? this.config.custom : {};
    return { service: this.service, stage, region, accountId, dir, functions, stateMachines, rules, buses, tables, custom };
  }

  private handler(value: unknown, where: string) {
    const dot = typeof value === 'string' ? value.lastIndexOf('.') : -1;
    if (typeof value !== 'string' || dot <= 0) {
      throw new ServerlessConfigError(`${where}: must be "path/to/module.export", got ${JSON.stringify(value)}`);
    }
    return {
      handler: value,
      modulePath: path.resolve(this.options.dir, value.slice(0, dot)),
      exportName: value.slice(dot + 1),
    };
  }

  private limits(raw: Record<string, unknown>) {
    const provider = mapping(this.config.provider, 'provider');
    const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
    return {
      timeoutSeconds: number(raw.timeout) ?? number(provider.timeout) ?? DEFAULT_TIMEOUT_SECONDS,
      memorySize: number(raw.memorySize) ?? number(provider.memorySize) ?? DEFAULT_MEMORY_MB,
      maximumRetryAttempts: number(raw.maximumRetryAttempts) ?? 2,
    };
  }

  /** provider.environment overlaid by the function's own, every value resolved to a string. */
  private environment(
    key: string,
    provider: Record<string, unknown>,
    raw: Record<string, unknown>,
  ): Record<string, string> {
    const shared = mapping(provider.environment, 'provider.environment');
    const own = mapping(raw.environment, `functions.${key}.environment`);
    const variables = Object.entries({ ...shared, ...own }).map(([name, value]) => {
      const where = Object.hasOwn(own, name)
        ? `functions.${key}.environment.${name}`
        : `provider.environment.${name} (function ${key})`;
      return [name, this.intrinsics.string(value, where)];
    });
    return Object.fromEntries(variables);
  }

  private definition(value: unknown, where: string): Record<string, unknown> {
    let definition = value;
    if (typeof value === 'string') {
      try {
        definition = JSON.parse(value);
      } catch {
        throw new ServerlessConfigError(
          `${where}: a string definition must be JSON; use \${file(./x.asl.yml)} or a mapping`,
        );
      }
    }
    if (!isRecord(definition)) throw new ServerlessConfigError(`${where}: must be an Amazon States Language mapping`);
    return this.intrinsics.resolve(pseudoParameters(definition), where) as Record<string, unknown>;
  }

  /** The EventBridge rules of one function's or state machine's `events`. */
  private rules(events: unknown, owner: string, ownerName: string, target: RuleTarget): RuleConfig[] {
    if (events === undefined || events === null) return [];
    if (!Array.isArray(events)) throw new ServerlessConfigError(`${owner}.events: must be a list`);
    return events.flatMap((event: unknown, index): RuleConfig[] => {
      const where = `${owner}.events[${index}]`;
      if (!isRecord(event)) return [];
      const kind = ['eventBridge', 'cloudwatchEvent', 'schedule'].find((name) => name in event);
      // Other event kinds (http, sqs…) have no local emulation; their functions stay invocable.
      if (!kind) return [];
      const spec = event[kind];
      const at = `${where}.${kind}`;
      if (kind === 'schedule') return this.scheduleRules(spec, at, `${ownerName}-schedule-${index + 1}`, target);
      return [this.eventRule(mapping(spec, at), at, `${ownerName}-rule-${index + 1}`, target)];
    });
  }

  /** `eventBridge`/`cloudwatchEvent`: a pattern (`pattern`, or `event` as serverless-step-functions names it) or a schedule. */
  private eventRule(spec: Record<string, unknown>, at: string, defaultName: string, target: RuleTarget): RuleConfig {
    const patternKey = ['pattern', 'event'].find((key) => spec[key] !== undefined);
    const busKey = ['eventBus', 'eventBusName'].find((key) => spec[key] !== undefined);
    if (!patternKey && spec.schedule === undefined) {
      throw new ServerlessConfigError(`${at}: needs a pattern or a schedule`);
    }
    const bus = busKey ? this.busReference(spec[busKey], `${at}.${busKey}`) : 'default';
    const rule = this.rule(typeof spec.name === 'string' ? spec.name : defaultName, bus, spec, at, target);
    if (patternKey) rule.pattern = this.pattern(spec[patternKey], `${at}.${patternKey}`);
    if (spec.schedule !== undefined) rule.schedule = scheduleExpression(spec.schedule, `${at}.schedule`);
    return rule;
  }

  /** `schedule: rate(…)`, or `{ rate: expression | [expressions], enabled, input, inputPath, name }`. */
  private scheduleRules(spec: unknown, at: string, defaultName: string, target: RuleTarget): RuleConfig[] {
    const settings = typeof spec === 'string' ? { rate: spec } : mapping(spec, at);
    if (settings.timezone !== undefined && !/^(UTC|Etc\/UTC)$/.test(String(settings.timezone))) {
      throw new ServerlessConfigError(`${at}.timezone: the local cloud evaluates schedules in UTC only`);
    }
    const rates = Array.isArray(settings.rate) ? settings.rate : [settings.rate];
    const name = typeof settings.name === 'string' ? settings.name : defaultName;
    return rates.map((rate, index) => {
      const where = Array.isArray(settings.rate) ? `${at}.rate[${index}]` : `${at}.rate`;
      const rule = this.rule(rates.length > 1 ? `${name}-${index + 1}` : name, 'default', settings, at, target);
      rule.schedule = scheduleExpression(rate, typeof spec === 'string' ? at : where);
      return rule;
    });
  }

  private rule(name: string, bus: string, spec: Record<string, unknown>, at: string, target: RuleTarget): RuleConfig {
    if (spec.inputTransformer !== undefined) {
      throw new ServerlessConfigError(
        `${at}.inputTransformer: not supported by the local cloud; use input or inputPath`,
      );
    }
    const rule: RuleConfig = {
      name,
      arn: this.arn('events', `rule/${bus === 'default' ? '' : `${bus}/`}${name}`),
      bus,
      enabled: spec.enabled !== false,
      target,
      where: at,
    };
    if (spec.input !== undefined) rule.input = inputValue(spec.input, `${at}.input`);
    if (spec.inputPath !== undefined) {
      if (typeof spec.inputPath !== 'string' || !/^\$(\.[^.]+)*$/.test(spec.inputPath)) {
        throw new ServerlessConfigError(`${at}.inputPath: the local cloud takes a simple path such as $.detail`);
      }
      rule.inputPath = spec.inputPath;
    }
    return rule;
  }

  private pattern(value: unknown, where: string): EventPattern {
    const pattern = this.intrinsics.resolve(value, where);
    const problems = validatePattern(pattern);
    if (problems.length > 0) throw new ServerlessConfigError(`${where}: invalid event pattern: ${problems.join('; ')}`);
    return pattern as EventPattern;
  }

  /** A bus given by name, ARN, `!Ref Bus` or `!GetAtt Bus.Name|Arn`. */
  private busReference(value: unknown, where: string): string {
    const bus = this.intrinsics.string(value, where);
    return bus.startsWith('arn:') ? bus.slice(bus.indexOf('event-bus/') + 'event-bus/'.length) : bus;
  }

  /** Logical ids (and function keys) → what Ref and Fn::GetAtt give locally. */
  private resourceIndex(): Map<string, LocalResource> {
    const index = new Map<string, LocalResource>();
    for (const [id, resource] of Object.entries(this.resources)) {
      const type = isRecord(resource) && typeof resource.Type === 'string' ? resource.Type : 'unknown';
      index.set(id, this.localResource(id, type));
    }
    for (const fn of this.functions) {
      const local: LocalResource = {
        type: 'AWS::Lambda::Function',
        ref: () => fn.name,
        attribute: (name) => (name === 'Arn' ? fn.arn : undefined),
      };
      index.set(`${normalizedName(fn.key)}LambdaFunction`, local);
      index.set(fn.key, local);
    }
    for (const machine of this.machines) {
      index.set(stateMachineLogicalId(machine.key, machine.raw), {
        type: 'AWS::StepFunctions::StateMachine',
        ref: () => machine.arn,
        attribute: (name) => pick({ Arn: machine.arn, Name: machine.name }, name),
      });
    }
    return index;
  }

  private localResource(id: string, type: string): LocalResource {
    switch (type) {
      case 'AWS::DynamoDB::Table': {
        const arn = () => this.arn('dynamodb', `table/${this.tableName(id)}`);
        return {
          type,
          ref: () => this.tableName(id),
          attribute: (name) => pick({ Arn: arn(), StreamArn: `${arn()}/stream/1970-01-01T00:00:00.000` }, name),
        };
      }
      case 'AWS::Events::EventBus': {
        const arn = () => this.arn('events', `event-bus/${this.busName(id)}`);
        return {
          type,
          ref: () => this.busName(id),
          attribute: (name) => pick({ Arn: arn(), Name: this.busName(id) }, name),
        };
      }
      default:
        return { type };
    }
  }

  private tableName(id: string): string {
    const name = dig(this.resources, `${id}.Properties.TableName`);
    // CloudFormation would generate a name; a stable one keeps local runs repeatable.
    return name === undefined
      ? `${this.service}-${this.options.stage}-${id}`
      : this.intrinsics.string(name, `resources.Resources.${id}.Properties.TableName`);
  }

  private busName(id: string): string {
    return this.intrinsics.string(
      dig(this.resources, `${id}.Properties.Name`),
      `resources.Resources.${id}.Properties.Name`,
    );
  }

  private resourcesOfType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(
      (entry): entry is [string, CfnResource] => isRecord(entry[1]) && entry[1].Type === type,
    );
  }
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ServerlessConfigError(`${where}: must be a mapping`);
  return value;
}

function scheduleExpression(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ServerlessConfigError(`${where}: must be rate(…) or cron(…)`);
  try {
    parseScheduleExpression(value);
  } catch (error) {
    throw new ServerlessConfigError(`${where}: ${messageOf(error)}`);
  }
  return value;
}

/** `input` is a JSON value, or JSON text as EventBridge's Input field takes it. */
function inputValue(value: unknown, where: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ServerlessConfigError(`${where}: a string input must be JSON text`);
  }
}

/** serverless-step-functions' `#{AWS::Region}` pseudo-parameter syntax is `Fn::Sub` text. */
function pseudoParameters(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.includes('#{') ? { 'Fn::Sub': value.replace(/#\{([^}]+)\}/g, '${$1}') } : value;
  }
  if (Array.isArray(value)) return value.map(pseudoParameters);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, pseudoParameters(item)]));
  }
  return value;
}

/** The Serverless Framework's logical-id spelling of a key: `capacity-tick` → `CapacityDashtick`. */
function normalizedName(key: string): string {
  const name = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** serverless-step-functions: `id` or `name` when set, else `<Key>StepFunctionsStateMachine`. */
function stateMachineLogicalId(key: string, raw: Record<string, unknown>): string {
  const custom = typeof raw.id === 'string' ? raw.id : typeof raw.name === 'string' ? raw.name : undefined;
  return custom ? normalizedName(custom) : `${normalizedName(key)}StepFunctionsStateMachine`;
}
