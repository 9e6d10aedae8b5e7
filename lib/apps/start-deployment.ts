import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { abandonClaim, claimDeployment } from './deployment-hold.ts';
import {
  DEPLOYMENT_HOLD_MS,
  deploymentExecutionName,
  newDeploymentRequest,
  type DeploymentSettings,
  type DeploymentTrigger,
} from './deployment-request.ts';

/**
 * Starts the deploy-applications workflow for one WorkSpace, at most once per trigger and never
 * next to another workflow on the same WorkSpace (the CloudTrail reactor and the sweeper both
 * start through here).
 *
 * Primary course: claim the WorkSpace (lib/apps/deployment-hold.ts) for the execution named after
 * the WorkSpace and the trigger → StartExecution with that name and an input derived from the
 * trigger alone.
 * - The same event delivered again: the same name and input. Claim succeeds (it is the same
 *   execution's) and StartExecution returns the running execution: 'started' again, one workflow.
 *   Once that execution has ended, StartExecution answers ExecutionAlreadyExists: 'duplicate',
 *   and the claim just made is given up.
 * - Another workflow holds the WorkSpace: 'covered' — it looks at every association of the
 *   WorkSpace until they settle, so it deploys what this trigger came for too.
 * - StartExecution fails otherwise (after the SDK's retries): the claim is given up and the error
 *   thrown, so the caller's invocation fails and is retried (EventBridge → Lambda retries twice).
 */
export interface StarterDeps {
  documents: DynamoDBDocumentClient;
  stateTable: string;
  sfn: SFNClient;
  stateMachineArn: string;
}

export type StartOutcome = { outcome: 'started' | 'duplicate' | 'covered'; execution: string };

export async function startDeployment(
  deps: StarterDeps,
  workspaceId: string,
  trigger: DeploymentTrigger,
  settings: DeploymentSettings,
  now: number,
): Promise<StartOutcome> {
  const execution = deploymentExecutionName(workspaceId, trigger);
  const claimed = await claimDeployment(deps.documents, deps.stateTable, { workspaceId, execution, now, until: now + DEPLOYMENT_HOLD_MS });
  if (!claimed) return { outcome: 'covered', execution };
  const input = JSON.stringify(newDeploymentRequest(workspaceId, trigger, settings));
  try {
    await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name: execution, input }));
    return { outcome: 'started', execution };
  } catch (error) {
    await abandonClaim(deps.documents, deps.stateTable, { workspaceId, execution });
    if (error instanceof ExecutionAlreadyExists || (error as { name?: string }).name === 'ExecutionAlreadyExists') {
      return { outcome: 'duplicate', execution };
    }
    throw error;
  }
}
