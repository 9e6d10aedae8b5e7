import { z } from 'zod';

/**
 * Domain events euc-autopilot publishes on its own EventBridge bus. Each contract is defined once —
 * source, detail-type, version, zod schema of `data` — and gives the rule pattern and the typed
 * envelope, so publishers and subscribers cannot drift apart.
 */
export const DOMAIN_EVENT_SOURCE = 'euc-autopilot';

export const eventMetadataSchema = z.object({
  eventVersion: z.number().int().positive(),
  eventTime: z.iso.datetime({ offset: true }),
  /** Ties together everything one trigger caused (a tick, a CloudTrail event, a workflow). */
  correlationId: z.string().min(1),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export interface DomainEventContract<Data extends z.ZodType> {
  readonly source: typeof DOMAIN_EVENT_SOURCE;
  readonly detailType: string;
  readonly version: number;
  readonly dataSchema: Data;
  /** Schema of the whole `detail`: `{ metadata, data }`. */
  readonly detailSchema: z.ZodObject<{ metadata: typeof eventMetadataSchema; data: Data }>;
  /** The EventBridge rule pattern that selects this event. */
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
    detailSchema: z.object({ metadata: eventMetadataSchema, data: dataSchema }),
    pattern: { source: [DOMAIN_EVENT_SOURCE], 'detail-type': [detailType] },
  };
}

export type DomainEventDetail<C extends DomainEventContract<z.ZodType>> = z.infer<C['detailSchema']>;
