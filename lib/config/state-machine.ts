import { MissingEnvironmentError } from './env.ts';

/**
 * A state machine's ARN from the name serverless.yml gives a function in its environment,
 * completed with the Region and account of the function's own ARN: no CloudFormation lookup,
 * which keeps `serverless invoke local` working. There, where the context has no function ARN,
 * the variable may hold the whole ARN instead.
 */
export function stateMachineArnFor(nameOrArn: string, functionArn: string | undefined, variable: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  if (!functionArn) {
    throw new MissingEnvironmentError(`${variable} holds a name and the invocation has no function ARN to complete it; pass the state machine ARN instead.`);
  }
  const [, partition, , region, account] = functionArn.split(':');
  return `arn:${partition}:states:${region}:${account}:stateMachine:${nameOrArn}`;
}
