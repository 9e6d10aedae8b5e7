import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { compilePolicyFileFor } from '#local/lambda/policy-file.ts';
import { loadServerlessConfig, type ServiceConfig } from '#local/serverless/config.ts';
import { readCompiledPolicyFile } from '#lib/policy/compiled.ts';
import { loadPolicyFile, PolicyFileError } from '#lib/policy/load.ts';

/**
 * The local cloud compiles the policy file at start, as `serverless package` does, so its
 * functions read it the way they do in AWS.
 */
describe('the policy file on the local cloud', () => {
  const options = { stage: 'local', region: 'us-east-1', accountId: '123456789012' };
  const project = loadServerlessConfig(path.join(PROJECT_ROOT, 'serverless.yml'), options);
  const scratch = mkdtempSync(path.join(tmpdir(), 'local-policies-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("points the readers' POLICY_FILE at a compiled copy of custom.policyFile of their own, removed when the cloud stops", () => {
    // Act
    const compiled = compilePolicyFileFor(project);

    // Assess
    const byKey = new Map(compiled.functions.map((fn) => [fn.key, fn.environment.POLICY_FILE]));
    const file = byKey.get('capacityTick');
    expect(file).toBeDefined();
    expect(path.isAbsolute(file!) && !file!.startsWith(PROJECT_ROOT)).toBe(true);
    expect(byKey.get('cloudtrailReactor')).toBe(file);
    expect(byKey.get('deploymentSweeper')).toBe(file);
    expect(byKey.get('notifier')).toBeUndefined();
    expect(readCompiledPolicyFile(file!)).toStrictEqual(loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml')));
    compiled.remove();
    expect(existsSync(path.dirname(file!))).toBe(false);
  });

  it('fails with each mistake of the policy file', () => {
    // Prepare: the project's serverless.yml with custom.policyFile naming a bad file.
    const bad = path.join(scratch, 'bad.yml');
    writeFileSync(bad, readFileSync(path.join(PROJECT_ROOT, 'config/policies.yml'), 'utf8').replace('version: 1', 'version: 2'));
    const config: ServiceConfig = { ...project, custom: { ...project.custom, policyFile: bad } };

    // Act, Assess
    expect(() => compilePolicyFileFor(config)).toThrow(PolicyFileError);
    expect(() => compilePolicyFileFor(config)).toThrow(`${bad}: version: the only policy file version is 1`);
  });

  it('leaves a serverless.yml whose functions read no compiled policy file as it is', () => {
    const fixture = loadServerlessConfig(path.join(PROJECT_ROOT, 'test/fixtures/serverless/serverless.yml'), options);
    expect(compilePolicyFileFor(fixture).functions).toBe(fixture.functions);
  });
});
