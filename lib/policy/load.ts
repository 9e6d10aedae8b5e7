import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { policyFileSchema, type PolicyFile } from './schema.ts';

/**
 * Loads the policy file: YAML → `policyFileSchema`.
 *
 * Input: a path (or the text and the name to report it under). Output: the validated PolicyFile,
 * defaults filled in. Primary course: parse the YAML (a syntax error is reported at its
 * line:column and nothing else is checked), validate the document, and on any mistake throw one
 * PolicyFileError listing them all as `<file>: <path>: <message> (line L:C)`, where the path reads
 * like `policies[0].windows[1].start` and the message says how to fix it.
 *
 * Refinements that span several members (min ≤ max, `capacity` xor `floor`, calendars that must
 * exist, unique names) run, as zod v4 runs them, only when the object they sit on has no member of
 * the wrong type or shape; fixing one round of mistakes can so reveal another.
 */
export interface PolicyIssue {
  /** Where in the document, e.g. `policies[0].windows[1].start`; empty for the document itself. */
  path: string;
  message: string;
  /** 1-based line and column of the YAML node, where the document has it. */
  line?: number;
  column?: number;
  /** A YAML syntax error (the file could not be read as YAML at all). */
  syntax?: boolean;
}

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';

  constructor(
    readonly file: string,
    readonly issues: readonly PolicyIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      `${file} has ${issues.length === 1 ? 'a mistake' : `${issues.length} mistakes`}:\n` +
        issues.map((issue) => formatIssue(file, issue)).join('\n'),
      options,
    );
  }

  /** One line per mistake: `<file>: <path>: <message>`. */
  lines(): string[] {
    return this.issues.map((issue) => formatIssue(this.file, issue));
  }
}

export function formatIssue(file: string, issue: PolicyIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line}:${issue.column ?? 1})`;
  // A YAML syntax error has no document path: its place is the line:column itself.
  if (issue.syntax) return `${file}: line ${issue.line ?? 1}:${issue.column ?? 1}: ${issue.message}`;
  return `${file}: ${issue.path === '' ? '(top level)' : issue.path}: ${issue.message}${where}`;
}

export function loadPolicyFile(path: string): PolicyFile {
  return parsePolicyFile(readPolicyText(path), path);
}

/** The text of a policy file; one that cannot be read is a PolicyFileError like any other mistake. */
export function readPolicyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new PolicyFileError(path, [{ path: '', message: `cannot read the policy file: ${reason}` }], { cause: error });
  }
}

export function parsePolicyFile(text: string, file: string): PolicyFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new PolicyFileError(
      file,
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: '', message: `YAML syntax error: ${error.message}`, line, column: col, syntax: true };
      }),
    );
  }
  const data = toJS(document, file);
  if (data === null || data === undefined) {
    throw new PolicyFileError(file, [{ path: '', message: 'the file is empty; start it with `version: 1` and a `policies:` list' }]);
  }
  const result = policyFileSchema.safeParse(data, { error: explain });
  if (result.success) return result.data;
  const issues = flatten(result.error.issues).map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    ...locate(document, lineCounter, issue),
  }));
  // In the order of the file; zod's order follows the schema's members instead.
  const ordered = dedupe(issues).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  throw new PolicyFileError(file, ordered, { cause: result.error });
}

/**
 * The document as plain data. Aliases are expanded here, and the yaml library refuses (throws) a
 * document whose aliases would expand past its limit — a few nested aliases can stand for
 * millions of nodes — so that is reported as a mistake of the file, not a crash.
 */
function toJS(document: Document, file: string): unknown {
  try {
    return document.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /alias/i.test(reason) ? '; write the repeated values out instead of nesting aliases (*name)' : '';
    throw new PolicyFileError(file, [{ path: '', message: `the YAML cannot be read: ${reason}${hint}` }], { cause: error });
  }
}

/** `['policies', 0, 'windows', 1, 'start']` → `policies[0].windows[1].start`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      const plain = /^[A-Za-z_$][\w$-]*$/.test(name) ? name : JSON.stringify(name);
      return plain === name ? `${index === 0 ? '' : '.'}${name}` : `[${plain}]`;
    })
    .join('');
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/**
 * Messages for the issues the schema leaves to zod's defaults, saying what to write instead.
 * Messages the schema sets itself (time formats, refinements) are kept as they are.
 */
function explain(issue: RawIssue): string | undefined {
  const key = issue.path?.at(-1);
  const name = typeof key === 'string' ? `\`${key}\`` : 'this entry';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = describeType(String(issue.expected));
      if (issue.input === undefined) return `${name} is missing: add it (${expected})`;
      // `start: 1800`: YAML read a number; a time of day is text.
      if ((key === 'start' || key === 'end') && typeof issue.input === 'number')
        return `expected a time of day HH:MM in quotes, e.g. "18:00", got ${describeValue(issue.input)}`;
      return `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.inst);
      return issue.keys
        .map((unknown) => {
          // YAML 1.2, which the file is read as, has no merge keys: `<<` is just an unknown key.
          if (unknown === '<<') return 'unknown key `<<`: YAML merge keys are not supported here; write the keys out';
          const suggestion = allowed.length > 0 ? closest(unknown, allowed) : undefined;
          const hint = suggestion
            ? `did you mean \`${suggestion}\`?`
            : allowed.length > 0
              ? `allowed here: ${allowed.join(', ')}`
              : 'remove it';
          return `unknown key \`${unknown}\`; ${hint}`;
        })
        .join('; ');
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
      if (key === 'version') return `the only policy file version is 1: write \`version: 1\``;
      if (issue.input === undefined) return `${name} is missing: add it (one of ${values.join(', ')})`;
      const wrong = typeof issue.input === 'string' ? closest(issue.input, values) : undefined;
      return `${describeValue(issue.input)} is not one of ${values.join(', ')}${wrong ? `; did you mean ${wrong}?` : ''}`;
    }
    case 'too_small': {
      const bound = Number(issue.minimum);
      if (issue.origin === 'array')
        return bound === 1 ? `${name} is empty: list at least one entry` : `list at least ${bound} entries`;
      if (issue.origin === 'string') return `${name} must not be empty`;
      return issue.inclusive ? `must be ${bound} or more, got ${describeValue(issue.input)}` : `must be more than ${bound}, got ${describeValue(issue.input)}`;
    }
    case 'too_big': {
      const bound = Number(issue.maximum);
      if (issue.origin === 'array') return `list at most ${bound} entries`;
      if (issue.origin === 'string') return `must be at most ${bound} characters`;
      return issue.inclusive ? `must be ${bound} or less, got ${describeValue(issue.input)}` : `must be less than ${bound}, got ${describeValue(issue.input)}`;
    }
    default:
      return undefined;
  }
}

/**
 * A union (target selector, calendar entry) that no alternative accepts: report the issues of the
 * alternative that came closest — the one whose shape matched and that has the fewest issues —
 * or, when none stands out, what the alternatives are.
 */
function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }];
    const ranked = issue.errors
      .map((branch) => ({ branch, score: score(branch) }))
      .sort((a, b) => a.score - b.score);
    const [best, next] = ranked;
    if (best && (!next || best.score < next.score)) return flatten(best.branch, path);
    return [{ ...issue, path, message: alternatives(path, issue.errors) }];
  });
}

/** Lower is closer: wrong kinds of value and unknown keys weigh more than a wrong detail. */
function score(branch: readonly Issue[]): number {
  return branch.reduce((total, issue) => {
    if (issue.code === 'invalid_type' && issue.path.length === 0) return total + 100;
    if (issue.code === 'unrecognized_keys') return total + 10 * issue.keys.length;
    if (issue.code === 'invalid_type' && / is missing: /.test(issue.message)) return total + 10;
    return total + 1;
  }, 0);
}

function alternatives(path: readonly PropertyKey[], branches: readonly Issue[][]): string {
  if (path.at(-2) === 'targets')
    return 'a target selector is `{ kind: pool|fleet, id: … }`, `{ kind, namePattern: "glob*" }` or `{ kind, tags: { key: value } }`, with exactly one of id, namePattern, tags';
  if (path[0] === 'calendars')
    return 'a calendar entry is a date "YYYY-MM-DD", `{ date: YYYY-MM-DD }`, `{ from: YYYY-MM-DD, to: YYYY-MM-DD }` or `{ yearly: MM-DD }`';
  const messages = [...new Set(branches.flatMap((branch) => branch.map((issue) => issue.message)))];
  return `matches none of the allowed forms: ${messages.join('; or ')}`;
}

function dedupe(issues: PolicyIssue[]): PolicyIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The line:column of an issue's node: the value at its path, else the unknown key, else the nearest parent. */
function locate(document: Document, lineCounter: LineCounter, issue: Issue): { line?: number; column?: number } {
  let path: PropertyKey[] = [...issue.path];
  let node: unknown;
  if (issue.code === 'unrecognized_keys') {
    const parent = document.getIn(path, true);
    const [unknownKey] = issue.keys;
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === unknownKey)?.key;
  }
  while (node === undefined) {
    const found = path.length === 0 ? document.contents : document.getIn(path, true);
    if (isScalar(found) || isMap(found) || isSeq(found)) node = found;
    else if (path.length === 0) break;
    else path = path.slice(0, -1);
  }
  const range = (node as Node | undefined)?.range;
  if (!range) return {};
  const { line, col } = lineCounter.linePos(range[0]);
  return { line, column: col };
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

function allowedKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * The candidate nearest to `word` (case-insensitive, edit distance ≤ 2, ≤ 1 for short words), else
 * one the word starts with (`Monday` → `MON`), if any.
 */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const limit = candidate.length <= 3 ? 1 : 2;
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? candidates.find((candidate) => candidate.length >= 3 && word.toLowerCase().startsWith(candidate.toLowerCase()));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
