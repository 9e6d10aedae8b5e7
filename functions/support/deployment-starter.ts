import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import type { StarterDeps } from '#lib/apps/start-deployment.ts';
import { awsClientConfig, documentClient } from '#lib/aws/clients.ts';
import { requireEnv } from '#lib/config/env.ts';
import { policyFileFromEnv } from '#lib/config/policy-file.ts';
import { stateMachineArnFor } from '#lib/config/state-machine.ts';
import { createTargetClients } from '#lib/targets/index.ts';

/**
 * What the two functions that start deploy-applications workflows (cloudtrail-reactor,
 * deployment-sweeper) read at cold start: the policy file (and its `applications` settings), the
 * state table, the workflow's name, and their clients.
 */
export function deploymentStarterEnvironment() {
  const policies = policyFileFromEnv();
  const settings = policies.applications;
  const stateTable = requireEnv('STATE_TABLE_NAME');
  const stateMachine = requireEnv('DEPLOY_APPLICATIONS_STATE_MACHINE');
  const sfn = new SFNClient(awsClientConfig());
  return {
    policies,
    settings,
    // WorkSpaces for the associations; AppStream too for the reactor's pool and fleet calls.
    clients: createTargetClients(),
    starter: (context: Context): StarterDeps => ({
      documents: documentClient(),
      stateTable,
      sfn,
      stateMachineArn: stateMachineArnFor(stateMachine, context.invokedFunctionArn, 'DEPLOY_APPLICATIONS_STATE_MACHINE'),
    }),
  };
}
