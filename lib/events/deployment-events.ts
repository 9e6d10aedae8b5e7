import { z } from 'zod';
import { actorSchema } from '#lib/audit/entry.ts';
import { defineDomainEvent } from './domain-event.ts';

/**
 * Each transition of a deploy-applications workflow, for whoever subscribes on the bus (a ticket
 * system, a dashboard). Not a Slack message: Slack gets one Operator Notice per workflow, its
 * summary (lib/apps/summary.ts), not one message per step.
 */
export const deploymentTransitions = ['started', 'retried', 'completed', 'failed', 'timed-out', 'skipped'] as const;
export type DeploymentTransition = (typeof deploymentTransitions)[number];

export const applicationDeployment = defineDomainEvent(
  'Application Deployment',
  1,
  z.object({
    workspaceId: z.string().regex(/^ws-[0-9a-z]{8,63}$/, 'must be a WorkSpace id (ws-…)'),
    transition: z.enum(deploymentTransitions),
    /** The applications the transition is about. */
    applicationIds: z.array(z.string().min(1).max(100)).max(200),
    /** What happened, in words. */
    reason: z.string().min(1).max(4000),
    /** Who the workflow acts for: the principal whose call started it, or the sweeper. */
    actor: actorSchema,
    /** The Step Functions execution name. */
    execution: z.string().min(1).max(80),
    /** For `started` / `retried`: whether DeployWorkspaceApplications was called with Force. */
    force: z.boolean().optional(),
    /** For `failed` / `timed-out`: the association errors or what was still unsettled. */
    error: z.string().min(1).max(4000).optional(),
  }),
);

export type ApplicationDeployment = z.infer<typeof applicationDeployment.dataSchema>;
