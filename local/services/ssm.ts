import { arn } from '../arn.ts';
import { AwsError, epochSeconds } from '../protocol.ts';
import type { Emulator, EmulatorDeps } from '../service.ts';
import { Params } from '../validation.ts';

/**
 * SSM Parameter Store, as much as euc-autopilot uses: the Slack webhook URL is a SecureString
 * read with decryption. No CloudTrail events: AWS hides SecureString values in them anyway, and
 * nothing in the product reacts to parameter changes.
 */
interface Parameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  modifiedAt: number;
}

const NAME = { required: true, min: 1, max: 2048, pattern: /^[a-zA-Z0-9_.\-/]+$/ } as const;

export function createSsmEmulator(deps: EmulatorDeps): Emulator & { put(name: string, value: string, type?: Parameter['type']): void } {
  const parameters = new Map<string, Parameter>();
  const parameterArn = (name: string) =>
    arn('ssm', deps.region, deps.accountId, `parameter${name.startsWith('/') ? '' : '/'}${name}`);

  function put(name: string, value: string, type: Parameter['type'] = 'String', overwrite = true): number {
    const existing = parameters.get(name);
    if (existing && !overwrite) {
      throw new AwsError('ParameterAlreadyExists', `The parameter ${name} already exists; pass Overwrite to replace it.`);
    }
    const version = (existing?.version ?? 0) + 1;
    parameters.set(name, { name, type, value, version, modifiedAt: deps.clock.now() });
    return version;
  }

  function view(parameter: Parameter, decrypt: boolean) {
    const hidden = parameter.type === 'SecureString' && !decrypt;
    return {
      Name: parameter.name,
      Type: parameter.type,
      // Without decryption AWS returns the ciphertext; any opaque text stands in for it here.
      Value: hidden ? Buffer.from(`kms:${parameter.name}:${parameter.version}`).toString('base64') : parameter.value,
      Version: parameter.version,
      LastModifiedDate: epochSeconds(parameter.modifiedAt),
      ARN: parameterArn(parameter.name),
      DataType: 'text',
    };
  }

  return {
    targetPrefix: 'AmazonSSM',
    put: (name, value, type) => void put(name, value, type),
    operations: {
      PutParameter(input) {
        const params = Params.of(input, 'ValidationException');
        const name = params.string('Name', NAME);
        const value = params.string('Value', { required: true, max: 8192 });
        const type = params.enum('Type', ['String', 'StringList', 'SecureString'] as const) ?? 'String';
        return { Version: put(name, value, type, params.bool('Overwrite') ?? false), Tier: 'Standard' };
      },
      GetParameter(input) {
        const params = Params.of(input, 'ValidationException');
        const name = params.string('Name', NAME);
        const parameter = parameters.get(name);
        if (!parameter) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
        return { Parameter: view(parameter, params.bool('WithDecryption') ?? false) };
      },
      GetParameters(input) {
        const params = Params.of(input, 'ValidationException');
        const names = params.strings('Names', { required: true, min: 1, max: 10 });
        const decrypt = params.bool('WithDecryption') ?? false;
        const found = names.flatMap((name) => {
          const parameter = parameters.get(name);
          return parameter ? [view(parameter, decrypt)] : [];
        });
        return { Parameters: found, InvalidParameters: names.filter((name) => !parameters.has(name)) };
      },
      DeleteParameter(input) {
        const name = Params.of(input, 'ValidationException').string('Name', NAME);
        if (!parameters.delete(name)) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
        return {};
      },
    },
  };
}
