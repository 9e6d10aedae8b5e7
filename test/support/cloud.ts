import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AppStreamClient } from '@aws-sdk/client-appstream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { afterAll, beforeAll } from 'vitest';
import { LOCAL_CREDENTIALS, LocalCloud, type LocalCloudOptions } from '#local/cloud.ts';
import { LocalAdminClient } from '#local/client.ts';

/** Real SDK clients pointed at a local cloud. `maxAttempts: 1` unless asked, so tests see each error. */
export function sdkClients(url: string, region = 'us-east-1', maxAttempts = 1) {
  const config = { endpoint: url, region, credentials: LOCAL_CREDENTIALS, maxAttempts };
  return {
    workspaces: new WorkSpacesClient(config),
    appstream: new AppStreamClient(config),
    dynamodb: new DynamoDBClient(config),
    sfn: new SFNClient(config),
    eventbridge: new EventBridgeClient(config),
    autoscaling: new ApplicationAutoScalingClient(config),
  };
}

/**
 * Starts a local cloud of this test file's own (isolated clock, state and faults) on a free port
 * before its tests and stops it after. Read the members inside tests, not at module scope.
 */
export function useLocalCloud(options: LocalCloudOptions = {}) {
  let cloud: LocalCloud | undefined;
  let clients: ReturnType<typeof sdkClients> | undefined;
  let admin: LocalAdminClient | undefined;
  beforeAll(async () => {
    // The project's schedules (capacity-tick every minute) and its reactions to CloudTrail (the
    // reactor deploying applications, respecting manual changes) run only where a test asks for them.
    cloud = await LocalCloud.start({ startTime: new Date('2026-11-23T06:00:00Z'), schedules: false, cloudTrailDelivery: false, ...options });
    clients = sdkClients(cloud.url, cloud.region);
    admin = new LocalAdminClient(cloud.url);
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useLocalCloud members are ready inside tests only');
    return value;
  };
  return {
    get cloud() {
      return need(cloud);
    },
    get clients() {
      return need(clients);
    },
    get admin() {
      return need(admin);
    },
  };
}

/** What the project's serverless.yml names its resources at the local cloud's stage (`local`). */
export const LOCAL_RESOURCES = {
  stateTable: 'euc-autopilot-local-state',
  auditTable: 'euc-autopilot-local-audit',
  eventBus: 'euc-autopilot-local',
  capacityChangeStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:euc-autopilot-local-capacity-change',
  deployApplicationsStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:euc-autopilot-local-deploy-applications',
  /** Deployed function names (`${service}-${stage}-${key}`). */
  functions: {
    cloudtrailReactor: 'euc-autopilot-local-cloudtrailReactor',
    deploymentSweeper: 'euc-autopilot-local-deploymentSweeper',
  },
} as const;
