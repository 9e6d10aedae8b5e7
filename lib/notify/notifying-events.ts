import type { z } from 'zod';
import {
  capacityChangeDeferred,
  capacityChanged,
  capacityChangeFailed,
  scalingConflict,
} from '#lib/events/capacity-events.ts';
import { DOMAIN_EVENT_SOURCE, type DomainEventContract } from '#lib/events/domain-event.ts';
import { operatorNotice, type OperatorNotice } from '#lib/events/operator-notice.ts';
import {
  capacityChangedLine,
  capacityChangedNotice,
  capacityChangeDeferredLine,
  capacityChangeDeferredNotice,
  capacityChangeFailedLine,
  capacityChangeFailedNotice,
  scalingConflictLine,
  scalingConflictNotice,
} from './capacity-notices.ts';
import type { DigestLine } from './digest.ts';

/**
 * The domain events that reach Slack, each with its formatter. serverless.yml's notifier rule
 * lists exactly these detail-types (test/events/contracts.test.ts holds it to `notifierPattern`);
 * a new notifying contract is one line here, one in that rule.
 *
 * The capacity events also have a digest line: the notifier gathers them per correlation id (one
 * tick) into one Slack message (lib/notify/digest.ts). An Operator Notice has none: each is one
 * message of its own (an override, a deployment's summary, an expiry: already one per action).
 */
export type Formatted =
  | { ok: true; correlationId: string; notice: OperatorNotice; digest?: DigestLine }
  | { ok: false; issues: string };

export interface NotifyingEvent {
  readonly detailType: string;
  readonly version: number;
  /** Validates a `detail` against the contract and formats it, or says why it cannot. */
  format(detail: unknown): Formatted;
}

function notifying<Data extends z.ZodType>(
  contract: DomainEventContract<Data>,
  toNotice: (data: z.output<Data>) => OperatorNotice,
  toDigestLine?: (data: z.output<Data>) => DigestLine,
): NotifyingEvent {
  return {
    detailType: contract.detailType,
    version: contract.version,
    format(detail) {
      const parsed = contract.detailSchema.safeParse(detail);
      if (!parsed.success) return { ok: false, issues: parsed.error.message };
      // The detail schema is `{ metadata, data: Data }`; TypeScript cannot see through the generic object type.
      const { metadata, data } = parsed.data as { metadata: { correlationId: string }; data: z.output<Data> };
      const notice = toNotice(data);
      return { ok: true, correlationId: metadata.correlationId, notice, ...(toDigestLine ? { digest: toDigestLine(data) } : {}) };
    },
  };
}

export const notifyingEvents: readonly NotifyingEvent[] = [
  notifying(operatorNotice, (notice) => notice),
  notifying(capacityChanged, capacityChangedNotice, capacityChangedLine),
  notifying(capacityChangeFailed, capacityChangeFailedNotice, capacityChangeFailedLine),
  notifying(capacityChangeDeferred, capacityChangeDeferredNotice, capacityChangeDeferredLine),
  notifying(scalingConflict, scalingConflictNotice, scalingConflictLine),
];

/** The notifier's rule pattern: every notifying contract's detail-type from our source. */
export const notifierPattern = {
  source: [DOMAIN_EVENT_SOURCE],
  'detail-type': notifyingEvents.map((event) => event.detailType),
};

export function notifyingEvent(detailType: string): NotifyingEvent | undefined {
  return notifyingEvents.find((event) => event.detailType === detailType);
}
