'use strict';

/**
 * Serverless plugin: the stack's alarms, derived from what it deploys, so a function or state
 * machine added later is watched without anyone remembering to add its alarm:
 *
 * - every function: `Errors` ≥ 1 in a minute (AWS/Lambda);
 * - every state machine: `ExecutionsFailed` ≥ 1 and `ExecutionsTimedOut` ≥ 1 in a minute (AWS/States);
 * - every queue in `custom.alarms.queues`: `ApproximateNumberOfMessagesVisible` ≥ 1 (AWS/SQS),
 *   i.e. a failed event is waiting for an operator.
 *
 * Each alarm notifies `custom.alarms.topic` (the logical id of an SNS topic in resources) when it
 * fires and when it clears; missing data (no invocations) counts as fine. It runs before the
 * template is finalized, after functions, state machines and events are compiled.
 *
 * CommonJS because the Serverless Framework `require`s local plugins.
 */
class AlarmsPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:finalize': () => this.addAlarms(),
    };
  }

  addAlarms() {
    const { service } = this.serverless;
    const settings = service.custom?.alarms ?? {};
    const ServerlessError = this.serverless.classes?.Error ?? Error;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const declared = service.resources?.Resources ?? {};
    if (typeof settings.topic !== 'string' || declared[settings.topic]?.Type !== 'AWS::SNS::Topic') {
      throw new ServerlessError('custom.alarms.topic must be the logical id of an AWS::SNS::Topic in resources.Resources', 'ALARMS_TOPIC');
    }
    const queues = settings.queues ?? [];
    for (const queue of queues) {
      if (declared[queue]?.Type !== 'AWS::SQS::Queue') {
        throw new ServerlessError(`custom.alarms.queues: ${JSON.stringify(queue)} is not an AWS::SQS::Queue in resources.Resources`, 'ALARMS_QUEUE');
      }
    }
    const naming = this.serverless.getProvider('aws').naming;
    const alarm = alarmOf({ Ref: settings.topic });

    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      resources[`${naming.getLambdaLogicalId(key)}ErrorsAlarm`] = alarm({
        name: `${fn.name}-errors`,
        description: `${key} failed: an invocation ended in an error (its logs say why)`,
        namespace: 'AWS/Lambda',
        metric: 'Errors',
        dimensions: [{ Name: 'FunctionName', Value: { Ref: naming.getLambdaLogicalId(key) } }],
      });
    }
    const machines = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine');
    for (const [id, machine] of machines) {
      const name = machine.Properties.StateMachineName ?? id;
      for (const [metric, what] of [['ExecutionsFailed', 'failed'], ['ExecutionsTimedOut', 'timed out']]) {
        resources[`${id}${metric}Alarm`] = alarm({
          name: `${name}-${what.replace(' ', '-')}`,
          description: `A ${name} execution ${what} (see its execution history)`,
          namespace: 'AWS/States',
          metric,
          dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
        });
      }
    }
    for (const queue of queues) {
      resources[`${queue}DepthAlarm`] = alarm({
        name: `${declared[queue].Properties.QueueName}-depth`,
        description: `Failed events are waiting in ${declared[queue].Properties.QueueName}: read them, fix the cause, then redrive or delete them`,
        namespace: 'AWS/SQS',
        metric: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      });
    }
  }
}

/** An alarm on one metric ≥ 1 over a minute, notifying `topic` when it fires and when it clears. */
function alarmOf(topic) {
  return ({ name, description, namespace, metric, dimensions, statistic = 'Sum' }) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: dimensions,
      Statistic: statistic,
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No invocations, executions or messages is no failure.
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    },
  });
}

module.exports = AlarmsPlugin;
