import { isRecord, ServerlessConfigError } from './variables.ts';

/**
 * CloudFormation intrinsic functions, resolved to the values the local cloud gives the resources:
 * `Ref`/`Fn::GetAtt` of DynamoDB tables, EventBridge buses, state machines and functions,
 * pseudo parameters (`AWS::Region`…), and the string functions `Fn::Sub`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`. Anything else has no local value and fails naming where it is used.
 */
export interface LocalResource {
  /** CloudFormation type, for messages. */
  type: string;
  /** What `Ref` returns; absent for resources the local cloud does not run (queues, roles…). */
  ref?: () => string;
  /** What `Fn::GetAtt [id, name]` returns, when the local cloud knows that attribute. */
  attribute?: (name: string) => string | undefined;
}

const SUPPORTED =
  'the local cloud resolves Ref and Fn::GetAtt of DynamoDB tables, EventBridge buses, state machines and functions';

export class Intrinsics {
  constructor(
    /** By logical id (and, for functions, by their key in serverless.yml, as serverless-step-functions allows). */
    private readonly resources: ReadonlyMap<string, LocalResource>,
    private readonly pseudo: Readonly<Record<string, string>>,
  ) {}

  resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((item, index) => this.resolve(item, `${where}[${index}]`));
    if (!isRecord(value)) return value;
    const entries = Object.entries(value);
    const [name, argument] = entries[0] ?? [];
    if (entries.length === 1 && name !== undefined && (name === 'Ref' || name.startsWith('Fn::'))) {
      return this.call(name, argument, where);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item, `${where}.${key}`)]));
  }

  /** A value that must end up a string (an environment variable, a name). */
  string(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new ServerlessConfigError(`${where}: expected a string, got ${JSON.stringify(resolved)}`);
  }

  /** `Fn::Sub` text: `${AWS::Region}`, `${Id}`, `${Id.Attribute}`, `${name}` from `variables`, `${!Literal}`. */
  substitute(template: string, where: string, variables: Record<string, unknown> = {}): string {
    return template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (Object.hasOwn(variables, name)) return this.string(variables[name], where);
      const dot = name.indexOf('.');
      return dot < 0 ? this.ref(name, where) : this.getAtt(name.slice(0, dot), name.slice(dot + 1), where);
    });
  }

  private call(name: string, argument: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(this.string(argument, where), where);
      case 'Fn::GetAtt': {
        const [id, attribute] = (
          typeof argument === 'string' ? argument.split(/\.(.*)/s) : list(argument, name, where)
        ).map((part) => this.string(part, where));
        return this.getAtt(id ?? '', attribute ?? '', where);
      }
      case 'Fn::Sub': {
        const [template, variables] = typeof argument === 'string' ? [argument, {}] : list(argument, name, where);
        if (typeof template !== 'string' || !isRecord(variables)) {
          throw new ServerlessConfigError(`${where}: Fn::Sub takes a string or [string, { name: value }]`);
        }
        return this.substitute(template, where, variables);
      }
      case 'Fn::Join': {
        const [delimiter, items] = list(argument, name, where);
        return list(this.resolve(items, where), name, where)
          .map((item) => this.string(item, where))
          .join(this.string(delimiter, where));
      }
      case 'Fn::Select': {
        const [index, items] = list(argument, name, where);
        return list(this.resolve(items, where), name, where)[Number(this.resolve(index, where))];
      }
      case 'Fn::Split': {
        const [delimiter, source] = list(argument, name, where);
        return this.string(source, where).split(this.string(delimiter, where));
      }
      default:
        throw new ServerlessConfigError(
          `${where}: ${name} is not supported by the local cloud (${SUPPORTED}, and Fn::Sub, Fn::Join, Fn::Select, Fn::Split)`,
        );
    }
  }

  private ref(id: string, where: string): string {
    if (Object.hasOwn(this.pseudo, id)) return this.pseudo[id]!;
    return this.resource(id, `Ref ${id}`, where).ref();
  }

  private getAtt(id: string, attribute: string, where: string): string {
    const what = `Fn::GetAtt ${id}.${attribute}`;
    const resource = this.resource(id, what, where);
    const value = resource.attribute(attribute);
    if (value === undefined) {
      throw new ServerlessConfigError(`${where}: ${what}: the local cloud has no ${attribute} of a ${resource.type}`);
    }
    return value;
  }

  private resource(id: string, what: string, where: string): Required<LocalResource> {
    const resource = this.resources.get(id);
    if (!resource) {
      throw new ServerlessConfigError(
        `${where}: ${what}: no resource, function or state machine has the logical id ${id}`,
      );
    }
    if (!resource.ref || !resource.attribute) {
      throw new ServerlessConfigError(`${where}: ${what} (${resource.type}) has no local value; ${SUPPORTED}`);
    }
    return resource as Required<LocalResource>;
  }
}

function list(value: unknown, name: string, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ServerlessConfigError(`${where}: ${name} takes a list, got ${JSON.stringify(value)}`);
  }
  return value;
}
