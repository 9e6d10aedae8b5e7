import { describe, expect, it } from 'vitest';
import { busyAware, TargetBusyError, TargetThrottledError, throttleAware } from '#lib/targets/errors.ts';

function serviceError(name: string): Error {
  const error = new Error(`${name} from the service`);
  error.name = name;
  return error;
}

const target = { kind: 'fleet', id: 'reporting-apps', capacityModel: 'fleet-instances' } as const;

describe('target error names the workflow retries', () => {
  it("turns AppStream's RequestLimitExceededException (which the SDK does not retry) into TargetThrottledError", async () => {
    const change = busyAware(target, 'start', () => Promise.reject(serviceError('RequestLimitExceededException')));
    await expect(change).rejects.toBeInstanceOf(TargetThrottledError);
    await expect(change).rejects.toMatchObject({ name: 'TargetThrottledError', cause: { name: 'RequestLimitExceededException' } });
    await expect(throttleAware(target, 'describe', () => Promise.reject(serviceError('RequestLimitExceededException')))).rejects.toMatchObject({
      name: 'TargetThrottledError',
    });
  });

  it('keeps busy answers busy and passes other errors through by name', async () => {
    await expect(busyAware(target, 'stop', () => Promise.reject(serviceError('ConcurrentModificationException')))).rejects.toBeInstanceOf(
      TargetBusyError,
    );
    await expect(busyAware(target, 'stop', () => Promise.reject(serviceError('ThrottlingException')))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});
