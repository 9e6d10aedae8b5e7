/**
 * The AWS JSON 1.0/1.1 wire protocol as the local cloud speaks it.
 *
 * The SDK maps an error body `{"__type": "X", "message": "…"}` to the modelled exception class `X`
 * (or a generic ServiceException carrying that name), so raising `new AwsError('X', …)` from an
 * operation is all a service emulator needs to produce documented errors.
 */

/** An error the edge returns to the caller in the AWS JSON error shape. */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Extra headers, e.g. Retry-After on throttling. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Errors every AWS JSON service can return, named as the SDK expects them. */
export const errors = {
  validation: (message: string) => new AwsError('ValidationException', message),
  unknownOperation: (target: string) =>
    new AwsError('UnknownOperationException', `The operation ${target} is not supported by the local cloud.`),
  throttling: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
  internal: (status = 500) =>
    new AwsError(status === 503 ? 'ServiceUnavailable' : 'InternalServerError', 'Injected server fault', status),
  serialization: (message: string) => new AwsError('SerializationException', message),
};

/** AWS JSON protocols send timestamps as epoch seconds (fractional allowed). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Body of an AWS JSON error response. */
export function errorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.type, message: error.message, Message: error.message });
}

/** Drops `undefined` members so responses carry only what is set, as AWS responses do. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
