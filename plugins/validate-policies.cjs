'use strict';

/**
 * Serverless plugin: `serverless package` (and so `deploy`) refuses to build with a bad policy
 * file. Before packaging it runs `node bin/autopilot.mjs validate <file>` — the same check as the
 * CLI, so the two cannot disagree — and fails the build with its output. The file is
 * `custom.policyFile` in serverless.yml, default config/policies.yml, relative to the service.
 *
 * CommonJS because the Serverless Framework `require`s local plugins.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const DEFAULT_POLICY_FILE = 'config/policies.yml';

class ValidatePoliciesPlugin {
  constructor(serverless, _options, utils = {}) {
    this.serverless = serverless;
    this.log = utils.log;
    this.hooks = {
      'before:package:initialize': () => this.validate(),
    };
  }

  validate() {
    const serviceDir = this.serverless.serviceDir ?? this.serverless.config?.servicePath ?? process.cwd();
    const file = this.serverless.service?.custom?.policyFile ?? DEFAULT_POLICY_FILE;
    const result = spawnSync(process.execPath, [path.join(serviceDir, 'bin', 'autopilot.mjs'), 'validate', file], {
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
