/**
 * An ARN in the `aws` partition: `arn:aws:states:eu-central-1:123456789012:stateMachine:x`.
 * `resource` is in the service's own format; global services (iam, sts) pass '' as the region.
 */
export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:aws:${service}:${region}:${accountId}:${resource}`;
}
