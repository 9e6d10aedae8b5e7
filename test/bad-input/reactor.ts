import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, vi } from 'vitest';
import { importHandler } from '#test/support/handler.ts';

export type ReactorHandler = (event: unknown, context: Context) => Promise<{ event: string; reactions: unknown[] }>;

/**
 * The real cloudtrail-reactor handler for a describe block, imported with the environment
 * serverless.yml gives it and AWS unreachable (test/support/handler.ts). Call it inside tests.
 */
export function useReactorHandler(): ReactorHandler {
  let handler: ReactorHandler | undefined;
  beforeAll(async () => {
    handler = await importHandler<ReactorHandler>(() => import('#functions/cloudtrail-reactor.ts'), {
      POLICY_FILE: 'config/policies.yml',
      DEPLOY_APPLICATIONS_STATE_MACHINE: 'euc-autopilot-test-deploy-applications',
      EVENT_BUS_NAME: 'euc-autopilot-test',
      AUTOPILOT_FUNCTION_PREFIX: 'euc-autopilot-test-',
    });
  });
  afterAll(() => vi.unstubAllEnvs());
  return (event, context) => {
    if (!handler) throw new Error('useReactorHandler: the handler is imported in beforeAll; call it inside a test');
    return handler(event, context);
  };
}
