'use strict';

/**
 * Serverless plugin: `serverless package` (and so `deploy`) refuses to build with a bad policy
 * file, and ships the functions the validated file. Before packaging it runs `node
 * bin/autopilot.mjs validate <file> --compile <out>` — the same check as the CLI, so the two
 * cannot disagree — and fails the build with its output. The file is `custom.policyFile` in
 * serverless.yml (default config/policies.yml); `<out>` is `custom.compiledPolicyFile` (default
 * .build/policies.json), the JSON the functions' POLICY_FILE names and their package holds: read
 * with a JSON.parse at cold start, no YAML parser, no schema (lib/policy/compiled.ts). Both
 * relative to the service. `serverless invoke local` runs the bundles too, so it compiles first as well.
 *
 * CommonJS because the Serverless Framework `require`s local plugins.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const DEFAULT_POLICY_FILE = 'config/policies.yml';
const DEFAULT_COMPILED_POLICY_FILE = '.build/policies.json';

class ValidatePoliciesPlugin {
  constructor(serverless, _options, utils = {}) {
    this.serverless = serverless;
    this.log = utils.log;
    // Taken now: for `invoke local`, serverless-esbuild points the service path at its build folder.
    this.serviceDir = serverless.serviceDir ?? serverless.config?.servicePath ?? process.cwd();
    this.hooks = {
      'before:package:initialize': () => this.validate(),
      'before:invoke:local:invoke': () => this.validate(),
    };
  }

  validate() {
    const { serviceDir } = this;
    const custom = this.serverless.service?.custom ?? {};
    const file = custom.policyFile ?? DEFAULT_POLICY_FILE;
    const out = custom.compiledPolicyFile ?? DEFAULT_COMPILED_POLICY_FILE;
    const result = spawnSync(process.execPath, [path.join(serviceDir, 'bin', 'autopilot.mjs'), 'validate', file, '--compile', out], {
      cwd: serviceDir,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (result.error || result.status !== 0) {
      const ServerlessError = this.serverless.classes?.Error ?? Error;
      const reason = result.error ? String(result.error) : output;
      throw new ServerlessError(`The policy file ${file} is not valid; fix it before packaging:\n${reason}`, 'INVALID_POLICY_FILE');
    }
    this.log?.notice?.(output);
  }
}

module.exports = ValidatePoliciesPlugin;
