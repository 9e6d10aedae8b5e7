import { describe, expect, it } from 'vitest';
import { withTargetLimits } from '#lib/capacity/reconcile.ts';
import { policySchema } from '#lib/policy/schema.ts';
import type { ManagedTarget } from '#lib/targets/index.ts';

const policy = policySchema.parse({ name: 'p', targets: [{ kind: 'fleet', id: 'f' }], min: 0, max: 10 });
const fleet = (capacityModel: ManagedTarget['capacityModel']) => ({ capacityModel }) as ManagedTarget;

describe('limits a target imposes on its policy', () => {
  it('keeps an ELASTIC fleet at 1 or more, since AppStream refuses MaxConcurrentSessions 0', () => {
    expect(withTargetLimits(policy, fleet('fleet-elastic'))).toMatchObject({ min: 1, max: 10 });
  });

  it('leaves every other target to its policy', () => {
    expect(withTargetLimits(policy, fleet('fleet-instances'))).toBe(policy);
    expect(withTargetLimits(policy, fleet('pool-sessions'))).toBe(policy);
  });
});
