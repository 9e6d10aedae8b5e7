import { DescribeWorkspacesPoolsCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, inject, it } from 'vitest';

describe('autopilot cloud', () => {
  const env = inject('cloudEnv');

  it('prints an endpoint, a Region and fake credentials that unconfigured SDK clients pick up', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      // No endpoint, Region or credentials in code: the SDK reads them from the printed environment.
      const workspaces = new WorkSpacesClient({});
      const answer = await workspaces.send(new DescribeWorkspacesPoolsCommand({}));
      expect(answer.$metadata.httpStatusCode).toBe(200);
      expect(await workspaces.config.region()).toBe(env.AWS_REGION);
    } finally {
      process.env = saved;
    }
  });

  it('points SLACK_WEBHOOK_URL at the sink and stores it for handlers as an SSM SecureString', async () => {
    const ssm = new SSMClient({
      endpoint: env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    });
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: '/euc-autopilot/local/slack-webhook-url', WithDecryption: true }),
    );
    expect(Parameter).toMatchObject({ Type: 'SecureString', Value: env.SLACK_WEBHOOK_URL });
    const posted = await fetch(env.SLACK_WEBHOOK_URL!, { method: 'POST', body: JSON.stringify({ text: 'hello' }) });
    expect(await posted.text()).toBe('ok');
  });

  it('serves the admin API with health and the local time', async () => {
    const health = (await (await fetch(`${env.AWS_ENDPOINT_URL}/_local/health`)).json()) as { ok: boolean; region: string };
    expect(health).toMatchObject({ ok: true, region: env.AWS_REGION });
  });
});
