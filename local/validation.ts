import { AwsError } from './protocol.ts';

/**
 * Request parameter checks with AWS-style messages. Shape constraints (required, type, length,
 * range, enum, pattern) are what the AWS front end rejects before an operation runs; each service
 * names the exception it returns for them (WorkSpaces documents InvalidParameterValuesException,
 * AppStream answers ValidationException).
 */
export type Input = Record<string, unknown>;

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
}
interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
}
interface ListRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export class Params {
  constructor(
    private readonly input: Input,
    /** Exception type raised for a violated constraint. */
    private readonly errorType: string,
    /** Where this object sits in the request, for messages (`Capacity.` …). */
    private readonly prefix = '',
  ) {}

  static of(body: unknown, errorType: string): Params {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    return new Params(body as Input, errorType);
  }

  fail(name: string, constraint: string, value?: unknown): never {
    const shown = value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
    throw new AwsError(
      this.errorType,
      `1 validation error detected: Value ${shown} at '${this.where(name)}' failed to satisfy constraint: ${constraint}`,
    );
  }

  /** Where member `name` sits in the request, for messages (`Capacity.DesiredUserSessions`). */
  where(name: string): string {
    return `${this.prefix}${name}`;
  }

  has(name: string): boolean {
    return this.input[name] !== undefined && this.input[name] !== null;
  }

  string(name: string, rule: StringRule & { required: true }): string;
  string(name: string, rule?: StringRule): string | undefined;
  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(name, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') this.fail(name, 'Member must be a string', value);
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(name, `Member must have length greater than or equal to ${rule.min}`, value);
    if (rule.max !== undefined && value.length > rule.max)
      this.fail(name, `Member must have length less than or equal to ${rule.max}`, value);
    if (rule.pattern && !rule.pattern.test(value))
      this.fail(name, `Member must satisfy regular expression pattern: ${rule.pattern.source}`, value);
    return value;
  }

  int(name: string, rule: NumberRule & { required: true }): number;
  int(name: string, rule?: NumberRule): number | undefined;
  int(name: string, rule: NumberRule = {}): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(name, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(name, 'Member must be an integer', value);
    if (rule.min !== undefined && value < rule.min)
      this.fail(name, `Member must have value greater than or equal to ${rule.min}`, value);
    if (rule.max !== undefined && value > rule.max)
      this.fail(name, `Member must have value less than or equal to ${rule.max}`, value);
    return value;
  }

  bool(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(name, 'Member must be a boolean', value);
    return value;
  }

  enum<T extends string>(name: string, values: readonly T[], rule: { required: true }): T;
  enum<T extends string>(name: string, values: readonly T[], rule?: { required?: boolean }): T | undefined;
  enum<T extends string>(name: string, values: readonly T[], rule: { required?: boolean } = {}): T | undefined {
    const value = this.string(name, { required: rule.required ?? false });
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value))
      this.fail(name, `Member must satisfy enum value set: [${values.join(', ')}]`, value);
    return value as T;
  }

  /** A list of strings: `min`/`max` bound the list's length, `item` each member. */
  strings(name: string, rule: ListRule & { required: true; item?: StringRule }): string[];
  strings(name: string, rule?: ListRule & { item?: StringRule }): string[] | undefined;
  strings(name: string, rule: ListRule & { item?: StringRule } = {}): string[] | undefined {
    const list = this.list(name, rule);
    if (list === undefined) return undefined;
    return list.map((item, index) => {
      const member = `${name}.${index + 1}`;
      return new Params({ [member]: item }, this.errorType, this.prefix).string(member, { ...rule.item, required: true });
    });
  }

  /** A list of enum values. */
  enums<T extends string>(name: string, values: readonly T[], rule: ListRule & { required: true }): T[];
  enums<T extends string>(name: string, values: readonly T[], rule?: ListRule): T[] | undefined;
  enums<T extends string>(name: string, values: readonly T[], rule: ListRule = {}): T[] | undefined {
    const list = this.strings(name, rule);
    list?.forEach((value, index) => {
      if (!(values as readonly string[]).includes(value))
        this.fail(`${name}.${index + 1}`, `Member must satisfy enum value set: [${values.join(', ')}]`, value);
    });
    return list as T[] | undefined;
  }

  /** A list of structures, each returned as Params for nested checks. */
  objects(name: string, rule: ListRule & { required: true }): Params[];
  objects(name: string, rule?: ListRule): Params[] | undefined;
  objects(name: string, rule: ListRule = {}): Params[] | undefined {
    const list = this.list(name, rule);
    if (list === undefined) return undefined;
    return list.map((item, index) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item))
        this.fail(`${name}.${index + 1}`, 'Member must be a structure', item);
      return new Params(item as Input, this.errorType, `${this.prefix}${name}.${index + 1}.`);
    });
  }

  /** A nested structure. */
  object(name: string, rule: { required: true }): Params;
  object(name: string, rule?: { required?: boolean }): Params | undefined;
  object(name: string, rule: { required?: boolean } = {}): Params | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(name, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(name, 'Member must be a structure', value);
    return new Params(value as Input, this.errorType, `${this.prefix}${name}.`);
  }

  /** The raw value, for members whose shape the operation checks itself. */
  raw(name: string): unknown {
    return this.input[name];
  }

  private list(name: string, rule: ListRule): unknown[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(name, 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(value)) this.fail(name, 'Member must be a list', value);
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(name, `Member must have length greater than or equal to ${rule.min}`, value);
    if (rule.max !== undefined && value.length > rule.max)
      this.fail(name, `Member must have length less than or equal to ${rule.max}`, value);
    return value;
  }
}
