import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The CloudFormation template `serverless package` builds, read from a fresh directory each run
 * (never a leftover `.serverless/`), so the security tests judge what would be deployed.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STAGE = 'sec';

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
}
export type Resources = Record<string, Resource>;

export async function packageTemplate(): Promise<Resources> {
  const dir = await mkdtemp(path.join(tmpdir(), 'euc-autopilot-package-'));
  try {
    await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', STAGE, '--package', dir], {
      cwd: ROOT,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const template = JSON.parse(await readFile(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
    return template.Resources as Resources;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function ofType(resources: Resources, type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

export function statementsOf(role: Resource): Statement[] {
  return (role.Properties?.Policies ?? []).flatMap((policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement);
}

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * A statement's resource, short enough for a table: `*`, a logical id for `!GetAtt X.Arn`, or the
 * `!Sub` ARN without its `arn:aws:` and Region/account parts (`states:stateMachine:…`).
 */
export function describeResource(resource: unknown): string {
  if (resource === '*') return '*';
  if (typeof resource === 'string') return resource;
  const value = resource as Record<string, any>;
  if (value['Fn::GetAtt']?.[1] === 'Arn') return value['Fn::GetAtt'][0];
  const sub = typeof value['Fn::Sub'] === 'string' ? value['Fn::Sub'] : value['Fn::Sub']?.[0];
  if (typeof sub === 'string') return sub.replace(/^arn:(aws|\$\{AWS::Partition\}):/, '').replace('${AWS::Region}:${AWS::AccountId}:', '');
  return JSON.stringify(resource);
}

/** Every `action → resource` a role's Allow statements grant, sorted (logs excluded: see `logGrants`). */
export function grants(role: Resource): string[] {
  return statementsOf(role)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      list(statement.Action).flatMap((action) => list(statement.Resource).map((resource) => `${action} → ${describeResource(resource)}`)),
    )
    .filter((grant) => !grant.startsWith('logs:'))
    .sort();
}

/** The logs grants of a role: the framework's, on the function's own log group. */
export function logGrants(role: Resource): string[] {
  return statementsOf(role)
    .flatMap((statement) => list(statement.Action).flatMap((action) => list(statement.Resource).map((resource) => [action, describeResource(resource)])))
    .filter(([action]) => action!.startsWith('logs:'))
    .map(([action, resource]) => `${action} → ${resource}`);
}

/** The logical id a `Ref`/`Fn::GetAtt` points at, if the value is one. */
export function referenced(value: unknown): string | undefined {
  const reference = value as Record<string, any> | undefined;
  return reference?.Ref ?? reference?.['Fn::GetAtt']?.[0];
}
