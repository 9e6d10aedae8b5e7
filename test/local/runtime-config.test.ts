import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { loadServerlessConfig, type LoadOptions } from '#local/serverless/config.ts';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/serverless');
const OPTIONS: LoadOptions = { stage: 'local', region: 'eu-central-1', accountId: '123456789012', env: {} };
const ARN = (service: string, resource: string) => `arn:aws:${service}:eu-central-1:123456789012:${resource}`;

function load(file: string, options: Partial<LoadOptions> = {}) {
  return loadServerlessConfig(path.join(FIXTURES, file), { ...OPTIONS, ...options });
}

describe('loading serverless.yml for the local cloud', () => {
  it('names functions by service, stage and key and finds their handler modules', () => {
    const { functions } = load('serverless.yml');
    expect(functions.map((fn) => fn.name)).toEqual([
      'fixture-local-record',
      'fixture-local-tick',
      'fixture-local-check',
      'fixture-local-starter',
      'fixture-local-inspect',
    ]);
    expect(functions[0]).toMatchObject({
      arn: ARN('lambda', 'function:fixture-local-record'),
      handler: 'functions/record.handler',
      modulePath: path.join(FIXTURES, 'functions/record'),
      exportName: 'handler',
      timeoutSeconds: 10,
    });
  });

  it('merges provider and function environments and resolves variables and CloudFormation references to local values', () => {
    const inspect = load('serverless.yml', { env: { FIXTURE_GREETING_UNSET: 'hi' } }).functions.find(
      (fn) => fn.key === 'inspect',
    );
    expect(inspect?.environment).toEqual({
      RECORDS_TABLE: 'fixture-local-records',
      RECORDS_TABLE_ARN: ARN('dynamodb', 'table/fixture-local-records'),
      STAGE: 'local',
      GREETING: 'own-hi',
      RETENTION_DAYS: '30',
    });
    const starter = load('serverless.yml').functions.find((fn) => fn.key === 'starter');
    expect(starter?.environment.WORKFLOW_ARN).toBe(ARN('states', 'stateMachine:fixture-local-workflow'));
  });

  it('turns function and state machine events into rules on their buses, schedules included', () => {
    const { rules, buses } = load('serverless.yml');
    expect(buses).toEqual(['fixture-local-domain']);
    expect(rules.find((rule) => rule.bus === 'fixture-local-domain')).toMatchObject({
      name: 'fixture-local-record-rule-2',
      arn: ARN('events', 'rule/fixture-local-domain/fixture-local-record-rule-2'),
      pattern: { source: ['fixture.domain'] },
      target: { type: 'function', name: 'fixture-local-record' },
    });
    const schedules = rules
      .filter((rule) => rule.schedule)
      .map(({ name, schedule, enabled, target, input }) => ({ name, schedule, enabled, target, input }));
    expect(schedules).toEqual([
      {
        name: 'fixture-local-tick-schedule-1',
        schedule: 'rate(5 minutes)',
        enabled: true,
        target: { type: 'function', name: 'fixture-local-tick' },
        input: undefined,
      },
      {
        name: 'fixture-local-tick-schedule-2',
        schedule: 'cron(0 12 * * ? *)',
        enabled: false,
        target: { type: 'function', name: 'fixture-local-tick' },
        input: undefined,
      },
      {
        name: 'fixture-local-workflow-schedule-2',
        schedule: 'rate(1 day)',
        enabled: true,
        target: { type: 'stateMachine', arn: ARN('states', 'stateMachine:fixture-local-workflow') },
        input: { orderId: 'daily', skipCheck: true },
      },
    ]);
  });

  it('loads a state machine definition from its file with function references resolved to ARNs', () => {
    const [workflow] = load('serverless.yml').stateMachines;
    const states = workflow?.definition.States as Record<
      string,
      { Resource?: string; Parameters?: { FunctionName?: string } }
    >;
    expect(workflow?.name).toBe('fixture-local-workflow');
    expect(states.Record?.Resource).toBe(ARN('lambda', 'function:fixture-local-record'));
    expect(states.Check?.Parameters?.FunctionName).toBe(ARN('lambda', 'function:fixture-local-check'));
  });

  it('keeps the declared tables with their resolved names for creation in DynamoDB', () => {
    expect(load('serverless.yml').tables.RecordsTable?.Properties?.TableName).toBe('fixture-local-records');
  });

  it("loads the project's own serverless.yml", () => {
    const config = loadServerlessConfig(path.join(PROJECT_ROOT, 'serverless.yml'), OPTIONS);
    expect(config.service).toBe('euc-autopilot');
    expect(config.functions.every((fn) => fn.name.startsWith('euc-autopilot-local-'))).toBe(true);
    expect(Object.keys(config.tables).length).toBeGreaterThan(0);
  });

  it.each([
    ['bad-pattern.yml', 'functions.record.events[0].eventBridge.pattern: invalid event pattern: source'],
    ['bad-variable.yml', 'functions.record.environment.RECORDS_TABLE: cannot resolve ${self:custom.tabelName}'],
    ['bad-schedule.yml', 'functions.tick.events[0].schedule: Invalid schedule expression "rate(five minutes)"'],
    [
      'unsupported-reference.yml',
      'functions.record.environment.DEAD_LETTERS: Fn::GetAtt DeadLetters.Arn (AWS::SQS::Queue) has no local value',
    ],
  ])('refuses %s, naming the file and the yml path of the mistake', (file, message) => {
    expect(() => load(`invalid/${file}`)).toThrow(`invalid/${file}: ${message}`);
  });
});
