import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/autopilot.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';

const BAD_POLICY = 'version: 1\npolicies:\n  - name: office\n    targets: [{ kind: pool, id: wspool-berlin001 }]\n    max: 5\n    windows: [{ name: day, start: "8:00", end: "18:00", capacity: 3 }]\n    timeZone: Europe/Berln\n';

function badPolicyFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'policies-')), 'policies.yml');
  writeFileSync(file, BAD_POLICY);
  return file;
}

/** Runs the CLI in process and keeps what it printed. */
async function autopilot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(['node', 'autopilot', ...args]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('autopilot validate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('checks config/policies.yml by default and sums it up in one line', async () => {
    const cwd = process.cwd();
    process.chdir(PROJECT_ROOT);
    try {
      const { code, stdout, stderr } = await autopilot('validate');
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toBe('config/policies.yml is valid: 4 policies, 4 target selectors, 8 windows, 2 calendars\n');
    } finally {
      process.chdir(cwd);
    }
  });

  it('lists each mistake with its path and exits 1', async () => {
    const file = badPolicyFile();
    const { code, stdout, stderr } = await autopilot('validate', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      `${file}: policies[0].windows[0].start: a time of day is HH:MM in 24-hour form, e.g. "08:00" or "17:30" (line 6:35)`,
      `${file}: policies[0].timeZone: an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC" (line 7:15)`,
      `${file}: 2 mistakes`,
      '',
    ]);
  });

  it('has --help', async () => {
    const { code, stdout } = await autopilot('validate', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: autopilot validate [options] [file]');
    expect(stdout).toContain('(default: "config/policies.yml")');
  });
});

describe('the serverless plugin that validates the policy file before packaging', () => {
  const require = createRequire(import.meta.url);
  const ValidatePoliciesPlugin = require('../../plugins/validate-policies.cjs') as new (
    serverless: unknown,
    options: unknown,
    utils: unknown,
  ) => { hooks: Record<string, () => void> };

  class ServerlessError extends Error {}
  // The compiled file goes to a folder of the test's own, not the project's .build/.
  const compiledPolicyFile = path.join(mkdtempSync(path.join(tmpdir(), 'compiled-')), 'policies.json');
  const serverless = (policyFile?: string) => ({
    serviceDir: PROJECT_ROOT,
    service: { custom: policyFile === undefined ? { compiledPolicyFile } : { policyFile, compiledPolicyFile } },
    classes: { Error: ServerlessError },
  });

  it('hooks before:package:initialize, passes a valid file (config/policies.yml by default) and compiles it for the functions', () => {
    const notices: string[] = [];
    const plugin = new ValidatePoliciesPlugin(serverless(), {}, { log: { notice: (line: string) => notices.push(line) } });
    plugin.hooks['before:package:initialize']?.();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(`^config/policies.yml is valid: 4 policies, 4 target selectors, 8 windows, 2 calendars\ncompiled to ${compiledPolicyFile} \\(sha256 of config/policies.yml: [0-9a-f]{64}\\)$`),
    );
    expect(JSON.parse(readFileSync(compiledPolicyFile, 'utf8'))).toMatchObject({ format: 'euc-autopilot-validated-policies/1', source: 'config/policies.yml' });
  });

  it('compiles before `serverless invoke local` too, which runs the bundles', () => {
    const plugin = new ValidatePoliciesPlugin(serverless(), {}, {});
    expect(Object.keys(plugin.hooks)).toEqual(['before:package:initialize', 'before:invoke:local:invoke']);
  });

  it('fails the build with each mistake of custom.policyFile', () => {
    const file = badPolicyFile();
    const plugin = new ValidatePoliciesPlugin(serverless(file), {}, {});
    const hook = plugin.hooks['before:package:initialize'];
    expect(hook).toBeDefined();
    expect(() => hook?.()).toThrow(ServerlessError);
    expect(() => hook?.()).toThrow(
      new RegExp(`not valid; fix it before packaging:\\n.*policies\\[0\\]\\.windows\\[0\\]\\.start: .*\\n.*policies\\[0\\]\\.timeZone: .*\\n.*2 mistakes$`),
    );
  });
});
