import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { LocalCloud } from './cloud.ts';
import { sendJson } from './edge.ts';
import { messageOf } from './errors.ts';
import type { BusEvent } from './service.ts';
import type { FaultRule } from './faults.ts';
import type { SlackFailure } from './slack.ts';
import { isoSeconds, parseIsoTime } from './time.ts';
import { parseDemandSetting } from './usage.ts';

/**
 * The admin API under `/_local/` and the Slack sink under `/_slack/`. Every body is JSON (the seed
 * also takes YAML); every answer is JSON. A bad request answers 400 with the field to fix.
 *
 *   GET    /_local/health                       → { ok, now, url, region, accountId }
 *   POST   /_local/seed                         seed document (JSON or YAML)
 *   GET    /_local/clock                        → { now, epochMs, pendingTimers }
 *   POST   /_local/clock                        { "set": ISO } (re-arms schedules) | { "advanceSeconds": n ≥ 0 } | { "advanceTo": ISO, not past }
 *   GET    /_local/usage                        → demand settings, as PUT takes them
 *   PUT    /_local/usage                        { kind: pool|fleet, id, sessions } | { kind, id, curve: [{ at: ISO, sessions }], rampMinutes? }
 *   GET    /_local/faults                       → fault rules in force
 *   POST   /_local/faults                       a fault rule (see local/faults.ts)
 *   DELETE /_local/faults                       clears all
 *   GET    /_local/slack/messages               → posted payloads;  DELETE clears them and the stats
 *   GET    /_local/slack/stats                  → { delivered, rejected } posts
 *   POST   /_local/slack/failures               { status: 429|500, retryAfter?, count? };  DELETE clears
 *   GET    /_local/cloudtrail                   → CloudTrail events emitted;  DELETE clears
 *   GET    /_local/executions                   → Step Functions executions
 *   GET    /_local/events                       → event deliveries to rule targets
 *   POST   /_local/events[?bus=name]            puts an event on a bus as AWS would (any source, e.g. aws.workspaces)
 *   GET    /_local/rules                        → EventBridge rules loaded from serverless.yml
 *   POST   /_local/functions/<name>/invocations  invokes a function (RequestResponse) with the body as its event
 *   GET    /_local/logs[?function=name]         → handlers' log lines (stdout/stderr), local time
 *   POST   /_slack/<any path>                   the incoming-webhook sink
 */
export async function handleAdmin(
  cloud: LocalCloud,
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/_slack/') && method === 'POST') {
    const reply = cloud.slack.post(url.pathname.slice('/_slack/'.length), body.toString('utf8'), cloud.clock.now());
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body);
    return true;
  }
  if (!url.pathname.startsWith('/_local/')) return false;
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    const answer = await dispatch(cloud, route, body, url.searchParams);
    if (answer === NOT_FOUND) return false;
    sendJson(res, 200, answer ?? { ok: true });
  } catch (error) {
    sendJson(res, 400, { error: messageOf(error) });
  }
  return true;
}

const NOT_FOUND = Symbol('not found');

async function dispatch(cloud: LocalCloud, route: string, body: Buffer, query: URLSearchParams): Promise<unknown> {
  switch (route) {
    case 'GET /_local/health':
      return { ok: true, now: iso(cloud.clock.now()), url: cloud.url, region: cloud.region, accountId: cloud.accountId };
    case 'POST /_local/seed':
      cloud.seed(objectBody(parseYaml(body.toString('utf8')), 'seed document'));
      return { ok: true, now: iso(cloud.clock.now()) };
    case 'GET /_local/clock':
      return clockState(cloud);
    case 'POST /_local/clock':
      await moveClock(cloud, objectBody(json(body), 'clock request'));
      return clockState(cloud);
    case 'GET /_local/usage':
      return cloud.usage.list();
    case 'PUT /_local/usage':
      cloud.usage.set(parseDemandSetting(json(body)));
      return { ok: true };
    case 'GET /_local/faults':
      return cloud.faults.list();
    case 'POST /_local/faults':
      cloud.faults.add(objectBody(json(body), 'fault rule') as unknown as FaultRule);
      return cloud.faults.list();
    case 'DELETE /_local/faults':
      cloud.faults.clear();
      return { ok: true };
    case 'GET /_local/slack/messages':
      return cloud.slack.list();
    case 'GET /_local/slack/stats':
      return cloud.slack.stats();
    case 'DELETE /_local/slack/messages':
      cloud.slack.clear();
      return { ok: true };
    case 'POST /_local/slack/failures':
      cloud.slack.failNext(objectBody(json(body), 'slack failure') as unknown as SlackFailure);
      return { ok: true };
    case 'DELETE /_local/slack/failures':
      cloud.slack.clearFailure();
      return { ok: true };
    case 'GET /_local/cloudtrail':
      return cloud.cloudTrail;
    case 'DELETE /_local/cloudtrail':
      cloud.cloudTrail.length = 0;
      return { ok: true };
    case 'GET /_local/executions':
      return cloud.snapshot().executions;
    case 'POST /_local/events':
      cloud.publish(busEvent(json(body), cloud), query.get('bus') ?? undefined);
      return { ok: true };
    case 'GET /_local/events':
      return cloud.snapshot().deliveries;
    case 'GET /_local/logs': {
      const functionName = query.get('function');
      const logs = cloud.snapshot().logs;
      return functionName ? logs.filter((line) => line.functionName === functionName) : logs;
    }
    case 'GET /_local/rules':
      return cloud.snapshot().rules;
    default: {
      const invocation = /^POST \/_local\/functions\/([^/]+)\/invocations$/.exec(route);
      if (invocation) return cloud.invoke(decodeURIComponent(invocation[1]!), json(body));
      return NOT_FOUND;
    }
  }
}

async function moveClock(cloud: LocalCloud, request: Record<string, unknown>): Promise<void> {
  if (typeof request.set === 'string') {
    cloud.setClock(parseIsoTime(request.set, 'set'));
  } else if (typeof request.advanceSeconds === 'number') {
    const seconds = request.advanceSeconds;
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new Error(`advanceSeconds must be a number ≥ 0, got ${seconds}; use set to move the clock back`);
    await cloud.clock.advance(seconds * 1000);
  } else if (typeof request.advanceTo === 'string') {
    const target = parseIsoTime(request.advanceTo, 'advanceTo');
    const now = cloud.clock.now();
    if (target < now)
      throw new Error(`advanceTo ${iso(target)} is before the local clock's now, ${iso(now)}; use set to move the clock back`);
    await cloud.clock.advanceTo(target);
  } else {
    throw new Error('clock request needs one of: set (ISO time), advanceSeconds (number), advanceTo (ISO time)');
  }
}

function clockState(cloud: LocalCloud) {
  return { now: iso(cloud.clock.now()), epochMs: cloud.clock.now(), pendingTimers: cloud.clock.pending };
}

/** A whole EventBridge event; id, time, account, region and resources are filled in when absent. */
function busEvent(raw: unknown, cloud: LocalCloud): BusEvent {
  const event = objectBody(raw, 'event');
  for (const field of ['source', 'detail-type', 'detail'] as const) {
    if (event[field] === undefined) throw new Error(`event.${field} is required`);
  }
  return {
    version: '0',
    id: typeof event.id === 'string' ? event.id : randomUUID(),
    'detail-type': String(event['detail-type']),
    source: String(event.source),
    account: typeof event.account === 'string' ? event.account : cloud.accountId,
    time: typeof event.time === 'string' ? event.time : isoSeconds(cloud.clock.now()),
    region: typeof event.region === 'string' ? event.region : cloud.region,
    resources: Array.isArray(event.resources) ? event.resources.map(String) : [],
    detail: event.detail,
  };
}

function json(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error('the body must be JSON');
  }
}

function objectBody(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
