import { randomUUID } from 'node:crypto';
import { arn } from '../arn.ts';
import { seededRandom } from '../faults.ts';
import type { Clock } from '../clock.ts';
import { messageOf } from '../errors.ts';
import { paginate } from '../paging.ts';
import { AwsError, compact } from '../protocol.ts';
import type { RuleConfig, RuleTarget } from '../serverless/config.ts';
import type { BusEvent, Emulator } from '../service.ts';
import { isoSeconds } from '../time.ts';
import { Params } from '../validation.ts';
import { matchesPattern } from './pattern.ts';
import { parseScheduleExpression, type Schedule } from './schedule.ts';

/**
 * EventBridge (`AWSEvents.*`, JSON 1.1) with the buses and rules serverless.yml declares: events
 * put on a bus go, asynchronously and counted as clock activity, to the target of every enabled
 * rule on that bus whose pattern matches; scheduled rules fire on the local clock with a
 * "Scheduled Event" (or the rule's input). Every delivery is recorded with its outcome. Rules are
 * read-only here: they come from serverless.yml, not from PutRule.
 */
export type DeliveryResult = { ok: true; response?: unknown } | { ok: false; error: unknown };

export interface EventBusDeps {
  clock: Clock;
  region: string;
  accountId: string;
  rules: readonly RuleConfig[];
  /** Custom buses; `default` always exists. */
  buses: readonly string[];
  /**
   * Hands an event (or the rule's input) to a target: invokes the function or starts the execution;
   * `concurrent` runs a function next to one still running (an overlapping scheduled delivery).
   */
  deliver(target: RuleTarget, input: unknown, options?: { concurrent?: boolean }): Promise<DeliveryResult>;
  /**
   * How many times Lambda retries a failed asynchronous invocation of a function target (its
   * MaximumRetryAttempts, 2 by default in AWS), 1 then 2 minutes of local time apart. Absent: none.
   */
  asyncRetries?(target: RuleTarget): number;
}

/**
 * A fault hook: a scheduled rule (its name containing `rule`) delivers a share of its events twice
 * at once, the second copy with an id of its own, to a second container of the function — two
 * overlapping runs, as a late run meeting the next one or an at-least-once redelivery would make.
 */
export interface ScheduleOverlap {
  rule: string;
  /** Share of the rule's firings that overlap, (0, 1]. */
  probability: number;
  seed?: number;
}

export interface Delivery {
  at: string;
  rule: string;
  bus: string;
  target: RuleTarget;
  eventId: string;
  source: string;
  detailType: string;
  outcome: 'delivered' | 'failed';
  /** The event's detail, for events on a custom bus (the product's domain events), so a campaign can tell them apart. */
  detail?: unknown;
  /** 0 for the first delivery, then each asynchronous retry's number. */
  attempt: number;
  /** The second copy of an overlapping scheduled delivery (ScheduleOverlap). */
  overlapping?: true;
  /** What the target answered: the function's result, or the execution started. */
  response?: unknown;
  error?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export class EventBus {
  readonly emulator: Emulator;
  private readonly log: Delivery[] = [];
  private readonly buses: ReadonlySet<string>;
  /** Pending schedule timers by rule ARN. */
  private readonly timers = new Map<string, number>();
  private closed = false;
  private overlap: (ScheduleOverlap & { random: () => number }) | undefined;

  constructor(private readonly deps: EventBusDeps) {
    this.buses = new Set(['default', ...deps.buses]);
    this.emulator = { targetPrefix: 'AWSEvents', operations: this.operations() };
  }

  /** Puts an event on a bus and routes it to the matching rules' targets. */
  publish(event: BusEvent, bus = 'default'): void {
    if (this.closed) return;
    for (const rule of this.deps.rules) {
      if (rule.enabled && rule.bus === bus && rule.pattern && matchesPattern(rule.pattern, event)) {
        this.deliver(rule, event);
      }
    }
  }

  /** Arms the enabled scheduled rules on the local clock. */
  start(): void {
    if (this.closed) return;
    for (const rule of this.deps.rules) {
      if (rule.enabled && rule.schedule) this.arm(rule, parseScheduleExpression(rule.schedule), this.deps.clock.now());
    }
  }

  /** Overlaps a share of a scheduled rule's deliveries (see ScheduleOverlap); undefined ends it. */
  overlapSchedule(setting: ScheduleOverlap | undefined): void {
    if (setting && !(setting.probability > 0 && setting.probability <= 1)) throw new RangeError('overlap.probability must be in (0, 1]');
    this.overlap = setting && { ...setting, random: seededRandom(setting.seed ?? 1) };
  }

  /** Disarms the scheduled rules (`start` arms them again). */
  stop(): void {
    for (const timer of this.timers.values()) this.deps.clock.cancel(timer);
    this.timers.clear();
  }

  /** Disarms the schedules and delivers nothing more, not even events already put, as the local cloud stops. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  deliveries(): Delivery[] {
    return this.log;
  }

  rules() {
    return this.deps.rules.map((rule) =>
      compact({
        name: rule.name,
        arn: rule.arn,
        bus: rule.bus,
        state: rule.enabled ? 'ENABLED' : 'DISABLED',
        pattern: rule.pattern,
        schedule: rule.schedule,
        target: rule.target,
        input: rule.input,
        inputPath: rule.inputPath,
        definedAt: rule.where,
      }),
    );
  }

  private arm(rule: RuleConfig, schedule: Schedule, after: number): void {
    const at = schedule.next(after);
    if (!Number.isFinite(at)) return;
    const timer = this.deps.clock.schedule(at, () => {
      // After a clock.set jump the timer fires late: carry on from now instead of replaying every missed period.
      this.arm(rule, schedule, Math.max(at, this.deps.clock.now()));
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: this.deps.accountId,
        time: isoSeconds(at),
        region: this.deps.region,
        resources: [rule.arn],
        detail: {},
      };
      this.deliver(rule, event);
      const overlap = this.overlap;
      if (overlap && rule.name.includes(overlap.rule) && overlap.random() < overlap.probability) {
        this.deliver(rule, { ...event, id: randomUUID() }, { overlapping: true });
      }
    });
    this.timers.set(rule.arn, timer);
  }

  private deliver(rule: RuleConfig, event: BusEvent, { overlapping = false, attempt = 0 } = {}): void {
    void this.deps.clock.activity.track(async () => {
      // EventBridge delivers after PutEvents has answered.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) return;
      const input = rule.input ?? (rule.inputPath ? select(event, rule.inputPath) : event);
      const result = await this.deps
        .deliver(rule.target, input, { concurrent: overlapping })
        .catch((error: unknown): DeliveryResult => ({ ok: false, error: messageOf(error) }));
      const retries = rule.target.type === 'function' ? (this.deps.asyncRetries?.(rule.target) ?? 0) : 0;
      if (!result.ok && attempt < retries) {
        // Lambda's asynchronous retries: about a minute after the first failure, two after the second.
        this.deps.clock.schedule(this.deps.clock.now() + (attempt + 1) * 60_000, () => this.deliver(rule, event, { attempt: attempt + 1 }));
      }
      this.log.push({
        at: new Date(this.deps.clock.now()).toISOString(),
        rule: rule.name,
        bus: rule.bus,
        target: rule.target,
        eventId: event.id,
        source: event.source,
        detailType: event['detail-type'],
        outcome: result.ok ? 'delivered' : 'failed',
        ...(rule.bus === 'default' ? {} : { detail: event.detail }),
        attempt,
        ...(overlapping ? { overlapping: true as const } : {}),
        ...(result.ok ? { response: result.response } : { error: result.error }),
      });
    });
  }

  private operations(): Emulator['operations'] {
    const ERROR = 'ValidationException';
    return {
      PutEvents: (body, ctx) => {
        const entries = Params.of(body, ERROR)
          .objects('Entries', { required: true, min: 1, max: 10 })
          .map((entry) => this.putEntry(entry, ctx.now));
        return { FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length, Entries: entries };
      },
      DescribeEventBus: (body) => {
        const requested = Params.of(body, ERROR).string('Name') ?? 'default';
        const name = this.bus(requested);
        if (!name) throw notFound(`Event bus ${requested} does not exist.`);
        return { Name: name, Arn: this.busArn(name) };
      },
      ListEventBuses: (body) => {
        const p = Params.of(body, ERROR);
        const prefix = p.string('NamePrefix') ?? '';
        const buses = [...this.buses]
          .filter((bus) => bus.startsWith(prefix))
          .map((bus) => ({ Name: bus, Arn: this.busArn(bus) }));
        const { page, nextToken } = paginate(buses, {
          limit: p.int('Limit', { min: 1, max: 100 }) ?? 100,
          nextToken: p.string('NextToken'),
          query: `buses ${prefix}`,
          errorType: ERROR,
        });
        return compact({ EventBuses: page, NextToken: nextToken });
      },
      ListRules: (body) => {
        const p = Params.of(body, ERROR);
        const requested = p.string('EventBusName') ?? 'default';
        const bus = this.bus(requested);
        if (!bus) throw notFound(`Event bus ${requested} does not exist.`);
        const prefix = p.string('NamePrefix') ?? '';
        const rules = this.deps.rules.filter((rule) => rule.bus === bus && rule.name.startsWith(prefix)).map(ruleShape);
        const { page, nextToken } = paginate(rules, {
          limit: p.int('Limit', { min: 1, max: 100 }) ?? 100,
          nextToken: p.string('NextToken'),
          query: `rules ${bus} ${prefix}`,
          errorType: ERROR,
        });
        return compact({ Rules: page, NextToken: nextToken });
      },
      DescribeRule: (body) => ruleShape(this.rule(Params.of(body, ERROR))),
      ListTargetsByRule: (body) => {
        const rule = this.rule(Params.of(body, ERROR), 'Rule');
        const target = compact({
          Id: `${rule.name}-target`,
          Arn: rule.target.type === 'function' ? this.arn('lambda', `function:${rule.target.name}`) : rule.target.arn,
          Input: rule.input === undefined ? undefined : JSON.stringify(rule.input),
          InputPath: rule.inputPath,
        });
        return { Targets: [target] };
      },
    };
  }

  private putEntry(entry: Params, now: number): EntryResult {
    const fields = { Source: entry.raw('Source'), DetailType: entry.raw('DetailType'), Detail: entry.raw('Detail') };
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value !== 'string' || value === '') {
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
        };
      }
    }
    const { Source: source, DetailType: detailType, Detail: detail } = fields as Record<keyof typeof fields, string>;
    // AWS reserves aws.* sources for its own services: a product cannot pose as CloudTrail.
    if (source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    const parsed = parseObject(detail);
    if (!parsed) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const requested = typeof entry.raw('EventBusName') === 'string' ? (entry.raw('EventBusName') as string) : 'default';
    const bus = this.bus(requested);
    // AWS may accept and drop an event for a bus that does not exist; here the mistake shows.
    if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${requested} does not exist.` };
    const time = entry.raw('Time');
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.deps.accountId,
      time: isoSeconds(typeof time === 'number' ? time * 1000 : now),
      region: this.deps.region,
      resources: entry.strings('Resources') ?? [],
      detail: parsed,
    };
    this.publish(event, bus);
    return { EventId: event.id };
  }

  /** A bus by name or ARN, if it exists. */
  private bus(nameOrArn: string): string | undefined {
    const name = nameOrArn.startsWith('arn:')
      ? nameOrArn.slice(nameOrArn.indexOf('event-bus/') + 'event-bus/'.length)
      : nameOrArn;
    return this.buses.has(name) ? name : undefined;
  }

  private rule(p: Params, key = 'Name'): RuleConfig {
    const name = p.string(key, { required: true });
    const bus = p.string('EventBusName') ?? 'default';
    const rule = this.deps.rules.find((candidate) => candidate.name === name && candidate.bus === this.bus(bus));
    if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  private busArn(bus: string): string {
    return this.arn('events', `event-bus/${bus}`);
  }

  private arn(service: string, resource: string): string {
    return arn(service, this.deps.region, this.deps.accountId, resource);
  }
}

function ruleShape(rule: RuleConfig) {
  return compact({
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.pattern === undefined ? undefined : JSON.stringify(rule.pattern),
    ScheduleExpression: rule.schedule,
    State: rule.enabled ? 'ENABLED' : 'DISABLED',
    EventBusName: rule.bus,
  });
}

/** `$.detail.pool` of an event (inputPath). */
function select(event: BusEvent, path: string): unknown {
  let node: unknown = event;
  for (const key of path.split('.').slice(1)) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function notFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}
