import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import {
  lambdaError,
  type ContainerData,
  type ContextData,
  type InvokeMessage,
  type WorkerMessage,
} from './messages.ts';

/**
 * The inside of one local Lambda container (a worker thread with its own module graph and
 * process.env): loads the handler module once (the cold start), then runs the invocations the
 * runner sends, one at a time, with a Lambda-like context, and answers with the JSON result or
 * the error as Lambda reports it.
 *
 * The container's clock is the local cloud's: `Date` starts each invocation at the local time the
 * runner sends and runs on from there, so handler logic, SDK timestamps and caches see the same
 * time as the emulated services and the scheduled events.
 */
type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

const port = parentPort;
if (!port) throw new Error('local/lambda/worker.ts runs inside a worker thread');
const data = workerData as ContainerData;

let anchor = { local: data.now, wall: performance.now() };
const localNow = () => Math.round(anchor.local + performance.now() - anchor.wall);
const RealDate = Date;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [localNow()] : args, newTarget),
  apply: () => new RealDate(localNow()).toString(),
  get: (target, key, receiver) => (key === 'now' ? localNow : Reflect.get(target, key, receiver)),
});

const post = (message: WorkerMessage) => port.postMessage(message);
const handler = await load();
if (handler) {
  port.on('message', (message: InvokeMessage) => {
    anchor = { local: message.now, wall: performance.now() };
    invoke(handler, message).then(
      (payload) => post({ type: 'result', ok: true, payload }),
      (error: unknown) => post({ type: 'result', ok: false, error: lambdaError(error) }),
    );
  });
  post({ type: 'ready' });
}

async function load(): Promise<Handler | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(data.file).href)) as Record<string, unknown>;
  } catch (error) {
    const notFound = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    post({
      type: 'init-error',
      error: notFound
        ? { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: ${(error as Error).message}` }
        : lambdaError(error),
    });
    return undefined;
  }
  const exported = module[data.exportName];
  if (typeof exported !== 'function') {
    post({
      type: 'init-error',
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${data.file}.${data.exportName} is undefined or not exported`,
      },
    });
    return undefined;
  }
  return exported as Handler;
}

/** Runs the handler as the Node.js runtime does: a returned promise or the callback settles it. */
async function invoke(handler: Handler, message: InvokeMessage): Promise<unknown> {
  const result = await new Promise((resolve, reject) => {
    const callback = (error?: unknown, value?: unknown) => (error ? reject(error) : resolve(value));
    const returned = handler(message.event, context(message.context, message.timeoutMs, callback), callback);
    if (returned instanceof Promise) returned.then(resolve, reject);
  });
  // Lambda hands back JSON: undefined becomes null, class instances plain objects.
  return JSON.parse(JSON.stringify(result ?? null)) as unknown;
}

function context(data: ContextData, timeoutMs: number, callback: (error?: unknown, result?: unknown) => void) {
  const deadline = performance.now() + timeoutMs;
  return {
    ...data,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    done: callback,
    fail: (error: unknown) => callback(error ?? 'handled'),
    succeed: (result: unknown) => callback(undefined, result),
  };
}
