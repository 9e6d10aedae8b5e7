import { TraceFileError, type TraceIssue } from './errors.ts';
import { parseIsoInstant, parseTarget, TARGET_FORM, type TargetSamples, type TraceSample, type UsageTrace } from './trace.ts';

/**
 * Reads a usage trace from a CloudWatch GetMetricData export: the JSON `aws cloudwatch
 * get-metric-data` prints (`{ "MetricDataResults": [{ "Id", "Label", "Timestamps", "Values" }] }`),
 * or a list of such pages.
 *
 * Which target a result belongs to: `metricTargets` (from `--metric-target <Id or Label>=<target>`)
 * first, by Id then by Label; else an Id or Label that is itself a target name (`pool/wspool-…`,
 * `fleet/<name>`); else a Label that contains a pool id (`wspool-…`). A result none of these
 * place is an error naming its Id, with the option that places it.
 *
 * What a result measures, from the metric name in its Label or Id:
 * - `ActiveUserSessionCapacity` (pools) and `InUseCapacity` (AppStream), or no metric name at
 *   all: sessions in use — the trace;
 * - `ActualUserSessionCapacity` (pools) and `ActualCapacity` (AppStream): the capacity the target
 *   had, kept as "as run" for comparison;
 * - other pool and AppStream metrics (available, desired, pending, utilization…): not used, and
 *   listed in `ignored`.
 * Values are averages over the query's period: a fractional one is rounded up (a session in use
 * for part of a minute needed a session).
 */
export interface CloudWatchOptions {
  /** Id or Label → target name. */
  metricTargets?: Readonly<Record<string, string>>;
}

export interface CloudWatchTrace extends UsageTrace {
  /** Results left out because they measure something else ("m3 (AvailableCapacity)"). */
  ignored: string[];
}

const IN_USE = /ActiveUserSessionCapacity|InUseCapacity/i;
const AS_RUN = /ActualUserSessionCapacity|ActualCapacity/i;
const OTHER = /Available(UserSession)?Capacity|Desired(UserSession)?Capacity|PendingCapacity|RunningCapacity|CapacityUtilization|InsufficientCapacityError/i;
const POOL_ID = /\b(wspool-[0-9a-z]{1,32})\b/;

export function parseCloudWatchTrace(text: string, file: string, options: CloudWatchOptions = {}): CloudWatchTrace {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new TraceFileError(file, [{ ...positionOf(text, error), message: `not JSON: ${(error as Error).message}` }], { cause: error });
  }
  const pages = Array.isArray(document) ? document : [document];
  const issues: TraceIssue[] = [];
  const ignored: string[] = [];
  const byTarget = new Map<string, { kind: TargetSamples['kind']; id: string; inUse: TraceSample[]; asRun: TraceSample[] }>();
  const metricTargets = options.metricTargets ?? {};
  const used = new Set<string>();

  pages.forEach((page, pageIndex) => {
    const base = Array.isArray(document) ? `[${pageIndex}].` : '';
    const results = isObject(page) ? page.MetricDataResults : undefined;
    if (!Array.isArray(results)) {
      issues.push({ field: `${base}MetricDataResults`, message: 'expected the list GetMetricData returns ({ "MetricDataResults": [ … ] })' });
      return;
    }
    results.forEach((result: unknown, index) => {
      const field = `${base}MetricDataResults[${index}]`;
      if (!isObject(result) || typeof result.Id !== 'string') {
        issues.push({ field: `${field}.Id`, message: 'every result needs its Id (a string)' });
        return;
      }
      const id = result.Id;
      const label = typeof result.Label === 'string' ? result.Label : '';
      const named = `${id}${label ? ` (${label})` : ''}`;
      const measured = `${label} ${id}`;
      if (!IN_USE.test(measured) && !AS_RUN.test(measured) && OTHER.test(measured)) {
        ignored.push(named);
        return;
      }
      const place = placeResult(id, label, metricTargets);
      if (place.mapped) used.add(place.mapped);
      if ('problem' in place) {
        issues.push({ field: `${field}.Id`, message: place.problem });
        return;
      }
      const samples = readSamples(result, field, issues);
      if (!samples) return;
      const entry = byTarget.get(place.target) ?? { ...place.named, inUse: [], asRun: [] };
      byTarget.set(place.target, entry);
      (AS_RUN.test(measured) ? entry.asRun : entry.inUse).push(...samples);
    });
  });
  for (const key of Object.keys(metricTargets)) {
    if (!used.has(key)) issues.push({ field: '--metric-target', message: `${JSON.stringify(key)} is the Id or Label of no result in the file` });
  }
  if (issues.length > 0) throw new TraceFileError(file, issues);
  const targets: TargetSamples[] = [];
  for (const [target, entry] of byTarget) {
    if (entry.inUse.length === 0) {
      issues.push({ message: `${target} has a capacity series but no sessions in use (ActiveUserSessionCapacity or InUseCapacity)` });
      continue;
    }
    const inUse = sortedSamples(entry.inUse);
    targets.push({ target, kind: entry.kind, id: entry.id, inUse, ...(entry.asRun.length > 0 ? { asRun: sortedSamples(entry.asRun) } : {}) });
  }
  if (issues.length > 0) throw new TraceFileError(file, issues);
  if (targets.length === 0) throw new TraceFileError(file, [{ message: 'no results with sessions in use (ActiveUserSessionCapacity or InUseCapacity)' }]);
  targets.sort((a, b) => a.target.localeCompare(b.target));
  return { source: file, targets, ignored };
}

type Placement =
  | { target: string; named: { kind: TargetSamples['kind']; id: string }; mapped?: string }
  | { problem: string; mapped?: string };

function placeResult(id: string, label: string, metricTargets: Readonly<Record<string, string>>): Placement {
  const key = id in metricTargets ? id : label in metricTargets ? label : undefined;
  if (key !== undefined) {
    const target = metricTargets[key]!;
    const named = parseTarget(target);
    if (!named) return { problem: `--metric-target ${key}=${target}: ${JSON.stringify(target)} is not ${TARGET_FORM}`, mapped: key };
    return { target, named, mapped: key };
  }
  for (const candidate of [label, id]) {
    const named = parseTarget(candidate.trim());
    if (named) return { target: candidate.trim(), named };
  }
  const pool = POOL_ID.exec(label);
  if (pool) return { target: `pool/${pool[1]}`, named: { kind: 'pool', id: pool[1]! } };
  return { problem: `result ${JSON.stringify(id)}${label ? ` (Label ${JSON.stringify(label)})` : ''} names no pool or fleet: add --metric-target ${id}=pool/<pool id> or --metric-target ${id}=fleet/<fleet name>` };
}

function readSamples(result: Record<string, unknown>, field: string, issues: TraceIssue[]): TraceSample[] | undefined {
  const { Timestamps: timestamps, Values: values } = result;
  if (!Array.isArray(timestamps) || !Array.isArray(values)) {
    issues.push({ field, message: 'expected Timestamps and Values, two lists of the same length' });
    return undefined;
  }
  if (timestamps.length !== values.length) {
    issues.push({ field, message: `${timestamps.length} Timestamps but ${values.length} Values` });
    return undefined;
  }
  const samples: TraceSample[] = [];
  let bad = false;
  timestamps.forEach((time: unknown, index) => {
    const at = typeof time === 'string' ? parseIsoInstant(time) : undefined;
    if (at === undefined) {
      issues.push({ field: `${field}.Timestamps[${index}]`, message: `${JSON.stringify(time)} is not an ISO 8601 time` });
      bad = true;
    }
    const value = values[index];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      issues.push({ field: `${field}.Values[${index}]`, message: `${JSON.stringify(value)} is not a number ≥ 0` });
      bad = true;
    }
    if (at !== undefined && typeof value === 'number' && Number.isFinite(value) && value >= 0) samples.push({ at, value: Math.ceil(value - 1e-9) });
  });
  return bad ? undefined : samples;
}

/** In time order; of two samples at one instant (overlapping pages), the higher. */
function sortedSamples(samples: TraceSample[]): TraceSample[] {
  samples.sort((a, b) => a.at - b.at || a.value - b.value);
  return samples.filter((sample, index) => samples[index + 1]?.at !== sample.at);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The line and column of a JSON.parse error, from the position its message gives. */
function positionOf(text: string, error: unknown): { line?: number; column?: number } {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!match) return {};
  const before = text.slice(0, Number(match[1]));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
