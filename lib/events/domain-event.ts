import { z } from 'zod';

/**
 * Domain events euc-autopilot publishes on its own EventBridge bus. Each contract is defined once —
 * source, detail-type, version, zod schema of `data` — and gives the rule pattern and the typed
 * envelope, so publishers and subscribers cannot drift apart.
 */
export const DOMAIN_EVENT_SOURCE = 'euc-autopilot';

/** `{ eventVersion, eventTime, correlationId }`; a contract accepts only its own version. */
function metadataSchema(version: number) {
  return z.object({
    eventVersion: z.literal(version),
    eventTime: z.iso.datetime({ offset: true }),
    /** Ties together everything one trigger caused (a tick, a CloudTrail event, a workflow). */
    correlationId: z.string().min(1),
  });
}

export interface DomainEventContract<Data extends z.ZodType> {
  readonly source: typeof DOMAIN_EVENT_SOURCE;
  readonly detailType: string;
  readonly version: number;
  readonly dataSchema: Data;
  /** Schema of the whole `detail`: `{ metadata, data }`. */
  readonly detailSchema: z.ZodObject<{ metadata: ReturnType<typeof metadataSchema>; data: Data }>;
  /** The EventBridge rule pattern that selects this event (serverless.yml's rules are tested against it). */
  readonly pattern: { source: string[]; 'detail-type': string[] };
}

export function defineDomainEvent<Data extends z.ZodType>(
  detailType: string,
  version: number,
  dataSchema: Data,
): DomainEventContract<Data> {
  return {
    source: DOMAIN_EVENT_SOURCE,
    detailType,
    version,
    dataSchema,
    detailSchema: z.object({ metadata: metadataSchema(version), data: dataSchema }),
    pattern: { source: [DOMAIN_EVENT_SOURCE], 'detail-type': [detailType] },
  };
}
