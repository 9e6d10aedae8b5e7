import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePolicyFile, writeCompiledPolicyFile } from '#lib/policy/compile.ts';
import { COMPILED_POLICY_FORMAT, readCompiledPolicyFile } from '#lib/policy/compiled.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { loadServerlessConfig } from '#local/serverless/config.ts';
import { useAutopilotCli } from '#test/support/cli.ts';

/**
 * The policy file the Lambda functions read: compiled and validated at package time
 * (`autopilot validate --compile`, which plugins/validate-policies.cjs runs), read at cold start
 * with a JSON.parse, and bundled without the YAML parser or the zod schema.
 */
const SOURCE = path.join(PROJECT_ROOT, 'config/policies.yml');
const dir = mkdtempSync(path.join(tmpdir(), 'compiled-policies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('autopilot validate --compile', () => {
  const autopilot = useAutopilotCli();

  it('writes the validated file, defaults filled in, in its envelope: what the YAML loader returns survives JSON', async () => {
    // Act
    const out = path.join(dir, 'build', 'policies.json');
    const { code, stdout, stderr } = await autopilot(['validate', SOURCE, '--compile', out]);

    // Assess
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const sha256 = createHash('sha256').update(readFileSync(SOURCE)).digest('hex');
    expect(stdout.split('\n')[1]).toBe(`compiled to ${out} (sha256 of ${SOURCE}: ${sha256})`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toStrictEqual({
      format: COMPILED_POLICY_FORMAT,
      source: SOURCE,
      sha256,
      file: loadPolicyFile(SOURCE),
    });
  });

  it('writes nothing for a file with a mistake', async () => {
    // Prepare
    const bad = path.join(dir, 'bad.yml');
    writeFileSync(bad, 'version: 1\npolicies: []\n');
    const out = path.join(dir, 'bad.json');

    // Act
    const { code, stderr } = await autopilot(['validate', bad, '--compile', out]);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad}: policies: \`policies\` is empty`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('reading a compiled policy file', () => {
  it('refuses a file without the envelope, saying which setting names it and how to write it', () => {
    // Prepare: the policies as plain JSON, not written by the compiler.
    const plain = path.join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify(loadPolicyFile(SOURCE)));

    // Act, Assess
    const fix = /write it with `npx serverless package` \(custom\.policyFile → custom\.compiledPolicyFile\) or `npx autopilot validate <policies\.yml> --compile /;
    expect(() => readCompiledPolicyFile(plain)).toThrow(`POLICY_FILE names ${plain}, which is not a validated policy file (it needs "format": "${COMPILED_POLICY_FORMAT}"`);
    expect(() => readCompiledPolicyFile(plain)).toThrow(fix);
    expect(() => readCompiledPolicyFile(path.join(dir, 'missing.json'))).toThrow(/POLICY_FILE names .*missing\.json, which cannot be read \(no such file\); write it with/);
  });
});

describe('the bundles of the functions that read the policy file', () => {
  const config = loadServerlessConfig(path.join(PROJECT_ROOT, 'serverless.yml'), { stage: 'test', region: 'us-east-1', accountId: '123456789012' });
  const { esbuild, compiledPolicyFile } = config.custom as { esbuild: Record<string, unknown>; compiledPolicyFile: string };
  // serverless.yml's esbuild settings, less serverless-esbuild's own options.
  const { exclude: _exclude, outputFileExtension: _extension, ...settings } = esbuild;
  const bundle = (entry: string, options: BuildOptions = {}) =>
    build({ ...(settings as BuildOptions), entryPoints: [entry], absWorkingDir: PROJECT_ROOT, logLevel: 'silent', ...options });

  const readers = config.functions.filter((fn) => fn.environment.POLICY_FILE === compiledPolicyFile);

  it('are the capacity tick, the reactor and the sweeper', () => {
    expect(readers.map((fn) => fn.key)).toEqual(['capacityTick', 'cloudtrailReactor', 'deploymentSweeper']);
  });

  it.each(readers.map((fn) => [fn.key, fn.modulePath] as const))('%s holds neither the yaml parser nor the policy schema', async (_key, modulePath) => {
    // Act
    const { metafile } = await bundle(`${modulePath}.ts`, { write: false, metafile: true, sourcemap: false });

    // Assess
    const inputs = Object.keys(metafile?.inputs ?? {});
    expect(inputs).toContain('lib/policy/compiled.ts');
    expect(inputs.filter((input) => input.startsWith('node_modules/yaml/') || /^lib\/policy\/(load|schema)\.ts$/.test(input))).toEqual([]);
  }, 30_000);

  it('read the compiled file, and refuse a YAML one with what to point POLICY_FILE at', async () => {
    // Prepare: lib/config/policy-file.ts bundled as the functions get it, and the compiled file.
    const out = path.join(dir, 'policy-file.cjs');
    await bundle(path.join(PROJECT_ROOT, 'lib/config/policy-file.ts'), { outfile: out, sourcemap: false });
    writeCompiledPolicyFile(path.join(dir, 'task', compiledPolicyFile), compilePolicyFile(SOURCE));
    const { policyFileFromEnv } = createRequire(import.meta.url)(out) as { policyFileFromEnv: () => unknown };
    const saved = { ...process.env };

    try {
      // Act, Assess: as in Lambda, the path relative to LAMBDA_TASK_ROOT.
      Object.assign(process.env, { LAMBDA_TASK_ROOT: path.join(dir, 'task'), POLICY_FILE: compiledPolicyFile });
      expect(policyFileFromEnv()).toStrictEqual(loadPolicyFile(SOURCE));
      process.env.POLICY_FILE = SOURCE;
      expect(() => policyFileFromEnv()).toThrow(
        `POLICY_FILE names ${SOURCE}, a YAML policy file; the bundled functions read only the validated JSON \`npx serverless package\` compiles from it`,
      );
    } finally {
      process.env = saved;
    }
  }, 30_000);
});
