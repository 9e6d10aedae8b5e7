import { beforeAll, describe, expect, it } from 'vitest';
import { grants, list, logGrants, ofType, packageTemplate, referenced, STAGE, statementsOf, type Resources } from './template.ts';

/**
 * Security, proven on what `serverless package` would deploy: least-privilege roles, failure
 * destinations, alarms that reach Slack, encryption at rest, and no secret in the template.
 */
const FUNCTIONS_SSM = `ssm:parameter/euc-autopilot/${STAGE}/slack-webhook-url*`;
const BUS = `events:event-bus/euc-autopilot-${STAGE}`;
const CAPACITY_CHANGE = `states:stateMachine:euc-autopilot-${STAGE}-capacity-change`;
const DEPLOY_APPLICATIONS = `states:stateMachine:euc-autopilot-${STAGE}-deploy-applications`;
const POOLS = 'workspaces:workspacespool/*';
const FLEETS = 'appstream:fleet/*';
const WORKSPACES = 'workspaces:workspace/*';
const DEAD_LETTERS = 'sqs:SendMessage → FailedEventsQueue';

/**
 * Exactly what each function's role may do: the SDK commands its code sends (functions/, lib/),
 * `action → resource`. A permission added to serverless.yml without a line here fails the test.
 */
const EXPECTED_GRANTS: Record<string, string[]> = {
  notifier: [
    `ssm:GetParameter → ${FUNCTIONS_SSM}`,
    'dynamodb:PutItem → AuditTable', // notification-undelivered
    'dynamodb:UpdateItem → StateTable', // a digest line
    DEAD_LETTERS,
  ],
  slackDigest: [
    `ssm:GetParameter → ${FUNCTIONS_SSM}`,
    'dynamodb:Query → StateTable',
    'dynamodb:DeleteItem → StateTable',
    'dynamodb:UpdateItem → StateTable',
    'dynamodb:PutItem → AuditTable',
    DEAD_LETTERS,
  ],
  capacityTick: [
    'workspaces:DescribeWorkspacesPools → *',
    'appstream:DescribeFleets → *',
    'application-autoscaling:DescribeScalableTargets → *',
    `workspaces:DescribeTags → ${POOLS}`,
    `appstream:ListTagsForResource → ${FLEETS}`,
    'dynamodb:BatchGetItem → StateTable',
    'dynamodb:PutItem → StateTable',
    'dynamodb:UpdateItem → StateTable',
    'dynamodb:PutItem → AuditTable',
    `events:PutEvents → ${BUS}`,
    `states:StartExecution → ${CAPACITY_CHANGE}`,
    DEAD_LETTERS,
  ],
  capacityChangeStep: [
    'workspaces:DescribeWorkspacesPools → *',
    'appstream:DescribeFleets → *',
    `workspaces:UpdateWorkspacesPool → ${POOLS}`,
    `workspaces:StartWorkspacesPool → ${POOLS}`,
    `workspaces:StopWorkspacesPool → ${POOLS}`,
    `appstream:UpdateFleet → ${FLEETS}`,
    `appstream:StartFleet → ${FLEETS}`,
    `appstream:StopFleet → ${FLEETS}`,
    'dynamodb:UpdateItem → StateTable',
    'dynamodb:PutItem → AuditTable',
    `events:PutEvents → ${BUS}`,
  ],
  cloudtrailReactor: [
    `workspaces:DescribeWorkspaceAssociations → ${WORKSPACES}`,
    'workspaces:DescribeWorkspacesPools → *',
    'appstream:DescribeFleets → *',
    `workspaces:DescribeTags → ${POOLS}`,
    `appstream:ListTagsForResource → ${FLEETS}`,
    'dynamodb:BatchGetItem → StateTable',
    'dynamodb:UpdateItem → StateTable',
    'dynamodb:PutItem → AuditTable',
    `events:PutEvents → ${BUS}`,
    `states:StartExecution → ${DEPLOY_APPLICATIONS}`,
    DEAD_LETTERS,
  ],
  deploymentSweeper: [
    'workspaces:DescribeApplications → *',
    'workspaces:DescribeWorkspaces → *',
    'workspaces:DescribeApplicationAssociations → workspaces:workspaceapplication/*',
    'dynamodb:BatchGetItem → StateTable',
    'dynamodb:UpdateItem → StateTable',
    `states:StartExecution → ${DEPLOY_APPLICATIONS}`,
    DEAD_LETTERS,
  ],
  deploymentStep: [
    'workspaces:DescribeWorkspaces → *',
    'workspaces:DescribeApplications → *',
    `workspaces:DescribeWorkspaceAssociations → ${WORKSPACES}`,
    `workspaces:DeployWorkspaceApplications → ${WORKSPACES}`,
    `workspaces:StartWorkspaces → ${WORKSPACES}`,
    'dynamodb:UpdateItem → StateTable',
    'dynamodb:PutItem → AuditTable',
    `events:PutEvents → ${BUS}`,
  ],
  alarmNotifier: [`ssm:GetParameter → ${FUNCTIONS_SSM}`, 'dynamodb:PutItem → AuditTable', DEAD_LETTERS],
};

/**
 * The only actions granted on `*`: those the Service Authorization Reference lists with no
 * resource type, so IAM cannot narrow them to an ARN.
 */
const NO_RESOURCE_LEVEL_PERMISSIONS = new Set([
  // WorkSpaces list calls: describe every pool, WorkSpace or application of the account and Region.
  'workspaces:DescribeWorkspacesPools',
  'workspaces:DescribeWorkspaces',
  'workspaces:DescribeApplications',
  // AppStream 2.0 list call: every fleet (or the named ones) of the account and Region.
  'appstream:DescribeFleets',
  // Application Auto Scaling takes resource-level permissions on none of its Describe calls.
  'application-autoscaling:DescribeScalableTargets',
]);

/** The functions invoked asynchronously (rules, schedules, SNS): the others run as workflow steps. */
const ASYNC_FUNCTIONS = ['notifier', 'slackDigest', 'capacityTick', 'cloudtrailReactor', 'deploymentSweeper', 'alarmNotifier'];

const logicalId = (key: string) => `${key[0]!.toUpperCase()}${key.slice(1)}LambdaFunction`;

describe('the packaged template', () => {
  let resources: Resources;
  const functionKeys = Object.keys(EXPECTED_GRANTS);
  const roleOf = (key: string) => {
    const id = referenced(resources[logicalId(key)]!.Properties!.Role);
    return resources[id!]!;
  };
  const functions = () => ofType(resources, 'AWS::Lambda::Function');

  beforeAll(async () => {
    resources = await packageTemplate();
  }, 180_000);

  describe('IAM', () => {
    it('has a role table entry for every function it deploys, and a function for every entry', () => {
      expect(functions().map(([id]) => id).sort()).toEqual(functionKeys.map(logicalId).sort());
    });

    it.each(functionKeys)('gives %s a role of its own with exactly the actions its code calls', (key) => {
      const role = roleOf(key);
      expect(referenced(resources[logicalId(key)]!.Properties!.Role)).toBe(`${logicalId(key).replace(/LambdaFunction$/, '')}IamRoleLambdaExecution`);
      expect(grants(role)).toEqual([...EXPECTED_GRANTS[key]!].sort());
    });

    it.each(functionKeys)('lets %s write only its own log group', (key) => {
      const logs = logGrants(roleOf(key));
      expect(logs.length).toBeGreaterThan(0);
      for (const grant of logs) {
        expect(grant).toMatch(new RegExp(`^logs:(CreateLogStream|CreateLogGroup|PutLogEvents) → logs:log-group:/aws/lambda/euc-autopilot-${STAGE}-${key}:\\*(:\\*)?$`));
      }
    });

    it('lets each state machine invoke only its own step function', () => {
      const invokes = Object.fromEntries(
        ['CapacityChangeStateMachine', 'DeployApplicationsStateMachine'].map((machine) => [
          machine,
          statementsOf(resources[`${machine}Role`]!).flatMap((statement) =>
            list(statement.Action).flatMap((action) => list(statement.Resource).map((resource) => `${action} → ${JSON.stringify(resource)}`)),
          ),
        ]),
      );
      const step = (id: string) => [
        `lambda:InvokeFunction → ${JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })}`,
        `lambda:InvokeFunction → ${JSON.stringify({ 'Fn::Sub': ['${functionArn}:*', { functionArn: { 'Fn::GetAtt': [id, 'Arn'] } }] })}`,
      ];
      expect(invokes).toEqual({
        CapacityChangeStateMachine: step('CapacityChangeStepLambdaFunction'),
        DeployApplicationsStateMachine: step('DeploymentStepLambdaFunction'),
      });
    });

    it('grants no wildcard action, and `*` resources only for actions that take no resource-level permissions', () => {
      const statements = ofType(resources, 'AWS::IAM::Role').flatMap(([id, role]) => statementsOf(role).map((statement) => ({ id, statement })));
      expect(statements.length).toBeGreaterThan(0);
      for (const { id, statement } of statements) {
        for (const action of list(statement.Action)) {
          expect(action, id).not.toContain('*');
          if (list(statement.Resource).includes('*')) expect(NO_RESOURCE_LEVEL_PERMISSIONS, `${id}: ${action} on *`).toContain(action);
        }
      }
    });

    it('lets only the functions that use a table touch it', () => {
      const users = (table: string) => functionKeys.filter((key) => grants(roleOf(key)).some((grant) => grant.endsWith(`→ ${table}`))).sort();
      expect(users('AuditTable')).toEqual(['alarmNotifier', 'capacityChangeStep', 'capacityTick', 'cloudtrailReactor', 'deploymentStep', 'notifier', 'slackDigest']);
      expect(users('StateTable')).toEqual(['capacityChangeStep', 'capacityTick', 'cloudtrailReactor', 'deploymentStep', 'deploymentSweeper', 'notifier', 'slackDigest']);
    });
  });

  describe('failures', () => {
    const onFailureOf = (key: string) =>
      ofType(resources, 'AWS::Lambda::EventInvokeConfig').find(([, config]) => referenced(config.Properties!.FunctionName) === logicalId(key))?.[1]
        .Properties!.DestinationConfig?.OnFailure?.Destination;

    it('knows every asynchronously invoked function: each rule, schedule and topic targets one of them', () => {
      const ruleTargets = ofType(resources, 'AWS::Events::Rule').flatMap(([, rule]) => rule.Properties!.Targets.map((target: { Arn: unknown }) => referenced(target.Arn)));
      const topicTargets = ofType(resources, 'AWS::SNS::Subscription').map(([, subscription]) => referenced(subscription.Properties!.Endpoint));
      expect(new Set([...ruleTargets, ...topicTargets])).toEqual(new Set(ASYNC_FUNCTIONS.map(logicalId)));
    });

    it.each(ASYNC_FUNCTIONS)('sends what %s could not process to the failed-events queue', (key) => {
      expect(onFailureOf(key)).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] });
    });

    it('gives every rule target a dead-letter queue or a function with a failure destination', () => {
      for (const [id, rule] of ofType(resources, 'AWS::Events::Rule')) {
        for (const target of rule.Properties!.Targets) {
          const fn = functionKeys.find((key) => logicalId(key) === referenced(target.Arn));
          expect(target.DeadLetterConfig ?? (fn && onFailureOf(fn)), id).toBeDefined();
        }
      }
    });

    it('lets EventBridge dead-letter into the queue for exactly the rules that name it', () => {
      const rulesWithDeadLetters = ofType(resources, 'AWS::Events::Rule')
        .filter(([, rule]) => rule.Properties!.Targets.some((target: { DeadLetterConfig?: unknown }) => target.DeadLetterConfig))
        .map(([id]) => id);
      expect(rulesWithDeadLetters.length).toBe(2);
      const policies = ofType(resources, 'AWS::SQS::QueuePolicy');
      expect(policies).toHaveLength(1);
      const [statement] = policies[0]![1].Properties!.PolicyDocument.Statement;
      expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
      expect(statement.Condition.ArnEquals['aws:SourceArn'].map(referenced).sort()).toEqual(rulesWithDeadLetters.sort());
    });
  });

  describe('alarms', () => {
    const alarms = () => ofType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties!);
    const alarmOn = (namespace: string, metric: string, dimension: string, target: string) =>
      alarms().filter(
        (alarm) => alarm.Namespace === namespace && alarm.MetricName === metric && alarm.Dimensions.some((d: { Name: string; Value: unknown }) => d.Name === dimension && referenced(d.Value) === target),
      );

    it.each(Object.keys(EXPECTED_GRANTS))('alarms on errors of %s', (key) => {
      expect(alarmOn('AWS/Lambda', 'Errors', 'FunctionName', logicalId(key))).toHaveLength(1);
    });

    it.each(['CapacityChangeStateMachine', 'DeployApplicationsStateMachine'])('alarms on failed and timed-out executions of %s', (machine) => {
      expect(ofType(resources, 'AWS::StepFunctions::StateMachine').map(([id]) => id)).toContain(machine);
      expect(alarmOn('AWS/States', 'ExecutionsFailed', 'StateMachineArn', machine)).toHaveLength(1);
      expect(alarmOn('AWS/States', 'ExecutionsTimedOut', 'StateMachineArn', machine)).toHaveLength(1);
    });

    it('alarms as soon as one failed event waits in the dead-letter queue', () => {
      const [depth] = alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'FailedEventsQueue');
      expect(depth).toMatchObject({ Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    });

    it('sends every alarm, firing and clearing, to the topic the alarm notifier is subscribed to', () => {
      expect(alarms()).toHaveLength(functionKeys.length + 2 * 2 + 1);
      for (const alarm of alarms()) {
        expect(alarm.AlarmActions.map(referenced), alarm.AlarmName).toEqual(['AlarmTopic']);
        expect(alarm.OKActions.map(referenced), alarm.AlarmName).toEqual(['AlarmTopic']);
      }
      expect(resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
      const subscriptions = ofType(resources, 'AWS::SNS::Subscription').map(([, subscription]) => subscription.Properties!);
      expect(subscriptions).toEqual([{ TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['AlarmNotifierLambdaFunction', 'Arn'] } }]);
      const permission = ofType(resources, 'AWS::Lambda::Permission').find(([, p]) => p.Properties!.Principal === 'sns.amazonaws.com')?.[1];
      expect(permission?.Properties).toMatchObject({ SourceArn: { Ref: 'AlarmTopic' }, Action: 'lambda:InvokeFunction' });
    });
  });

  describe('data at rest and secrets', () => {
    it.each(['AuditTable', 'StateTable'])('encrypts %s and keeps point-in-time recovery', (table) => {
      expect(resources[table]!.Properties).toMatchObject({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('encrypts every queue', () => {
      const queues = ofType(resources, 'AWS::SQS::Queue');
      expect(queues.length).toBeGreaterThan(0);
      for (const [id, queue] of queues) expect(queue.Properties!.SqsManagedSseEnabled === true || queue.Properties!.KmsMasterKeyId !== undefined, id).toBe(true);
    });

    it('names the webhook SSM parameters in the environment and never holds a URL or a webhook-like value', () => {
      for (const [id, fn] of functions()) {
        const variables: Record<string, unknown> = fn.Properties!.Environment?.Variables ?? {};
        for (const [name, value] of Object.entries(variables)) {
          const text = JSON.stringify(value);
          expect(text, `${id}.${name}`).not.toMatch(/https?:|hooks\.slack|\/services\/T[A-Z0-9]+\/B[A-Z0-9]+|xox[abp]-/i);
          if (name === 'SLACK_WEBHOOK_PARAMETER') expect(value).toBe(`/euc-autopilot/${STAGE}/slack-webhook-url`);
        }
      }
      expect(JSON.stringify(resources)).not.toMatch(/hooks\.slack\.com/);
    });
  });
});
