import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AppStreamClient } from '@aws-sdk/client-appstream';
import { WorkSpacesClient, type WorkSpacesClientConfig } from '@aws-sdk/client-workspaces';
import { awsClientConfig, retrySettings } from '#lib/aws/clients.ts';

/**
 * The one place the capacity side builds its WorkSpaces, AppStream and Application Auto Scaling
 * clients; the attempt count and the wait scale come from lib/aws/clients.ts like every other
 * client's (AWS_MAX_ATTEMPTS, AWS_RETRY_WAIT_SCALE). Throttling (WorkSpaces and AppStream publish
 * no rate limits; a few calls per second throttle in practice) and transient 5xx errors are
 * retried by the SDK's standard retry strategy, with this module's backoff: exponential from
 * `baseDelayMs`, capped, with full jitter, times the wait scale. Nothing in lib/targets sleeps on its own.
 */
export interface TargetClients {
  workspaces: WorkSpacesClient;
  appstream: AppStreamClient;
  autoscaling: ApplicationAutoScalingClient;
}

export interface TargetClientOptions {
  region?: string;
  /** Only for the local cloud and tests; in AWS the SDK's own endpoint resolution applies. */
  endpoint?: string;
  credentials?: WorkSpacesClientConfig['credentials'];
  /** Attempts per call, the first included (default: lib/aws/clients.ts, i.e. AWS_MAX_ATTEMPTS or 5). */
  maxAttempts?: number;
  /** First retry's delay ceiling (default 200 ms); each retry doubles it up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** Largest delay between two attempts (default 5 s). */
  maxDelayMs?: number;
}

export function createTargetClients(options: TargetClientOptions = {}): TargetClients {
  const config = clientConfig(options);
  return {
    workspaces: new WorkSpacesClient(config),
    appstream: new AppStreamClient(config),
    autoscaling: new ApplicationAutoScalingClient(config),
  };
}

/** A WorkSpaces client alone (the application deployment side needs no other), retrying as above. */
export function createWorkSpacesClient(options: TargetClientOptions = {}): WorkSpacesClient {
  return new WorkSpacesClient(clientConfig(options));
}

function clientConfig(options: TargetClientOptions) {
  const { maxAttempts, baseDelayMs = 200, maxDelayMs = 5_000, ...connection } = options;
  const settings = retrySettings();
  return { ...connection, ...awsClientConfig({ ...settings, maxAttempts: maxAttempts ?? settings.maxAttempts }, { baseDelayMs, maxDelayMs }) };
}
