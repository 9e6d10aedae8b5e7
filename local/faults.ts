import { AwsError, errors } from './protocol.ts';

/**
 * Fault injection for the emulated AWS APIs: throttling, server errors and added latency, for the
 * next N calls of an operation or for a share of calls (seeded, so a run repeats).
 */
export type FaultKind = 'throttle' | 'server-error' | 'latency';

export interface FaultRule {
  /** `WorkspacesService.UpdateWorkspacesPool`, a bare `UpdateWorkspacesPool`, `WorkspacesService.*`, or `*`. */
  operation: string;
  kind: FaultKind;
  /** How many calls it applies to; absent = every matching call until cleared. */
  count?: number;
  /** Share of matching calls it applies to, 0–1 (default 1). */
  probability?: number;
  /** For `latency`: wall-clock milliseconds added. */
  latencyMs?: number;
  /** For `server-error`: 500 (default) or 503. */
  status?: 500 | 503;
}

/**
 * A Lambda "crash" right after an AWS call: the call is applied and recorded, then the container
 * of the function that made it dies before the answer reaches it (as an out-of-memory kill or a
 * timeout would), so whatever the handler meant to do next (its audit write) never happens.
 */
export interface CrashRule {
  /** The operation whose success triggers it: `UpdateWorkspacesPool`, `DeployWorkspaceApplications`. */
  operation: string;
  /** Only calls made by this function (its deployed name, or a part of it such as `capacityChangeStep`). */
  function?: string;
  /** How many crashes; absent = every matching call until cleared. */
  count?: number;
  /** Share of matching calls that crash, 0–1 (default 1). */
  probability?: number;
}

export interface FaultOutcome {
  latencyMs: number;
  error?: AwsError;
}

export class Faults {
  private rules: Array<FaultRule & { remaining: number }> = [];
  private crashes: Array<CrashRule & { remaining: number }> = [];
  /** Every crash dealt, for a campaign's report. */
  readonly crashed: Array<{ operation: string; caller: string }> = [];
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Draws the shares of probabilistic rules from a new seed (a campaign repeats with the same one). */
  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  crashAfter(rule: CrashRule): void {
    if (typeof rule.operation !== 'string' || rule.operation === '') throw new RangeError('crash.operation is required, e.g. "UpdateWorkspacesPool"');
    validateShare(rule, 'crash');
    this.crashes.push({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  /**
   * Whether the function `caller` (a deployed function name) dies right after its successful call
   * of `operation` (a bare operation name); consumes the rule that says so.
   */
  takeCrash(operation: string, caller: string): boolean {
    const rule = this.crashes.find(
      (candidate) =>
        candidate.remaining > 0 &&
        candidate.operation === operation &&
        (candidate.function === undefined || caller.includes(candidate.function)) &&
        (candidate.probability === undefined || this.random() < candidate.probability),
    );
    if (!rule) return false;
    rule.remaining -= 1;
    this.crashes = this.crashes.filter((candidate) => candidate.remaining > 0);
    this.crashed.push({ operation, caller });
    return true;
  }

  add(rule: FaultRule): void {
    validateRule(rule);
    this.rules.push({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
    this.crashes = [];
  }

  /** Puts these call fault rules in place of the current ones (crash rules stay): a campaign's windows. */
  replaceRules(rules: readonly FaultRule[]): void {
    rules.forEach(validateRule);
    this.rules = rules.map((rule) => ({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY }));
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) =>
      Number.isFinite(remaining) ? { ...rule, count: remaining } : rule,
    );
  }

  /**
   * Consumes the rules that apply to this call and says what to do to it. `throttling` builds the
   * error a throttle fault raises, so each service can answer with its own throttling exception.
   */
  take(target: string, throttling: () => AwsError = errors.throttling): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 };
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !matches(rule.operation, target)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.kind === 'latency') {
        outcome.latencyMs += rule.latencyMs ?? 0;
      } else if (!outcome.error) {
        outcome.error = rule.kind === 'throttle' ? throttling() : errors.internal(rule.status ?? 500);
      } else {
        continue;
      }
      rule.remaining -= 1;
    }
    this.rules = this.rules.filter((rule) => rule.remaining > 0);
    return outcome;
  }
}

function matches(pattern: string, target: string): boolean {
  if (pattern === '*' || pattern === target) return true;
  if (pattern.endsWith('.*')) return target.startsWith(pattern.slice(0, -1));
  return !pattern.includes('.') && target.endsWith(`.${pattern}`);
}

function validateRule(rule: FaultRule): void {
  if (typeof rule.operation !== 'string' || rule.operation === '')
    throw new RangeError('fault.operation is required, e.g. "WorkspacesService.UpdateWorkspacesPool" or "*"');
  if (!['throttle', 'server-error', 'latency'].includes(rule.kind))
    throw new RangeError('fault.kind must be one of throttle, server-error, latency');
  validateShare(rule, 'fault');
  if (rule.kind === 'latency' && !(typeof rule.latencyMs === 'number' && rule.latencyMs >= 0))
    throw new RangeError('fault.latencyMs (≥ 0) is required for a latency fault');
  if (rule.status !== undefined && rule.status !== 500 && rule.status !== 503)
    throw new RangeError(`fault.status must be 500 or 503, got ${JSON.stringify(rule.status)}`);
  if (rule.status !== undefined && rule.kind !== 'server-error')
    throw new RangeError('fault.status applies to a server-error fault only');
}

function validateShare(rule: { count?: number; probability?: number }, what: string): void {
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1))
    throw new RangeError(`${what}.count must be a whole number ≥ 1, or absent for every call`);
  if (rule.probability !== undefined && !(rule.probability > 0 && rule.probability <= 1))
    throw new RangeError(`${what}.probability must be in (0, 1]`);
}

/** Small seeded PRNG (mulberry32) so fault campaigns are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
