import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors.ts';
import { parseCloudFormationYaml } from './yaml.ts';

/**
 * Serverless Framework variables (`${source:address, fallback…}`) as serverless.yml uses them:
 * `self:`, `sls:stage`, `opt:stage|region`, `aws:region|accountId`, `env:`, `param:` (from the
 * `params` block), `file(./path)` and `file(./path):address`, nested (`${self:custom.${sls:stage}}`)
 * and with fallbacks (quoted strings, numbers, booleans or other variables). A value that is one
 * whole variable keeps the referenced value's type; a variable inside a longer string is
 * interpolated. `${AWS::Region}`-style text (CloudFormation Sub syntax) is not a variable and is
 * left for the intrinsic resolver.
 */
export class ServerlessConfigError extends Error {
  override readonly name = 'ServerlessConfigError';
}

export interface VariableSources {
  stage: string;
  region: string;
  accountId: string;
  /** Directory of serverless.yml; `file()` paths are relative to it. */
  dir: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Sources the Serverless Framework reads from AWS or elsewhere; the local cloud has none of them. */
const REMOTE_SOURCES = new Set(['ssm', 'cf', 's3', 'git', 'secretsmanager', 'terraform']);

export function resolveVariables(config: Record<string, unknown>, sources: VariableSources): Record<string, unknown> {
  return new Resolver(config, sources).value(config, '') as Record<string, unknown>;
}

class Resolver {
  /** `self:` addresses being resolved, to report cycles instead of overflowing the stack. */
  private readonly inProgress: string[] = [];

  constructor(
    private readonly root: Record<string, unknown>,
    private readonly sources: VariableSources,
  ) {}

  value(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.text(value, where);
    if (Array.isArray(value)) return value.map((item, index) => this.value(item, `${where}[${index}]`));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item, join(where, key))]));
    }
    return value;
  }

  /** Resolves the variables in a string; a string that is exactly one variable takes its value's type. */
  private text(text: string, where: string): unknown {
    const spans = variableSpans(text);
    const only = spans[0];
    if (spans.length === 1 && only && only.start === 0 && only.end === text.length) {
      return this.variable(only.body, where);
    }
    let result = '';
    let last = 0;
    for (const span of spans) {
      const value = this.variable(span.body, where);
      if (isRecord(value) || Array.isArray(value)) {
        throw new ServerlessConfigError(`${where}: \${${span.body}} is an object and cannot be part of a string`);
      }
      result += text.slice(last, span.start) + String(value);
      last = span.end;
    }
    return result + text.slice(last);
  }

  /** One `${…}`: the first candidate (the reference, then each fallback) that resolves wins. */
  private variable(body: string, where: string): unknown {
    const misses: string[] = [];
    for (const candidate of splitTopLevel(body)) {
      const found = this.candidate(candidate.trim(), where, misses);
      if (found !== undefined && found !== null) return found;
    }
    throw new ServerlessConfigError(`${where}: cannot resolve \${${body}} (${misses.join('; ')})`);
  }

  private candidate(text: string, where: string, misses: string[]): unknown {
    const quoted = /^(['"])(.*)\1$/s.exec(text);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (text === 'true' || text === 'false') return text === 'true';
    // A fallback that is itself a variable (`${self:a, ${self:b}}`) or plain text.
    if (!isVariableBody(text)) return this.text(text, where);
    // Nested variables in the address first: `self:custom.${sls:stage}.name`.
    return this.reference(String(this.text(text, where)), where, misses);
  }

  private reference(text: string, where: string, misses: string[]): unknown {
    const file = /^file\((.+?)\)(?::(.*))?$/.exec(text);
    if (file) return this.file(file[1]!.trim(), file[2]?.trim(), where, misses);
    const [, source = '', address = ''] = /^([a-zA-Z]+):(.*)$/.exec(text) ?? [];
    const found = this.lookup(source, address.trim(), where);
    if (found === undefined) {
      misses.push(REMOTE_SOURCES.has(source) ? `${source}: is not available in the local cloud` : `${text} is not set`);
    }
    return found;
  }

  private lookup(source: string, address: string, where: string): unknown {
    switch (source) {
      case 'self':
        return this.self(address, where);
      case 'opt':
        return pick({ stage: this.sources.stage, region: this.sources.region }, address);
      case 'sls':
        return pick({ stage: this.sources.stage }, address);
      case 'aws':
        return pick({ region: this.sources.region, accountId: this.sources.accountId }, address);
      case 'env':
        return this.sources.env[address];
      case 'param': {
        const params = this.root.params;
        const value = dig(params, `${this.sources.stage}.${address}`) ?? dig(params, `default.${address}`);
        return value === undefined ? undefined : this.value(value, `params.${address}`);
      }
      default:
        return undefined;
    }
  }

  private self(address: string, where: string): unknown {
    if (this.inProgress.includes(address)) {
      throw new ServerlessConfigError(
        `${where}: \${self:${address}} refers to itself (${[...this.inProgress, address].join(' → ')})`,
      );
    }
    const raw = address === '' ? this.root : dig(this.root, address);
    if (raw === undefined) return undefined;
    this.inProgress.push(address);
    try {
      return this.value(raw, address);
    } finally {
      this.inProgress.pop();
    }
  }

  private file(relative: string, address: string | undefined, where: string, misses: string[]): unknown {
    const file = path.resolve(this.sources.dir, relative);
    if (!existsSync(file)) {
      misses.push(`file ${relative} does not exist`);
      return undefined;
    }
    const text = readFileSync(file, 'utf8');
    let content: unknown;
    try {
      content = /\.json$/i.test(file) ? JSON.parse(text) : parseCloudFormationYaml(text);
    } catch (error) {
      throw new ServerlessConfigError(
        `${where}: ${relative} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${messageOf(error)}`,
      );
    }
    const selected = address ? dig(content, address) : content;
    if (selected === undefined) misses.push(`${relative} has no ${address}`);
    return selected === undefined ? undefined : this.value(selected, `${relative}${address ? `:${address}` : ''}`);
  }
}

interface Span {
  start: number;
  end: number;
  body: string;
}

/** Top-level `${…}` variables of a string (balanced braces; CloudFormation `${Name}` is skipped). */
function variableSpans(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${', from);
    if (start < 0) return spans;
    let depth = 0;
    let end = -1;
    for (let i = start + 2; i < text.length; i += 1) {
      if (text[i] === '{') depth += 1;
      else if (text[i] === '}') {
        if (depth === 0) {
          end = i + 1;
          break;
        }
        depth -= 1;
      }
    }
    if (end < 0) return spans;
    const body = text.slice(start + 2, end - 1);
    if (isVariableBody(body)) spans.push({ start, end, body });
    from = isVariableBody(body) ? end : start + 2;
  }
}

/** `self:x`, `file(./x)`: a lowercase source name then `:` or `(`; `AWS::Region` and `Table.Arn` are not. */
function isVariableBody(body: string): boolean {
  return /^\s*[a-z][a-zA-Z0-9]*(\(|:(?!:))/.test(body);
}

/** Splits `a, 'b, c', ${d, e}` at the commas outside quotes, parentheses and nested variables. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const char of body) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '{' || char === '(') depth += 1;
    else if (char === '}' || char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

/** The value at a dotted address (`custom.tables.audit`, `functions.0`). */
export function dig(value: unknown, address: string): unknown {
  let node = value;
  for (const key of address.split('.')) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `values[key]` for own keys only, so `constructor` or `toString` never match. */
export function pick(values: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(values, key) ? values[key] : undefined;
}

function join(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}
