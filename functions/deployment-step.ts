import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import type { DeploymentRequest } from '#lib/apps/deployment-request.ts';
import { advanceStep, finishStep, type DeploymentDeps } from '#lib/apps/deployment-steps.ts';
import { createWorkSpacesClient } from '#lib/targets/clients.ts';
import { workflowStepEnvironment } from './support/workflow-step.ts';

/**
 * deployment-step: one step of the `deploy-applications` workflow, chosen by `step`. Errors
 * propagate by name (ThrottlingException…) so the workflow's Retry and Catch see them.
 */
const stepDeps = workflowStepEnvironment();
const logger = new Logger();
const workspaces = createWorkSpacesClient();

const STEPS = { advance: advanceStep, finish: finishStep } as const;

const inputSchema = z.object({
  step: z.enum(['advance', 'finish']),
  execution: z.string().min(1),
  executionStart: z.iso.datetime({ offset: true }),
  // The request is the workflow's own state, written by the starters and the steps: checked there.
  request: z.custom<DeploymentRequest>(
    (value) => typeof value === 'object' && value !== null && 'workspaceId' in value && 'progress' in value,
    'request must be the deployment request',
  ),
});

async function deploymentStep(event: unknown): Promise<DeploymentRequest> {
  const { step, execution, executionStart, request } = inputSchema.parse(event);
  logger.appendKeys({ correlationId: request.correlationId, execution, step, workspaceId: request.workspaceId });
  const deps: DeploymentDeps = { ...stepDeps(logger, execution), workspaces, executionStart: Date.parse(executionStart) };
  const result = await STEPS[step](request, deps);
  logger.info('Step done', {
    done: result.progress.done,
    waitSeconds: result.progress.waitSeconds,
    deploys: result.progress.deploys,
    applications: Object.fromEntries(Object.entries(result.applications).map(([id, app]) => [id, app.incompatible ? 'incompatible' : app.state])),
  });
  return result;
}

export const handler = middy(deploymentStep).use(injectLambdaContext(logger, { resetKeys: true }));
