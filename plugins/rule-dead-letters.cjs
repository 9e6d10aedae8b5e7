'use strict';

/**
 * Serverless plugin: lets EventBridge put what it could not deliver into the dead-letter queues
 * that rule targets name (`eventBridge.deadLetterQueueArn: !GetAtt Queue.Arn` in serverless.yml).
 * Without a queue policy that allows it, EventBridge drops those events silently. The framework
 * writes the targets' DeadLetterConfig but no policy, so this adds one per queue: the
 * events.amazonaws.com service may send to it only on behalf of exactly those rules.
 *
 * A queue given a policy here must not get another AWS::SQS::QueuePolicy: a queue has one policy.
 * CommonJS because the Serverless Framework `require`s local plugins.
 */
class RuleDeadLettersPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:finalize': () => this.addQueuePolicies(),
    };
  }

  addQueuePolicies() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const ServerlessError = this.serverless.classes?.Error ?? Error;
    /** Queue logical id → the logical ids of the rules whose targets dead-letter into it. */
    const rulesByQueue = new Map();
    for (const [ruleId, rule] of Object.entries(resources)) {
      if (rule.Type !== 'AWS::Events::Rule') continue;
      for (const target of rule.Properties.Targets ?? []) {
        const arn = target.DeadLetterConfig?.Arn;
        if (arn === undefined) continue;
        const queue = arn['Fn::GetAtt']?.[1] === 'Arn' ? arn['Fn::GetAtt'][0] : undefined;
        if (queue === undefined) {
          throw new ServerlessError(`${ruleId}: deadLetterQueueArn must be !GetAtt <Queue>.Arn of a queue in this stack, so its policy can be written`, 'RULE_DLQ_ARN');
        }
        rulesByQueue.set(queue, [...(rulesByQueue.get(queue) ?? []), ruleId]);
      }
    }
    for (const [queue, rules] of rulesByQueue) {
      resources[`${queue}RuleDeadLetterPolicy`] = {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: queue }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
                Condition: { ArnEquals: { 'aws:SourceArn': rules.map((rule) => ({ 'Fn::GetAtt': [rule, 'Arn'] })) } },
              },
            ],
          },
        },
      };
    }
  }
}

module.exports = RuleDeadLettersPlugin;
