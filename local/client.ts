import type { CloudTrailEvent } from './cloudtrail.ts';
import type { FaultRule } from './faults.ts';
import type { LogLine } from './lambda/logs.ts';
import type { SeedDocument } from './service.ts';
import type { SlackFailure, SlackMessage, SlackStats } from './slack.ts';
import type { DemandDocument, UsageKind } from './usage.ts';

/** A typed client for the local cloud's admin API (`/_local/`), for tests and scripts. */
export class LocalAdminClient {
  constructor(private readonly baseUrl: string) {}

  health(): Promise<{ ok: boolean; now: string; url: string; region: string; accountId: string }> {
    return this.call('GET', '/health');
  }

  seed(document: SeedDocument): Promise<{ ok: boolean; now: string }> {
    return this.call('POST', '/seed', document);
  }

  clock(): Promise<ClockState> {
    return this.call('GET', '/clock');
  }

  setClock(at: Date | string): Promise<ClockState> {
    return this.call('POST', '/clock', { set: new Date(at).toISOString() });
  }

  advance(seconds: number): Promise<ClockState> {
    return this.call('POST', '/clock', { advanceSeconds: seconds });
  }

  advanceTo(at: Date | string): Promise<ClockState> {
    return this.call('POST', '/clock', { advanceTo: new Date(at).toISOString() });
  }

  /** The demand settings in force, each as `putUsage` takes it. */
  usage(): Promise<DemandDocument[]> {
    return this.call('GET', '/usage');
  }

  putUsage(setting: DemandDocument): Promise<unknown> {
    return this.call('PUT', '/usage', setting);
  }

  setUsage(kind: UsageKind, id: string, sessions: number): Promise<unknown> {
    return this.putUsage({ kind, id, sessions });
  }

  setUsageCurve(kind: UsageKind, id: string, curve: Array<{ at: Date | string; sessions: number }>): Promise<unknown> {
    return this.putUsage({
      kind,
      id,
      curve: curve.map((point) => ({ at: new Date(point.at).toISOString(), sessions: point.sessions })),
    });
  }

  addFault(rule: FaultRule): Promise<FaultRule[]> {
    return this.call('POST', '/faults', rule);
  }

  faults(): Promise<FaultRule[]> {
    return this.call('GET', '/faults');
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/faults');
  }

  slackMessages(): Promise<SlackMessage[]> {
    return this.call('GET', '/slack/messages');
  }

  /** Posts the Slack sink accepted and refused since its messages were last cleared. */
  slackStats(): Promise<SlackStats> {
    return this.call('GET', '/slack/stats');
  }

  clearSlackMessages(): Promise<unknown> {
    return this.call('DELETE', '/slack/messages');
  }

  failSlack(failure: SlackFailure): Promise<unknown> {
    return this.call('POST', '/slack/failures', failure);
  }

  clearSlackFailure(): Promise<unknown> {
    return this.call('DELETE', '/slack/failures');
  }

  cloudTrail(): Promise<CloudTrailEvent[]> {
    return this.call('GET', '/cloudtrail');
  }

  clearCloudTrail(): Promise<unknown> {
    return this.call('DELETE', '/cloudtrail');
  }

  executions(): Promise<unknown[]> {
    return this.call('GET', '/executions');
  }

  /** Puts an event on a bus as AWS would, `aws.*` sources included (CloudTrail events, say). */
  publish(event: { source: string; 'detail-type': string; detail: unknown } & Record<string, unknown>, bus?: string): Promise<unknown> {
    return this.call('POST', `/events${bus ? `?bus=${encodeURIComponent(bus)}` : ''}`, event);
  }

  deliveries(): Promise<unknown[]> {
    return this.call('GET', '/events');
  }

  logs(functionName?: string): Promise<LogLine[]> {
    return this.call('GET', `/logs${functionName ? `?function=${encodeURIComponent(functionName)}` : ''}`);
  }

  /** Invokes a function of serverless.yml (RequestResponse): `{ ok, payload }` or `{ ok: false, error }`. */
  invoke<T = unknown>(functionName: string, event: unknown): Promise<{ ok: true; payload: T } | { ok: false; error: unknown }> {
    return this.call('POST', `/functions/${encodeURIComponent(functionName)}/invocations`, event);
  }

  rules(): Promise<unknown[]> {
    return this.call('GET', '/rules');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_local${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = (parsed as { error?: string } | undefined)?.error ?? text;
      throw new Error(`local cloud ${method} ${path} answered ${response.status}: ${message}`);
    }
    return parsed as T;
  }
}

export interface ClockState {
  now: string;
  epochMs: number;
  pendingTimers: number;
}
