import {
  AssociateFleetCommand,
  CreateFleetCommand,
  CreateStackCommand,
  DeleteFleetCommand,
  DescribeFleetsCommand,
  StartFleetCommand,
  StopFleetCommand,
  UpdateFleetCommand,
  type CreateFleetCommandInput,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { FLEET_START_SECONDS, FLEET_STOP_SECONDS } from '#local/services/appstream/index.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { describeFleet, elasticFleetInput, fleetInput, seededFleet, uniqueName } from './appstream-support.ts';

describe('AppStream fleets', () => {
  const local = useLocalCloud();
  const appstream = () => local.clients.appstream;

  /** Creates a fleet and starts it, leaving it RUNNING with its capacity provisioned. */
  async function runningFleet(name: string, overrides: Partial<CreateFleetCommandInput> = {}) {
    await appstream().send(new CreateFleetCommand(fleetInput(name, overrides)));
    await appstream().send(new StartFleetCommand({ Name: name }));
    await local.admin.advance(FLEET_START_SECONDS);
  }

  describe('CreateFleet', () => {
    it('creates a STOPPED fleet with its ARN, epoch creation time and the defaults AWS fills in', async () => {
      const name = uniqueName('create');
      const vpc = { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0123456789abcdef0'] };
      const { epochMs } = await local.admin.clock();

      const { Fleet: fleet } = await appstream().send(new CreateFleetCommand(fleetInput(name, { VpcConfig: vpc })));

      expect(fleet).toMatchObject({
        Arn: `arn:aws:appstream:us-east-1:123456789012:fleet/${name}`,
        Name: name,
        State: 'STOPPED',
        FleetType: 'ALWAYS_ON',
        InstanceType: 'stream.standard.medium',
        MaxUserDurationInSeconds: 57600,
        DisconnectTimeoutInSeconds: 900,
        IdleDisconnectTimeoutInSeconds: 0,
        StreamView: 'APP',
        VpcConfig: vpc,
        ComputeCapacityStatus: { Desired: 2, Running: 0, InUse: 0, Available: 0 },
      });
      expect(fleet?.CreatedTime?.getTime()).toBe(epochMs);
    });

    it('defaults the fleet type to ON_DEMAND', async () => {
      const { Fleet: fleet } = await appstream().send(
        new CreateFleetCommand(fleetInput(uniqueName('on-demand'), { FleetType: undefined })),
      );
      expect(fleet?.FleetType).toBe('ON_DEMAND');
    });

    it('refuses a second fleet of the same name with ResourceAlreadyExistsException', async () => {
      const name = uniqueName('twice');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));

      await expect(appstream().send(new CreateFleetCommand(fleetInput(name)))).rejects.toMatchObject({
        name: 'ResourceAlreadyExistsException',
        message: expect.stringContaining(name),
      });
    });

    it.each([
      ['a missing Name', { Name: undefined }, 'Name'],
      ['a missing InstanceType', { InstanceType: undefined }, 'InstanceType'],
      ['a Name with a space', { Name: 'two words' }, 'Name'],
      ['an unknown FleetType', { FleetType: 'ALWAYS_OFF' as never }, 'FleetType'],
      ['a DisplayName over 100 characters', { DisplayName: 'x'.repeat(101) }, 'DisplayName'],
    ])('refuses %s with ValidationException naming the member', async (_case, overrides, member) => {
      await expect(
        appstream().send(new CreateFleetCommand(fleetInput(uniqueName('invalid'), overrides))),
      ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(`'${member}'`) });
    });

    it.each([
      ['an instance type outside the stream families', { InstanceType: 'm5.large' }, 'InstanceType'],
      // Ranges from appstream_2017-06-05_fleets.txt (600–57600 and 60–57600), not the SDK's.
      ['MaxUserDurationInSeconds below 600', { MaxUserDurationInSeconds: 599 }, 'MaxUserDurationInSeconds'],
      ['MaxUserDurationInSeconds above 57600', { MaxUserDurationInSeconds: 57601 }, 'MaxUserDurationInSeconds'],
      ['DisconnectTimeoutInSeconds below 60', { DisconnectTimeoutInSeconds: 59 }, 'DisconnectTimeoutInSeconds'],
      ['DisconnectTimeoutInSeconds above 57600', { DisconnectTimeoutInSeconds: 57601 }, 'DisconnectTimeoutInSeconds'],
      [
        'an idle timeout above 36000 seconds',
        { IdleDisconnectTimeoutInSeconds: 36001 },
        'IdleDisconnectTimeoutInSeconds',
      ],
      [
        'an idle timeout between 1 and 59 seconds',
        { IdleDisconnectTimeoutInSeconds: 30 },
        'IdleDisconnectTimeoutInSeconds',
      ],
      [
        'a negative desired capacity',
        { ComputeCapacity: { DesiredInstances: -1 } },
        'ComputeCapacity.DesiredInstances',
      ],
      ['no ComputeCapacity on an ALWAYS_ON fleet', { ComputeCapacity: undefined }, 'ComputeCapacity'],
      [
        'DesiredSessions on a single-session fleet',
        { ComputeCapacity: { DesiredSessions: 10 } },
        'ComputeCapacity.DesiredSessions',
      ],
      [
        'DesiredInstances on a multi-session fleet',
        { MaxSessionsPerInstance: 5, ComputeCapacity: { DesiredInstances: 2 } },
        'ComputeCapacity.DesiredInstances',
      ],
      [
        'both DesiredInstances and DesiredSessions',
        { ComputeCapacity: { DesiredInstances: 2, DesiredSessions: 4 } },
        'ComputeCapacity',
      ],
      [
        'MaxSessionsPerInstance of 1',
        { MaxSessionsPerInstance: 1, ComputeCapacity: { DesiredSessions: 2 } },
        'MaxSessionsPerInstance',
      ],
      ['MaxConcurrentSessions on an ALWAYS_ON fleet', { MaxConcurrentSessions: 5 }, 'MaxConcurrentSessions'],
      ['neither ImageName nor ImageArn', { ImageName: undefined }, 'ImageName'],
    ])('refuses %s with InvalidParameterCombinationException naming it', async (_case, overrides, member) => {
      await expect(
        appstream().send(new CreateFleetCommand(fleetInput(uniqueName('combination'), overrides))),
      ).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining(`'${member}'`),
      });
    });

    it.each([
      ['the shortest', { MaxUserDurationInSeconds: 600, DisconnectTimeoutInSeconds: 60 }],
      ['the longest', { MaxUserDurationInSeconds: 57600, DisconnectTimeoutInSeconds: 57600 }],
    ])('accepts %s sessions and disconnect timeouts the API document allows', async (_case, limits) => {
      const { Fleet: fleet } = await appstream().send(new CreateFleetCommand(fleetInput(uniqueName('limits'), limits)));
      expect(fleet).toMatchObject(limits);
    });

    it('creates an ELASTIC fleet with MaxConcurrentSessions and no ComputeCapacity', async () => {
      const { Fleet: fleet } = await appstream().send(new CreateFleetCommand(elasticFleetInput(uniqueName('elastic'))));
      expect(fleet).toMatchObject({ FleetType: 'ELASTIC', MaxConcurrentSessions: 5, State: 'STOPPED' });
    });

    it.each([
      ['ComputeCapacity', { ComputeCapacity: { DesiredInstances: 1 } }],
      ['MaxConcurrentSessions', { MaxConcurrentSessions: undefined }],
      ['VpcConfig.SubnetIds', { VpcConfig: { SubnetIds: ['subnet-0a'] } }],
      ['InstanceType', { InstanceType: 'stream.compute.large' }],
    ])('refuses an ELASTIC fleet whose %s breaks the elastic rules', async (member, overrides) => {
      await expect(
        appstream().send(new CreateFleetCommand(elasticFleetInput(uniqueName('elastic'), overrides))),
      ).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining(`'${member}'`),
      });
    });
  });

  describe('DescribeFleets', () => {
    it('describes the named fleets and refuses an unknown name with ResourceNotFoundException', async () => {
      const name = uniqueName('described');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));

      const { Fleets } = await appstream().send(new DescribeFleetsCommand({ Names: [name] }));
      await expect(
        appstream().send(new DescribeFleetsCommand({ Names: [name, 'no-such-fleet'] })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('no-such-fleet'),
      });

      expect(Fleets?.map((fleet) => fleet.Name)).toEqual([name]);
    });

    it('pages through every fleet with NextToken', async () => {
      const names = Array.from({ length: 25 }, () => uniqueName('paged'));
      await local.admin.seed({ appstream: { fleets: names.map((name) => seededFleet(name, 1)) } });

      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await appstream().send(new DescribeFleetsCommand({ NextToken: nextToken }));
        seen.push(...(page.Fleets ?? []).map((fleet) => fleet.Name ?? ''));
        nextToken = page.NextToken;
        pages += 1;
      } while (nextToken);

      expect(pages).toBeGreaterThan(1);
      expect(seen).toEqual(expect.arrayContaining(names));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('refuses a NextToken that belongs to another query', async () => {
      await expect(appstream().send(new DescribeFleetsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    });
  });

  describe('lifecycle', () => {
    it('starts a fleet through STARTING to RUNNING and stops it through STOPPING to STOPPED', async () => {
      const name = uniqueName('lifecycle');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));

      await appstream().send(new StartFleetCommand({ Name: name }));
      const starting = await describeFleet(appstream(), name);
      await local.admin.advance(FLEET_START_SECONDS);
      const running = await describeFleet(appstream(), name);
      await appstream().send(new StopFleetCommand({ Name: name }));
      const stopping = await describeFleet(appstream(), name);
      await local.admin.advance(FLEET_STOP_SECONDS);
      const stopped = await describeFleet(appstream(), name);

      expect([starting.State, running.State, stopping.State, stopped.State]).toEqual([
        'STARTING',
        'RUNNING',
        'STOPPING',
        'STOPPED',
      ]);
      expect(stopped.ComputeCapacityStatus).toMatchObject({ Desired: 2, Running: 0, InUse: 0, Available: 0 });
    });

    it('treats starting a running fleet and stopping a stopped one as done', async () => {
      const name = uniqueName('idempotent');
      await runningFleet(name);

      await appstream().send(new StartFleetCommand({ Name: name }));
      const afterStart = await describeFleet(appstream(), name);
      await appstream().send(new StopFleetCommand({ Name: name }));
      await local.admin.advance(FLEET_STOP_SECONDS);
      await appstream().send(new StopFleetCommand({ Name: name }));
      const afterStop = await describeFleet(appstream(), name);

      expect([afterStart.State, afterStop.State]).toEqual(['RUNNING', 'STOPPED']);
    });

    it('refuses to start a STOPPING fleet with ConcurrentModificationException', async () => {
      const name = uniqueName('restart');
      await runningFleet(name);
      await appstream().send(new StopFleetCommand({ Name: name }));

      await expect(appstream().send(new StartFleetCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ConcurrentModificationException',
      });
    });

    it('refuses to start an unknown fleet with ResourceNotFoundException', async () => {
      await expect(appstream().send(new StartFleetCommand({ Name: 'no-such-fleet' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('UpdateFleet', () => {
    it('changes any attribute but the name of a STOPPED fleet, and deletes attributes on request', async () => {
      const name = uniqueName('stopped-update');
      await appstream().send(new CreateFleetCommand(fleetInput(name, { VpcConfig: { SubnetIds: ['subnet-1'] } })));

      const { Fleet: fleet } = await appstream().send(
        new UpdateFleetCommand({
          Name: name,
          InstanceType: 'stream.compute.large',
          MaxUserDurationInSeconds: 7200,
          Description: 'Night shift',
          AttributesToDelete: ['VPC_CONFIGURATION'],
        }),
      );

      expect(fleet).toMatchObject({
        InstanceType: 'stream.compute.large',
        MaxUserDurationInSeconds: 7200,
        Description: 'Night shift',
      });
      expect(fleet?.VpcConfig).toBeUndefined();
    });

    it('takes the session limits of the API document at both edges on a STOPPED fleet', async () => {
      const name = uniqueName('stopped-limits');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));
      const update = (limits: { MaxUserDurationInSeconds?: number; DisconnectTimeoutInSeconds?: number }) =>
        appstream().send(new UpdateFleetCommand({ Name: name, ...limits }));

      const shortest = await update({ MaxUserDurationInSeconds: 600, DisconnectTimeoutInSeconds: 60 });
      const longest = await update({ MaxUserDurationInSeconds: 57600, DisconnectTimeoutInSeconds: 57600 });
      const refusals = await Promise.all(
        [
          { MaxUserDurationInSeconds: 599 },
          { MaxUserDurationInSeconds: 57601 },
          { DisconnectTimeoutInSeconds: 59 },
          { DisconnectTimeoutInSeconds: 57601 },
        ].map((limits) => update(limits).then(() => 'accepted', (error: Error) => `${error.name}: ${error.message}`)),
      );

      expect(shortest.Fleet).toMatchObject({ MaxUserDurationInSeconds: 600, DisconnectTimeoutInSeconds: 60 });
      expect(longest.Fleet).toMatchObject({ MaxUserDurationInSeconds: 57600, DisconnectTimeoutInSeconds: 57600 });
      expect(refusals).toEqual([
        expect.stringMatching(/^InvalidParameterCombinationException: .*'MaxUserDurationInSeconds'.*600/),
        expect.stringMatching(/^InvalidParameterCombinationException: .*'MaxUserDurationInSeconds'.*57600/),
        expect.stringMatching(/^InvalidParameterCombinationException: .*'DisconnectTimeoutInSeconds'.*60/),
        expect.stringMatching(/^InvalidParameterCombinationException: .*'DisconnectTimeoutInSeconds'.*57600/),
      ]);
    });

    it('changes DisplayName and ComputeCapacity of a RUNNING fleet', async () => {
      const name = uniqueName('running-update');
      await runningFleet(name);

      const { Fleet: fleet } = await appstream().send(
        new UpdateFleetCommand({ Name: name, DisplayName: 'Morning', ComputeCapacity: { DesiredInstances: 6 } }),
      );

      expect(fleet).toMatchObject({ State: 'RUNNING', DisplayName: 'Morning', ComputeCapacityStatus: { Desired: 6 } });
    });

    it('refuses other changes to a RUNNING fleet with OperationNotPermittedException naming them', async () => {
      const name = uniqueName('running-refused');
      await runningFleet(name);

      const refusal = await appstream()
        .send(new UpdateFleetCommand({ Name: name, InstanceType: 'stream.compute.large', Description: 'x' }))
        .catch((error: Error) => error);
      const after = await describeFleet(appstream(), name);

      expect(refusal).toMatchObject({ name: 'OperationNotPermittedException' });
      expect((refusal as Error).message).toMatch(/InstanceType/);
      expect((refusal as Error).message).toMatch(/Description/);
      expect((refusal as Error).message).toMatch(/stop the fleet first/i);
      expect(after).toMatchObject({ State: 'RUNNING', InstanceType: 'stream.standard.medium' });
    });

    // The SDK's reference lets a RUNNING fleet change these too; the API document does not.
    it.each([
      ['ImageName', { ImageName: 'Corporate-Apps-2026-12' }],
      ['ImageArn', { ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/Corporate-Apps-2026-12' }],
      ['DisconnectTimeoutInSeconds', { DisconnectTimeoutInSeconds: 1800 }],
      ['IdleDisconnectTimeoutInSeconds', { IdleDisconnectTimeoutInSeconds: 600 }],
      ['MaxUserDurationInSeconds', { MaxUserDurationInSeconds: 7200 }],
      ['VpcConfig', { AttributesToDelete: ['VPC_CONFIGURATION' as const] }],
    ])('refuses a change of %s to a RUNNING fleet', async (member, change) => {
      const name = uniqueName('running-refused');
      await runningFleet(name, { VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'] } });

      const refusal = await appstream()
        .send(new UpdateFleetCommand({ Name: name, DisplayName: 'Evening', ...change }))
        .catch((error: Error) => error);

      expect(refusal).toMatchObject({ name: 'OperationNotPermittedException' });
      expect((refusal as Error).message).toContain(`refused: ${member}.`);
      expect((await describeFleet(appstream(), name)).DisplayName).toBeUndefined();
    });

    it('lets a RUNNING fleet be sent its unchanged attributes', async () => {
      const name = uniqueName('running-same');
      await runningFleet(name);

      const { Fleet: fleet } = await appstream().send(
        new UpdateFleetCommand({
          Name: name,
          ImageName: 'Corporate-Apps-2026-11',
          InstanceType: 'stream.standard.medium',
          MaxUserDurationInSeconds: 57600,
          DisconnectTimeoutInSeconds: 900,
          ComputeCapacity: { DesiredInstances: 3 },
        }),
      );

      expect(fleet?.ComputeCapacityStatus?.Desired).toBe(3);
    });

    describe('on a RUNNING ELASTIC fleet (MaxConcurrentSessions is its capacity, so it stands in for ComputeCapacity)', () => {
      async function runningElasticFleet(name: string) {
        await appstream().send(new CreateFleetCommand(elasticFleetInput(name)));
        await appstream().send(new StartFleetCommand({ Name: name }));
        await local.admin.advance(FLEET_START_SECONDS);
      }

      it('changes DisplayName and tolerates unchanged attributes', async () => {
        const name = uniqueName('elastic-running');
        await runningElasticFleet(name);

        const { Fleet: fleet } = await appstream().send(
          new UpdateFleetCommand({ Name: name, DisplayName: 'Elastic', MaxConcurrentSessions: 5 }),
        );

        expect(fleet).toMatchObject({ State: 'RUNNING', DisplayName: 'Elastic', MaxConcurrentSessions: 5 });
      });

      it('scales by MaxConcurrentSessions while running', async () => {
        const name = uniqueName('elastic-scaled');
        await runningElasticFleet(name);

        const { Fleet: fleet } = await appstream().send(new UpdateFleetCommand({ Name: name, MaxConcurrentSessions: 10 }));

        expect(fleet).toMatchObject({ State: 'RUNNING', MaxConcurrentSessions: 10 });
      });

      it('refuses the timeouts with OperationNotPermittedException', async () => {
        const name = uniqueName('elastic-refused');
        await runningElasticFleet(name);

        await expect(
          appstream().send(
            new UpdateFleetCommand({ Name: name, MaxConcurrentSessions: 10, DisconnectTimeoutInSeconds: 1800 }),
          ),
        ).rejects.toMatchObject({
          name: 'OperationNotPermittedException',
          message: expect.stringContaining('refused: DisconnectTimeoutInSeconds.'),
        });
      });

      it('still refuses ComputeCapacity, which ELASTIC fleets do not take', async () => {
        const name = uniqueName('elastic-capacity');
        await runningElasticFleet(name);

        await expect(
          appstream().send(new UpdateFleetCommand({ Name: name, ComputeCapacity: { DesiredInstances: 2 } })),
        ).rejects.toMatchObject({
          name: 'InvalidParameterCombinationException',
          message: expect.stringContaining("'ComputeCapacity'"),
        });
      });
    });

    it.each([
      ['STARTING', 0],
      ['STOPPING', FLEET_START_SECONDS],
    ])('refuses to update a %s fleet with ConcurrentModificationException', async (state, startedFor) => {
      const name = uniqueName('transition');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));
      await appstream().send(new StartFleetCommand({ Name: name }));
      if (startedFor > 0) {
        await local.admin.advance(startedFor);
        await appstream().send(new StopFleetCommand({ Name: name }));
      }

      await expect(
        appstream().send(new UpdateFleetCommand({ Name: name, ComputeCapacity: { DesiredInstances: 4 } })),
      ).rejects.toMatchObject({ name: 'ConcurrentModificationException', message: expect.stringContaining(state) });
    });

    it('refuses an update that leaves the fleet inconsistent', async () => {
      const name = uniqueName('multi');
      await appstream().send(
        new CreateFleetCommand(
          fleetInput(name, { MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 8 } }),
        ),
      );

      await expect(
        appstream().send(new UpdateFleetCommand({ Name: name, AttributesToDelete: ['MAX_SESSIONS_PER_INSTANCE'] })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining('ComputeCapacity.DesiredSessions'),
      });
    });

    it('refuses an update without a Name, and of an unknown fleet', async () => {
      await expect(appstream().send(new UpdateFleetCommand({ DisplayName: 'x' }))).rejects.toMatchObject({
        name: 'InvalidParameterCombinationException',
        message: expect.stringContaining("'Name'"),
      });
      await expect(
        appstream().send(new UpdateFleetCommand({ Name: 'no-such-fleet', DisplayName: 'x' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });
  });

  describe('DeleteFleet', () => {
    it('deletes a STOPPED fleet that streams no stack', async () => {
      const name = uniqueName('deleted');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));

      await appstream().send(new DeleteFleetCommand({ Name: name }));

      await expect(appstream().send(new DescribeFleetsCommand({ Names: [name] }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    });

    it('refuses to delete a RUNNING fleet with ResourceInUseException', async () => {
      const name = uniqueName('delete-running');
      await runningFleet(name);

      await expect(appstream().send(new DeleteFleetCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ResourceInUseException',
        message: expect.stringContaining('RUNNING'),
      });
    });

    it('refuses to delete a fleet associated with a stack with ResourceInUseException', async () => {
      const name = uniqueName('delete-associated');
      const stack = uniqueName('stack');
      await appstream().send(new CreateFleetCommand(fleetInput(name)));
      await appstream().send(new CreateStackCommand({ Name: stack }));
      await appstream().send(new AssociateFleetCommand({ FleetName: name, StackName: stack }));

      await expect(appstream().send(new DeleteFleetCommand({ Name: name }))).rejects.toMatchObject({
        name: 'ResourceInUseException',
        message: expect.stringContaining(stack),
      });
    });
  });

  describe('CloudTrail', () => {
    it('records mutating calls with lowerCamelCase request parameters, and failures with their error code', async () => {
      const name = uniqueName('audited');
      await local.admin.clearCloudTrail();

      await appstream().send(new CreateFleetCommand(fleetInput(name)));
      await appstream().send(new DescribeFleetsCommand({ Names: [name] }));
      await appstream().send(new UpdateFleetCommand({ Name: name, ComputeCapacity: { DesiredInstances: 5 } }));
      await appstream()
        .send(new CreateFleetCommand(fleetInput(name)))
        .catch(() => undefined);

      const events = (await local.admin.cloudTrail()).map((event) => event.detail);
      expect(events.map((event) => event.eventName)).toEqual(['CreateFleet', 'UpdateFleet', 'CreateFleet']);
      expect(events[0]).toMatchObject({
        eventSource: 'appstream.amazonaws.com',
        requestParameters: { name, computeCapacity: { desiredInstances: 2 } },
        responseElements: { fleet: { name, state: 'STOPPED' } },
      });
      expect(events[1]).toMatchObject({
        requestParameters: { name, computeCapacity: { desiredInstances: 5 } },
        responseElements: null,
      });
      expect(events[2]).toMatchObject({ errorCode: 'ResourceAlreadyExistsException' });
    });
  });
});
