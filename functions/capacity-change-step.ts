import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import type { ChangeRequest } from '#lib/capacity/change-request.ts';
import { finishStep, observeStartStep, observeStep, setStep, startStep, stopStep, type StepDeps } from '#lib/capacity/change-steps.ts';
import { createTargetClients } from '#lib/targets/index.ts';
import { workflowStepEnvironment } from './support/workflow-step.ts';

/**
 * capacity-change-step: one step of the `capacity-change` workflow, chosen by `step`. Errors
 * propagate by name (TargetBusyError, TargetThrottledError, TargetGoneError…) so the workflow's Retry and Catch see them.
 */
const stepDeps = workflowStepEnvironment();
const logger = new Logger();
const clients = createTargetClients();

const STEPS = {
  start: startStep,
  stop: stopStep,
  set: setStep,
  'observe-start': observeStartStep,
  observe: observeStep,
  finish: finishStep,
} as const;

const inputSchema = z.object({
  step: z.enum(['start', 'stop', 'set', 'observe-start', 'observe', 'finish']),
  execution: z.string().min(1),
  // The request is the workflow's own state, written by the tick and the steps: checked there.
  request: z.custom<ChangeRequest>((value) => typeof value === 'object' && value !== null && 'target' in value, 'request must be the change request'),
});

async function capacityChangeStep(event: unknown): Promise<ChangeRequest> {
  const { step, execution, request } = inputSchema.parse(event);
  logger.appendKeys({ correlationId: request.correlationId, execution, step });
  const deps: StepDeps = { ...stepDeps(logger, execution), clients, now: Date.now() };
  const result = await STEPS[step](request, deps);
  logger.info('Step done', {
    target: `${request.target.kind}/${request.target.id}`,
    observed: result.observed,
    ...(result.skipped ? { skipped: result.skipped } : {}),
  });
  return result;
}

export const handler = middy(capacityChangeStep).use(injectLambdaContext(logger, { resetKeys: true }));
