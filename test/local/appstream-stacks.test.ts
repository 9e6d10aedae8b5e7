import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Session,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';
import { fleetInput, seededFleet, uniqueName } from './appstream-support.ts';

describe('AppStream stacks, sessions and tags', () => {
  const local = useLocalCloud();
  const appstream = () => local.clients.appstream;

  /** A RUNNING fleet streaming a stack, with `users` of the simulated users connected. */
  async function streaming(desired: number, users: number) {
    const fleet = uniqueName('fleet');
    const stack = uniqueName('stack');
    await local.admin.seed({
      appstream: { fleets: [seededFleet(fleet, desired)], stacks: [{ Name: stack, Fleets: [fleet] }] },
    });
    await local.admin.setUsage('fleet', fleet, users);
    return { fleet, stack };
  }

  describe('CreateStack and DescribeStacks', () => {
    it('creates a stack and describes it with its ARN and epoch creation time', async () => {
      const name = uniqueName('stack');
      const { epochMs } = await local.admin.clock();

      const settings = {
        DisplayName: 'Finance apps',
        RedirectURL: 'https://intranet.example',
        EmbedHostDomains: ['portal.finance.example.com'],
        UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE' as const, Permission: 'DISABLED' as const }],
      };

      await appstream().send(new CreateStackCommand({ Name: name, ...settings }));
      const { Stacks } = await appstream().send(new DescribeStacksCommand({ Names: [name] }));

      expect(Stacks).toEqual([
        expect.objectContaining({
          Arn: `arn:aws:appstream:us-east-1:123456789012:stack/${name}`,
          Name: name,
          ...settings,
        }),
      ]);
      expect(Stacks?.[0]?.CreatedTime?.getTime()).toBe(epochMs);
    });

    it('refuses a duplicate stack, a bad name and an unknown stack with the documented errors', async () => {
      const name = uniqueName('stack');
      await appstream().send(new CreateStackCommand({ Name: name }));

      await expect(appstream().send(new CreateStackCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ResourceAlreadyExistsException',
      });
      await expect(appstream().send(new CreateStackCommand({ Name: '-leading-dash' }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining("'Name'"),
      });
      await expect(appstream().send(new DescribeStacksCommand({ Names: ['no-such-stack'] }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('fleet associations', () => {
    it('associates a fleet with stacks and lists the association from both sides', async () => {
      const fleet = uniqueName('fleet');
      const [first, second] = [uniqueName('stack'), uniqueName('stack')] as const;
      await appstream().send(new CreateFleetCommand(fleetInput(fleet)));
      await appstream().send(new CreateStackCommand({ Name: first }));
      await appstream().send(new CreateStackCommand({ Name: second }));

      await appstream().send(new AssociateFleetCommand({ FleetName: fleet, StackName: first }));
      await appstream().send(new AssociateFleetCommand({ FleetName: fleet, StackName: second }));
      const stacks = await appstream().send(new ListAssociatedStacksCommand({ FleetName: fleet }));
      const fleets = await appstream().send(new ListAssociatedFleetsCommand({ StackName: first }));

      expect(stacks.Names).toEqual([first, second]);
      expect(fleets.Names).toEqual([fleet]);
    });

    it('refuses a second fleet on a stack with LimitExceededException', async () => {
      const { stack } = await streaming(1, 0);
      const other = uniqueName('fleet');
      await appstream().send(new CreateFleetCommand(fleetInput(other)));

      await expect(
        appstream().send(new AssociateFleetCommand({ FleetName: other, StackName: stack })),
      ).rejects.toMatchObject({
        name: 'LimitExceededException',
        message: expect.stringContaining(stack),
      });
    });

    it('refuses to associate an unknown fleet with ResourceNotFoundException', async () => {
      const stack = uniqueName('stack');
      await appstream().send(new CreateStackCommand({ Name: stack }));

      await expect(
        appstream().send(new AssociateFleetCommand({ FleetName: 'no-such-fleet', StackName: stack })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining('no-such-fleet') });
    });

    it('disassociates an idle fleet, and refuses while users stream from it', async () => {
      const { fleet, stack } = await streaming(2, 1);

      await expect(
        appstream().send(new DisassociateFleetCommand({ FleetName: fleet, StackName: stack })),
      ).rejects.toMatchObject({
        name: 'ResourceInUseException',
      });
      await local.admin.setUsage('fleet', fleet, 0);
      await appstream().send(new DisassociateFleetCommand({ FleetName: fleet, StackName: stack }));

      expect((await appstream().send(new ListAssociatedFleetsCommand({ StackName: stack }))).Names).toEqual([]);
      await expect(
        appstream().send(new DisassociateFleetCommand({ FleetName: fleet, StackName: stack })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });

    it('records associations in CloudTrail with fleetName and stackName', async () => {
      const fleet = uniqueName('fleet');
      const stack = uniqueName('stack');
      await appstream().send(new CreateFleetCommand(fleetInput(fleet)));
      await appstream().send(new CreateStackCommand({ Name: stack }));
      await local.admin.clearCloudTrail();

      await appstream().send(new AssociateFleetCommand({ FleetName: fleet, StackName: stack }));

      const [event] = await local.admin.cloudTrail();
      expect(event?.detail).toMatchObject({
        eventName: 'AssociateFleet',
        requestParameters: { fleetName: fleet, stackName: stack },
        responseElements: null,
      });
    });
  });

  describe('DescribeSessions', () => {
    const describeSessions = (input: ConstructorParameters<typeof DescribeSessionsCommand>[0]) =>
      appstream().send(new DescribeSessionsCommand(input));

    it('lists the simulated users, who sign in with SAML, only when asked for SAML sessions', async () => {
      const { fleet, stack } = await streaming(5, 3);

      const byDefault = await describeSessions({ StackName: stack, FleetName: fleet });
      const saml = await describeSessions({ StackName: stack, FleetName: fleet, AuthenticationType: 'SAML' });

      expect(byDefault.Sessions).toEqual([]);
      expect(saml.Sessions).toHaveLength(3);
      expect(saml.Sessions?.[0]).toMatchObject({
        StackName: stack,
        FleetName: fleet,
        State: 'ACTIVE',
        ConnectionState: 'CONNECTED',
        AuthenticationType: 'SAML',
        UserId: expect.any(String),
        InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      });
    });

    it('keeps the ids of sessions that last, and lists no more sessions than the fleet can hold', async () => {
      const { fleet, stack } = await streaming(4, 2);
      const ids = async () =>
        (
          (await describeSessions({ StackName: stack, FleetName: fleet, AuthenticationType: 'SAML' })).Sessions ?? []
        ).map((session) => session.Id);

      const before = await ids();
      await local.admin.setUsage('fleet', fleet, 9);
      const after = await ids();

      expect(after).toHaveLength(4);
      expect(after.slice(0, 2)).toEqual(before);
      expect(new Set(after).size).toBe(4);
    });

    it('pages the sessions by Limit with NextToken', async () => {
      const { fleet, stack } = await streaming(12, 12);

      const sessions: Session[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await describeSessions({
          StackName: stack,
          FleetName: fleet,
          AuthenticationType: 'SAML',
          Limit: 5,
          NextToken: nextToken,
        });
        sessions.push(...(page.Sessions ?? []));
        nextToken = page.NextToken;
        pages += 1;
      } while (nextToken);

      expect(pages).toBe(3);
      expect(new Set(sessions.map((session) => session.Id)).size).toBe(12);
    });

    it('finds the sessions of one user', async () => {
      const { fleet, stack } = await streaming(3, 3);
      const all = await describeSessions({ StackName: stack, FleetName: fleet, AuthenticationType: 'SAML' });
      const user = all.Sessions?.[1]?.UserId;

      const mine = await describeSessions({
        StackName: stack,
        FleetName: fleet,
        AuthenticationType: 'SAML',
        UserId: user,
      });

      expect(mine.Sessions?.map((session) => session.UserId)).toEqual([user]);
    });

    it.each([
      ['StackName', { FleetName: 'fleet' }],
      ['FleetName', { StackName: 'stack' }],
    ])('requires %s, refusing its absence with ValidationException', async (member, input) => {
      await expect(describeSessions(input as never)).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(`'${member}'`),
      });
    });

    it.each([
      ['a Limit above 50', { Limit: 51 }, 'Limit'],
      ['a UserId without AuthenticationType', { UserId: 'user1@example.com' }, 'AuthenticationType'],
    ])('refuses %s with InvalidParameterCombinationException', async (_case, extra, member) => {
      const { fleet, stack } = await streaming(1, 0);

      await expect(describeSessions({ StackName: stack, FleetName: fleet, ...extra })).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining(`'${member}'`),
      });
    });

    it('refuses a fleet that does not stream the stack with InvalidParameterCombinationException', async () => {
      const { stack } = await streaming(1, 0);
      const { fleet: other } = await streaming(1, 0);

      await expect(describeSessions({ StackName: stack, FleetName: other })).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining('not associated'),
      });
    });
  });

  describe('tags', () => {
    const arnOf = (kind: 'fleet' | 'stack', name: string) => `arn:aws:appstream:us-east-1:123456789012:${kind}/${name}`;
    const tagsOf = async (arn: string) =>
      (await appstream().send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

    it('keeps the tags a fleet is created with, adds and overwrites tags, and removes them by key', async () => {
      const name = uniqueName('tagged');
      await appstream().send(
        new CreateFleetCommand(fleetInput(name, { Tags: { team: 'finance', schedule: 'office-hours' } })),
      );

      await appstream().send(
        new TagResourceCommand({ ResourceArn: arnOf('fleet', name), Tags: { schedule: '24x7', owner: 'ops' } }),
      );
      const tagged = await tagsOf(arnOf('fleet', name));
      await appstream().send(
        new UntagResourceCommand({ ResourceArn: arnOf('fleet', name), TagKeys: ['team', 'absent'] }),
      );
      const untagged = await tagsOf(arnOf('fleet', name));

      expect(tagged).toEqual({ team: 'finance', schedule: '24x7', owner: 'ops' });
      expect(untagged).toEqual({ schedule: '24x7', owner: 'ops' });
    });

    it('tags stacks by their ARN', async () => {
      const name = uniqueName('tagged-stack');
      await appstream().send(new CreateStackCommand({ Name: name, Tags: { team: 'hr' } }));

      await appstream().send(new TagResourceCommand({ ResourceArn: arnOf('stack', name), Tags: { tier: 'gold' } }));

      expect(await tagsOf(arnOf('stack', name))).toEqual({ team: 'hr', tier: 'gold' });
    });

    it('refuses an unknown resource with ResourceNotFoundException', async () => {
      await expect(tagsOf(arnOf('fleet', 'no-such-fleet'))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });

    it('refuses the reserved aws: prefix with ValidationException', async () => {
      const name = uniqueName('reserved');
      await appstream().send(new CreateStackCommand({ Name: name }));

      await expect(
        appstream().send(new TagResourceCommand({ ResourceArn: arnOf('stack', name), Tags: { 'aws:owner': 'me' } })),
      ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('aws:owner') });
    });

    it('refuses more than 50 tags on a resource with LimitExceededException', async () => {
      const name = uniqueName('crowded');
      const tags = (from: number) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key-${from + i}`, 'v']));
      await appstream().send(new CreateStackCommand({ Name: name, Tags: tags(0) }));

      await expect(
        appstream().send(new TagResourceCommand({ ResourceArn: arnOf('stack', name), Tags: tags(30) })),
      ).rejects.toMatchObject({ name: 'LimitExceededException' });
    });
  });
});
