import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { cloudTrailEvent, isMutating, type CloudTrailEvent } from './cloudtrail.ts';
import { dynamoDbThrottling } from './dynamodb.ts';
import { messageOf } from './errors.ts';
import type { CallCounter } from './activity.ts';
import type { Faults } from './faults.ts';
import type { Identities } from './identity.ts';
import { AwsError, errorBody, errors } from './protocol.ts';
import type { CallContext, Emulator, Operation } from './service.ts';

/**
 * The one HTTP endpoint of the local cloud. Requests carrying `X-Amz-Target: <Prefix>.<Op>` go to
 * the emulator for that prefix; DynamoDB targets are proxied to dynalite (after fault injection);
 * `/_local/*` is the admin API and `/_slack/*` the webhook sink (both handed to `routes`).
 */
export interface EdgeOptions {
  host: string;
  port: number;
  region: string;
  accountId: string;
  now: () => number;
  faults: Faults;
  /** Counts every AWS call (emulated or DynamoDB) by target and caller, when given. */
  calls?: CallCounter;
  identities: Identities;
  /** Called for every CloudTrail event the edge records. */
  onCloudTrail: (event: CloudTrailEvent) => void;
  /** Forwards a DynamoDB request unchanged to dynalite. */
  proxyDynamoDb: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => Promise<void>;
  /** Non-AWS routes (admin API, Slack sink); returns false when the path is not theirs. */
  routes: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => Promise<boolean>;
}

export interface Edge {
  readonly url: string;
  close(): Promise<void>;
}

/** Maximum request body accepted, like API Gateway-fronted AWS endpoints (well above any call here). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startEdge(emulators: readonly Emulator[], options: EdgeOptions): Promise<Edge> {
  const table = operationTable(emulators);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: messageOf(error) });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = header(req, 'x-amz-target');
    if (!target) {
      if (await options.routes(req, body, res)) return;
      sendJson(res, 404, { message: `No route for ${req.method} ${req.url}` });
      return;
    }
    options.calls?.record(target, accessKeyOf(header(req, 'authorization')));
    if (target.startsWith('DynamoDB_')) {
      await handleDynamoDbCall(req, res, target, body);
      return;
    }
    await handleAwsCall(req, res, target, body);
  }

  /** Waits out the latency faults for this call and answers the error fault it draws, if any. */
  async function takeFault(target: string, throttling?: () => AwsError): Promise<AwsError | undefined> {
    const fault = options.faults.take(target, throttling);
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    return fault.error;
  }

  /** Faults apply to DynamoDB calls as to the emulated services; a call they spare goes to dynalite unchanged. */
  async function handleDynamoDbCall(req: http.IncomingMessage, res: http.ServerResponse, target: string, body: Buffer) {
    const failure = await takeFault(target, dynamoDbThrottling);
    if (!failure) {
      await options.proxyDynamoDb(req, body, res);
      return;
    }
    const headers = {
      'content-type': header(req, 'content-type') ?? 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
    };
    res.writeHead(failure.status, { ...headers, ...failure.headers });
    res.end(errorBody(failure));
  }

  async function handleAwsCall(req: http.IncomingMessage, res: http.ServerResponse, target: string, body: Buffer) {
    const requestId = randomUUID();
    const contentType = header(req, 'content-type') ?? 'application/x-amz-json-1.1';
    const caller = options.identities.fromAuthorization(header(req, 'authorization'));
    const entry = table.get(target);
    const [, operationName = target] = target.split('.');
    const ctx: CallContext = {
      now: options.now(),
      region: options.region,
      accountId: options.accountId,
      caller,
      requestId,
    };
    let input: unknown = {};
    let result: unknown;
    let failure: AwsError | undefined;
    try {
      // Parsed before any fault applies: CloudTrail keeps the parameters of throttled and failed calls.
      input = parseBody(body);
      const fault = await takeFault(target);
      if (fault) throw fault;
      if (!entry) throw errors.unknownOperation(target);
      result = (await entry.operation(input, ctx)) ?? {};
    } catch (error) {
      failure = error instanceof AwsError ? error : new AwsError('InternalFailure', messageOf(error), 500);
    }
    if (entry?.eventSource && isMutating(operationName)) {
      options.onCloudTrail(
        cloudTrailEvent({
          eventSource: entry.eventSource,
          operation: operationName,
          request: input,
          response: result,
          error: failure && { code: failure.type, message: failure.message },
          caller,
          requestId,
          at: ctx.now,
          region: options.region,
          accountId: options.accountId,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: header(req, 'user-agent') ?? 'unknown',
        }),
      );
    }
    const headers = { 'content-type': contentType, 'x-amzn-requestid': requestId };
    if (failure) {
      res.writeHead(failure.status, { ...headers, ...failure.headers });
      res.end(errorBody(failure));
    } else {
      res.writeHead(200, headers);
      res.end(JSON.stringify(result));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function operationTable(emulators: readonly Emulator[]): Map<string, { operation: Operation; eventSource?: string }> {
  const table = new Map<string, { operation: Operation; eventSource?: string }>();
  for (const emulator of emulators) {
    for (const [name, operation] of Object.entries(emulator.operations)) {
      const target = `${emulator.targetPrefix}.${name}`;
      if (table.has(target)) throw new Error(`Two emulators answer ${target}`);
      table.set(target, emulator.eventSource ? { operation, eventSource: emulator.eventSource } : { operation });
    }
  }
  return table;
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.serialization('The request body is not valid JSON.');
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`Request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The SigV4 access key id of a request ('anonymous' when unsigned), as identity.ts reads it. */
function accessKeyOf(authorization: string | undefined): string {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? 'anonymous';
}

export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
