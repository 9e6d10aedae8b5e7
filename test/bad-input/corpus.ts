import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '#local/cloud.ts';

/**
 * The bad-input corpus (test/fixtures/bad-input/), read for the tests in this directory.
 *
 * CloudTrail: one JSON file per malformed event, each a mutation of a valid event — `base` (a path
 * from the project root: events/cloudtrail/*.json or cloudtrail/base/*.json), then `delete`,
 * `rename`, `set` (dotted paths into the event) and `inflate` (a path made a string of `times`
 * copies of `repeat`, or a list of `times` copies of any other value, so an oversize event is a
 * line of JSON rather than 256 KB checked in) — or a literal `event` for what is not one at all.
 * `_expect` is what the reactor must answer (`outcome`) and what its log line must say (`says`,
 * a substring that starts with the path of the field at fault).
 *
 * Policies: one YAML file per class of mistake; each `# expect: <path>: <message start>` line at
 * its top is one line `autopilot validate` must print (after `<file>: `), and there are exactly
 * as many mistakes as expect lines. policies/warnings/: valid files `validate` warns about, with
 * `# warn:` lines the same way (after `<file>: warning: `).
 */
export const BAD_INPUT_DIR = path.join(PROJECT_ROOT, 'test/fixtures/bad-input');
const CLOUDTRAIL_DIR = path.join(BAD_INPUT_DIR, 'cloudtrail');
const POLICIES_DIR = path.join(BAD_INPUT_DIR, 'policies');

export type ReactorOutcome = 'malformed' | 'failed-call' | 'unsupported-event' | 'foreign';

export interface CloudTrailCase {
  name: string;
  about: string;
  expect: { outcome: ReactorOutcome; says: string };
  /** The valid event it mutates, from the project root; none for a literal event. */
  base?: string;
  /** A fresh copy of the event each call. */
  event: () => unknown;
}

interface CloudTrailSpec {
  _expect: CloudTrailCase['expect'];
  about: string;
  event?: unknown;
  base?: string;
  delete?: string[];
  rename?: Record<string, string>;
  set?: Record<string, unknown>;
  inflate?: Record<string, { repeat: unknown; times: number }>;
}

export function cloudTrailCorpus(): CloudTrailCase[] {
  return jsonFiles(CLOUDTRAIL_DIR).map((file) => {
    const spec = JSON.parse(readFileSync(path.join(CLOUDTRAIL_DIR, file), 'utf8')) as CloudTrailSpec;
    return { name: path.basename(file, '.json'), about: spec.about, expect: spec._expect, base: spec.base, event: () => build(spec) };
  });
}

/** The valid events the corpus mutates: each must parse, or a mutation proves nothing. */
export function cloudTrailBases(): Array<{ name: string; event: unknown }> {
  const used = new Set(cloudTrailCorpus().flatMap((entry) => entry.base ?? []));
  return [...used].sort().map((base) => ({ name: base, event: readJson(base) }));
}

function build(spec: CloudTrailSpec): unknown {
  if (spec.base === undefined) return structuredClone(spec.event);
  const event = readJson(spec.base) as Record<string, unknown>;
  for (const at of spec.delete ?? []) withParent(event, at, (parent, key) => delete parent[key]);
  for (const [at, to] of Object.entries(spec.rename ?? {})) {
    withParent(event, at, (parent, key) => {
      parent[to] = parent[key];
      delete parent[key];
    });
  }
  for (const [at, value] of Object.entries(spec.set ?? {})) withParent(event, at, (parent, key) => (parent[key] = structuredClone(value)));
  for (const [at, { repeat, times }] of Object.entries(spec.inflate ?? {})) {
    const value = typeof repeat === 'string' ? repeat.repeat(times) : Array.from({ length: times }, () => structuredClone(repeat));
    withParent(event, at, (parent, key) => (parent[key] = value));
  }
  return event;
}

function withParent(event: Record<string, unknown>, at: string, act: (parent: Record<string, unknown>, key: string) => unknown): void {
  const keys = at.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((object, key) => object[key] as Record<string, unknown>, event);
  if (parent === null || typeof parent !== 'object') throw new Error(`corpus: no object at ${keys.join('.')} for ${at}`);
  act(parent, last);
}

function readJson(fromRoot: string): unknown {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, fromRoot), 'utf8'));
}

export interface PolicyCase {
  name: string;
  /** Relative to the project root, as `autopilot validate` is given it. */
  file: string;
  /** `<path>: <message start>` (or `line L:C: …` for a YAML syntax error), one per mistake. */
  expect: string[];
}

/** The files `validate` refuses, each with its `# expect:` lines. */
export function policyCorpus(): PolicyCase[] {
  return annotatedFiles(POLICIES_DIR, 'expect');
}

/** The valid files `validate` warns about (policies/warnings/), each with its `# warn:` lines. */
export function policyWarningCorpus(): PolicyCase[] {
  return annotatedFiles(path.join(POLICIES_DIR, 'warnings'), 'warn');
}

function annotatedFiles(dir: string, marker: string): PolicyCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const expect = [...text.matchAll(new RegExp(`^# ${marker}: (.+)$`, 'gm'))].map((match) => match[1]!);
      if (expect.length === 0) throw new Error(`corpus: ${file} has no "# ${marker}:" line`);
      return { name: path.basename(file, '.yml'), file: path.relative(PROJECT_ROOT, path.join(dir, file)), expect };
    });
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
}
