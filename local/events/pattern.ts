/**
 * EventBridge content filtering: does an event match a rule's event pattern, and is a pattern
 * well formed? Semantics follow the EventBridge user guide ("Comparison operators for use in event
 * patterns") and, where the guide is silent, aws/event-ruler, the matching engine behind it:
 *
 * - the fields of a pattern are ANDed; the values listed for a field are ORed; `$or` ORs branches;
 * - conditions test leaf values (strings, numbers, booleans, null); an array in the event offers
 *   each of its elements (nested arrays flattened), and a field matches when any element does;
 * - a nested pattern under an array of objects must hold within one element (array-consistent);
 * - every operator but `exists: false` needs a value to be present; operators test one JSON type
 *   (prefix, suffix, wildcard, equals-ignore-case and cidr strings; numeric numbers).
 */

export type EventPattern = Record<string, unknown>;

type Leaf = string | number | boolean | null;
type JsonObject = Record<string, unknown>;

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesFields(pattern, event);
}

function matchesFields(pattern: JsonObject, node: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or' && Array.isArray(rule)) {
      return rule.some((branch) => isObject(branch) && matchesFields(branch, node));
    }
    const value = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    if (Array.isArray(rule)) {
      const leaves = leavesOf(value);
      return rule.some((condition) => matchesCondition(condition, leaves));
    }
    if (!isObject(rule)) return false;
    const objects = objectsOf(value);
    // Nothing to descend into: only absence (`exists: false`) can still hold, so test against nothing.
    if (objects.length === 0) return matchesFields(rule, undefined);
    return objects.some((object) => matchesFields(rule, object));
  });
}

function matchesCondition(condition: unknown, leaves: Leaf[]): boolean {
  if (isObject(condition) && Object.hasOwn(condition, 'exists')) {
    // `exists` looks at leaf values only: an object or an empty array at the path does not exist.
    if (condition['exists'] === true) return leaves.length > 0;
    if (condition['exists'] === false) return leaves.length === 0;
    return false;
  }
  return leaves.some((leaf) => matchesLeaf(condition, leaf));
}

function matchesLeaf(condition: unknown, leaf: Leaf): boolean {
  // A plain value matches the same JSON value: "5" is not 5, and 3.0e2 is 300.
  if (!isObject(condition)) return condition === leaf;
  const [operator, operand] = onlyEntry(condition) ?? [];
  switch (operator) {
    case 'prefix':
      return matchesText(operand, leaf, (value, prefix) => value.startsWith(prefix));
    case 'suffix':
      return matchesText(operand, leaf, (value, suffix) => value.endsWith(suffix));
    case 'equals-ignore-case':
      return typeof operand === 'string' && typeof leaf === 'string' && fold(leaf) === fold(operand);
    case 'wildcard':
      return typeof operand === 'string' && typeof leaf === 'string' && matchesWildcard(operand, leaf);
    case 'numeric':
      return typeof leaf === 'number' && Array.isArray(operand) && inNumericRange(operand, leaf);
    case 'cidr':
      return typeof operand === 'string' && typeof leaf === 'string' && inCidr(operand, leaf);
    case 'anything-but':
      return matchesAnythingBut(operand, leaf);
    default:
      return false;
  }
}

/** prefix/suffix take a string, or `{"equals-ignore-case": string}` to compare without case. */
function matchesText(operand: unknown, leaf: Leaf, test: (value: string, text: string) => boolean): boolean {
  if (typeof leaf !== 'string') return false;
  if (typeof operand === 'string') return test(leaf, operand);
  const caseless = isObject(operand) ? operand['equals-ignore-case'] : undefined;
  return typeof caseless === 'string' && test(fold(leaf), fold(caseless));
}

/**
 * anything-but matches any present value the excluded set does not: a value of another JSON type
 * is never excluded (event-ruler behaves the same), so `{"anything-but": "x"}` matches 5 and null.
 */
function matchesAnythingBut(operand: unknown, leaf: Leaf): boolean {
  if (typeof operand === 'string' || typeof operand === 'number') return operand !== leaf;
  if (Array.isArray(operand)) return !operand.includes(leaf);
  const [operator, excluded] = (isObject(operand) && onlyEntry(operand)) || [];
  if (!operator || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator)) return false;
  const list = Array.isArray(excluded) ? excluded : [excluded];
  return !list.some((text) => matchesLeaf({ [operator]: text }, leaf));
}

const COMPARISONS = new Map<unknown, (value: number, bound: number) => boolean>([
  ['<', (value, bound) => value < bound],
  ['<=', (value, bound) => value <= bound],
  ['=', (value, bound) => value === bound],
  ['>=', (value, bound) => value >= bound],
  ['>', (value, bound) => value > bound],
]);

/** `[op, bound]` or `[op, bound, op, bound]`: every comparison must hold. */
function inNumericRange(terms: unknown[], value: number): boolean {
  if (terms.length !== 2 && terms.length !== 4) return false;
  for (let i = 0; i < terms.length; i += 2) {
    const compare = COMPARISONS.get(terms[i]);
    const bound = terms[i + 1];
    if (!compare || typeof bound !== 'number' || !compare(value, bound)) return false;
  }
  return true;
}

// ---- wildcard ------------------------------------------------------------------------------

/**
 * Splits a wildcard at its `*`s; `\*` stands for a literal star and `\\` for a backslash. Returns
 * a problem instead when the wildcard is malformed (another escape, or `**`, which AWS rejects).
 */
function wildcardParts(wildcard: string): string[] | { problem: string } {
  const parts = [''];
  let afterStar = false;
  for (let i = 0; i < wildcard.length; i++) {
    let char = wildcard[i] ?? '';
    if (char === '*') {
      if (afterStar) return { problem: `has consecutive * at position ${i}; one * already matches any run of characters` };
      parts.push('');
      afterStar = true;
      continue;
    }
    if (char === '\\') {
      char = wildcard[++i] ?? '';
      if (char !== '*' && char !== '\\') {
        return { problem: `has an unsupported escape "\\${char}"; only \\* and \\\\ are escapes` };
      }
    }
    parts[parts.length - 1] += char;
    afterStar = false;
  }
  return parts;
}

function matchesWildcard(wildcard: string, value: string): boolean {
  const parts = wildcardParts(wildcard);
  if (!Array.isArray(parts)) return false;
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (parts.length === 1) return value === first;
  if (!value.startsWith(first)) return false;
  // Leftmost placement of each middle part is always safe with `*` as the only wildcard.
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return value.length - last.length >= at && value.endsWith(last);
}

// ---- cidr ----------------------------------------------------------------------------------

interface Address {
  bits: bigint;
  width: 32 | 128;
}

function parseIp(text: string): Address | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return { bits: octets.reduce((bits, octet) => (bits << 8n) | BigInt(octet), 0n), width: 32 };
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = [], tail] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const missing = 8 - head.length - (tail?.length ?? 0);
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(tail ? missing : 0).fill('0'), ...(tail ?? [])];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return { bits: groups.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n), width: 128 };
}

function parseCidr(text: string): (Address & { prefix: number }) | undefined {
  const [ip = '', prefix, ...rest] = text.split('/');
  const address = parseIp(ip);
  if (!address || rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  return Number(prefix) <= address.width ? { ...address, prefix: Number(prefix) } : undefined;
}

function inCidr(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIp(ip);
  if (!block || !address || block.width !== address.width) return false;
  const hostBits = BigInt(block.width - block.prefix);
  return address.bits >> hostBits === block.bits >> hostBits;
}

// ---- event shape ---------------------------------------------------------------------------

function leavesOf(value: unknown): Leaf[] {
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  if (value === undefined || isObject(value)) return [];
  return [value as Leaf];
}

function objectsOf(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return isObject(value) ? [value] : [];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyEntry(object: JsonObject): [string, unknown] | undefined {
  const entries = Object.entries(object);
  return entries.length === 1 ? entries[0] : undefined;
}

function fold(text: string): string {
  return text.toLowerCase();
}

// ---- validation ----------------------------------------------------------------------------

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'];

/**
 * Problems AWS would reject the pattern for (PutRule fails with "Event pattern is not valid"),
 * each prefixed with its path, e.g. `detail.eventName: "prefix" takes a string`. Empty when valid.
 */
export function validatePattern(pattern: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(pattern)) return ['pattern: must be a JSON object of fields, e.g. {"source": ["aws.workspaces"]}'];
  checkFields(pattern, '', false, problems);
  return problems;
}

function checkFields(fields: JsonObject, path: string, insideOr: boolean, problems: string[]): void {
  if (Object.keys(fields).length === 0) {
    problems.push(`${path || 'pattern'}: must not be an empty object; name at least one field`);
  }
  for (const [key, rule] of Object.entries(fields)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      checkOr(rule, at, problems);
    } else if (insideOr && OPERATORS.includes(key)) {
      problems.push(`${at}: "${key}" is an operator, not a field name; it cannot be a field inside $or`);
    } else if (Array.isArray(rule)) {
      checkValues(rule, at, problems);
    } else if (isObject(rule) && OPERATORS.includes(onlyEntry(rule)?.[0] ?? '')) {
      // AWS would read this as a field named after the operator, which is never what was meant.
      problems.push(`${at}: operators go inside an array: [${JSON.stringify(rule)}]`);
    } else if (isObject(rule)) {
      checkFields(rule, at, insideOr, problems);
    } else {
      problems.push(`${at}: must be an array of values, e.g. [${JSON.stringify(rule) ?? ''}], or an object of nested fields`);
    }
  }
}

function checkOr(branches: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isObject)) {
    problems.push(`${path}: takes an array of at least two objects of fields`);
    return;
  }
  branches.forEach((branch, index) => checkFields(branch, `${path}[${index}]`, true, problems));
}

function checkValues(values: unknown[], path: string, problems: string[]): void {
  if (values.length === 0) problems.push(`${path}: must not be an empty array; list at least one value`);
  for (const value of values) {
    if (isObject(value)) {
      const problem = operatorProblem(value);
      if (problem) problems.push(`${path}: ${problem}`);
    } else if (!isScalar(value)) {
      problems.push(`${path}: values must be strings, finite numbers, booleans, null or operator objects`);
    }
  }
}

function operatorProblem(condition: JsonObject): string | undefined {
  const entry = onlyEntry(condition);
  if (!entry) {
    const keys = Object.keys(condition);
    return `an operator object takes exactly one operator, got ${keys.length ? keys.map((key) => `"${key}"`).join(', ') : 'none'}`;
  }
  const [operator, operand] = entry;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof operand === 'string') return undefined;
      if (isObject(operand) && onlyEntry(operand)?.[0] === 'equals-ignore-case' && typeof operand['equals-ignore-case'] === 'string') {
        return undefined;
      }
      return `"${operator}" takes a string or {"equals-ignore-case": string}`;
    case 'equals-ignore-case':
      return typeof operand === 'string' ? undefined : `"equals-ignore-case" takes a string`;
    case 'wildcard':
      return wildcardProblem(operand);
    case 'exists':
      return typeof operand === 'boolean' ? undefined : `"exists" takes true or false`;
    case 'cidr':
      return typeof operand === 'string' && parseCidr(operand)
        ? undefined
        : `"cidr" takes an IPv4 or IPv6 block such as "10.0.0.0/24", got ${JSON.stringify(operand)}`;
    case 'numeric':
      return numericProblem(operand);
    case 'anything-but':
      return anythingButProblem(operand);
    default:
      return `unknown operator "${operator}"; use one of ${OPERATORS.join(', ')}`;
  }
}

function wildcardProblem(operand: unknown, operator = 'wildcard'): string | undefined {
  if (typeof operand !== 'string') return `"${operator}" takes a string`;
  const parts = wildcardParts(operand);
  return Array.isArray(parts) ? undefined : `"${operator}" ${JSON.stringify(operand)} ${parts.problem}`;
}

function numericProblem(terms: unknown): string | undefined {
  const usage = `"numeric" takes [operator, number] or a range [">" or ">=", low, "<" or "<=", high]`;
  if (!Array.isArray(terms)) return usage;
  const [lowOp, low, highOp, high] = terms;
  if (terms.length === 2) return COMPARISONS.has(lowOp) && isFiniteNumber(low) ? undefined : usage;
  if (terms.length !== 4 || !isFiniteNumber(low) || !isFiniteNumber(high)) return usage;
  if ((lowOp !== '>' && lowOp !== '>=') || (highOp !== '<' && highOp !== '<=')) return usage;
  return low < high ? undefined : `"numeric" range is empty: the low bound ${low} must be below the high bound ${high}`;
}

function anythingButProblem(operand: unknown): string | undefined {
  if (typeof operand === 'string' || isFiniteNumber(operand)) return undefined;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((value) => typeof value === 'string');
    const allNumbers = operand.every(isFiniteNumber);
    return operand.length > 0 && (allStrings || allNumbers)
      ? undefined
      : `"anything-but" takes a list of all strings or all numbers, with at least one value`;
  }
  const [operator, excluded] = (isObject(operand) && onlyEntry(operand)) || [];
  const list = Array.isArray(excluded) ? excluded : [excluded];
  const nonEmptyList = list.length > 0;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return nonEmptyList && list.every((text) => typeof text === 'string' && text !== '')
        ? undefined
        : `"anything-but" {"${operator}": …} takes a non-empty string or a list of them`;
    case 'equals-ignore-case':
      return nonEmptyList && list.every((text) => typeof text === 'string')
        ? undefined
        : `"anything-but" {"equals-ignore-case": …} takes a string or a list of strings`;
    case 'wildcard':
      return nonEmptyList
        ? list.map((text) => wildcardProblem(text, 'anything-but wildcard')).find(Boolean)
        : `"anything-but" {"wildcard": …} takes a string or a list of strings`;
    default:
      return (
        `"anything-but" takes a string, a number, a list of either, ` +
        `or one of {"prefix"}, {"suffix"}, {"equals-ignore-case"}, {"wildcard"}`
      );
  }
}

function isScalar(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
