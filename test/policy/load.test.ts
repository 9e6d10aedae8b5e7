import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { loadPolicyFile, parsePolicyFile, PolicyFileError } from '#lib/policy/load.ts';
import { mistakes } from './support.ts';


/** A valid file whose single policy takes `policy` lines (indented under `  - `). */
function withPolicy(policy: string, head = ''): string {
  return `version: 1\n${head}policies:\n  - name: office\n    targets: [{ kind: pool, id: wspool-berlin001 }]\n${policy}`;
}

describe('loading the policy file', () => {
  it('accepts the example policy of the demo account, defaults filled in', () => {
    const file = loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml'));
    expect(file.policies.map((policy) => policy.name)).toEqual([
      'berlin-sales-desktops',
      'newyork-support-desktops',
      'berlin-office-apps',
      'newyork-design-tools',
    ]);
    expect(file.policies[1]?.offHours).toEqual({ capacity: 0, stop: false });
    expect(file.policies[3]?.targets).toEqual([{ kind: 'fleet', namePattern: 'newyork-design-*' }]);
  });

  it('accepts the example in docs/POLICIES.md', () => {
    const docs = readFileSync(path.join(PROJECT_ROOT, 'docs/POLICIES.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    expect(parsePolicyFile(example ?? '', 'docs/POLICIES.md').policies).toHaveLength(1);
  });

  it('reports a YAML syntax error at its line:column and nothing else', () => {
    expect(mistakes('version: 1\npolicies:\n  - name: a\n    targets: [{ kind: pool, id: x }\n    max: 3\n')).toEqual([
      expect.stringMatching(/^policies\.yml: line 5:5: YAML syntax error: Flow sequence .+ end with a \]$/),
    ]);
    expect(mistakes('version: 1\nversion: 1\n')).toEqual(['policies.yml: line 2:1: YAML syntax error: Map keys must be unique']);
  });

  it('says what an empty file needs', () => {
    expect(mistakes('# nothing yet\n')).toEqual([
      'policies.yml: (top level): the file is empty; start it with `version: 1` and a `policies:` list',
    ]);
  });

  it('names a missing member and what to add', () => {
    expect(mistakes(withPolicy('    min: 0\n'))).toEqual(['policies.yml: policies[0].max: `max` is missing: add it (a number) (line 3:5)']);
  });

  it('names a value of the wrong type with what was expected', () => {
    expect(mistakes(withPolicy("    max: 'forty'\n"))).toEqual(['policies.yml: policies[0].max: expected a number, got "forty" (line 5:10)']);
    expect(mistakes(withPolicy('    max: 4.5\n'))).toEqual(['policies.yml: policies[0].max: expected a whole number, got 4.5 (line 5:10)']);
  });

  it('names an unknown key at the key itself and suggests the one meant', () => {
    expect(mistakes(withPolicy('    max: 5\n    windows:\n      - { name: day, strat: "08:00", end: "18:00", capacity: 3 }\n'))).toEqual([
      'policies.yml: policies[0].windows[0].start: `start` is missing: add it (text) (line 7:9)',
      'policies.yml: policies[0].windows[0]: unknown key `strat`; did you mean `start`? (line 7:22)',
    ]);
    expect(mistakes(withPolicy('    max: 5\n    colour: blue\n'))).toEqual([
      'policies.yml: policies[0]: unknown key `colour`; allowed here: name, targets, timeZone, min, max, dryRun, calendars, offHours, windows, usage, onManualChange (line 6:5)',
    ]);
  });

  it('names a value outside an enumeration and the close match', () => {
    expect(mistakes(withPolicy('    max: 5\n    windows: [{ name: day, days: [Mon], start: "08:00", end: "18:00", capacity: 3 }]\n'))).toEqual([
      'policies.yml: policies[0].windows[0].days[0]: "Mon" is not one of MON, TUE, WED, THU, FRI, SAT, SUN; did you mean MON? (line 6:35)',
    ]);
    expect(mistakes('version: 2\npolicies: []\n')).toContain('policies.yml: version: the only policy file version is 1: write `version: 1` (line 1:10)');
  });

  it('names a badly formatted time, date or time zone with the form to use', () => {
    const lines = mistakes(
      withPolicy('    timeZone: Europe/Berln\n    max: 5\n    windows: [{ name: day, start: "8:00", end: "18:00", capacity: 3, dates: ["2026-02-30"] }]\n'),
    );
    expect(lines).toEqual([
      'policies.yml: policies[0].timeZone: an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC" (line 5:15)',
      'policies.yml: policies[0].windows[0].start: a time of day is HH:MM in 24-hour form, e.g. "08:00" or "17:30" (line 7:35)',
      'policies.yml: policies[0].windows[0].dates[0]: not a calendar date (line 7:78)',
    ]);
  });

  it('names numbers out of range with the bound', () => {
    expect(mistakes(withPolicy('    max: -1\n    usage: { targetUtilization: 1.5, scaleOut: { maxStep: 0 } }\n'))).toEqual([
      'policies.yml: policies[0].max: must be 0 or more, got -1 (line 5:10)',
      'policies.yml: policies[0].usage.targetUtilization: must be 1 or less, got 1.5 (line 6:33)',
      'policies.yml: policies[0].usage.scaleOut.maxStep: must be more than 0, got 0 (line 6:59)',
    ]);
  });

  it('names an empty list that needs entries', () => {
    expect(mistakes('version: 1\npolicies: []\n')).toEqual(['policies.yml: policies: `policies` is empty: list at least one entry (line 2:11)']);
  });

  it('explains the forms of a target selector that matches none of them', () => {
    const selector = /a target selector is .*exactly one of id, namePattern, tags/;
    expect(mistakes('version: 1\npolicies:\n  - { name: a, max: 1, targets: [{ kind: pool, id: x, namePattern: "y*" }] }\n')).toEqual([
      expect.stringMatching(new RegExp(`^policies\\.yml: policies\\[0\\]\\.targets\\[0\\]: ${selector.source} \\(line 3:34\\)$`)),
    ]);
    // One form stands out when only a detail is wrong.
    expect(mistakes('version: 1\npolicies:\n  - { name: a, max: 1, targets: [{ kind: pools, id: x }] }\n')).toEqual([
      'policies.yml: policies[0].targets[0].kind: "pools" is not one of pool, fleet; did you mean pool? (line 3:42)',
    ]);
  });

  it('explains the forms of a calendar entry', () => {
    expect(mistakes('version: 1\ncalendars:\n  hol: [20261224, { yearly: "12/25" }]\npolicies:\n  - { name: a, max: 1, targets: [{ kind: pool, id: x }] }\n')).toEqual([
      'policies.yml: calendars.hol[0]: a calendar entry is a date "YYYY-MM-DD", `{ date: YYYY-MM-DD }`, `{ from: YYYY-MM-DD, to: YYYY-MM-DD }` or `{ yearly: MM-DD }` (line 3:9)',
      'policies.yml: calendars.hol[1].yearly: a yearly date is MM-DD, e.g. "12-25" (line 3:29)',
    ]);
  });

  it('reports the rules across members: min ≤ max, capacity xor floor, start ≠ end', () => {
    expect(
      mistakes(withPolicy('    min: 9\n    max: 5\n    windows:\n      - { name: a, start: "08:00", end: "08:00", capacity: 1 }\n      - { name: b, start: "08:00", end: "09:00" }\n')),
    ).toEqual([
      'policies.yml: policies[0].min: `min` must not be above `max` (line 5:10)',
      'policies.yml: policies[0].windows[0].end: `start` and `end` are the same; a window must last a while (line 8:41)',
      'policies.yml: policies[0].windows[1].capacity: a window sets exactly one of `capacity` (exact) or `floor` (minimum) (line 9:9)',
    ]);
  });

  it('refuses `offHours.stop` that can never act, naming the fix, with the other mistakes', () => {
    const byMin = '`offHours.stop` can never act: it stops only at capacity 0, and `min` above 0 rules that out; set `min: 0` or remove `stop`';
    const byCapacity =
      '`offHours.stop` can never act: it stops only at capacity 0, and `offHours.capacity` is above 0 with no window asking 0; set `offHours.capacity: 0` or remove `stop`';
    expect(
      mistakes(withPolicy('    min: 9\n    max: 5\n    offHours: { capacity: 2, stop: true }\n    windows:\n      - { name: a, start: "8:00", end: "18:00", capacity: 1 }\n')),
    ).toEqual([
      'policies.yml: policies[0].min: `min` must not be above `max` (line 5:10)',
      `policies.yml: policies[0].offHours.stop: ${byMin} (line 7:36)`,
      `policies.yml: policies[0].offHours.stop: ${byCapacity} (line 7:36)`,
      'policies.yml: policies[0].windows[0].start: a time of day is HH:MM in 24-hour form, e.g. "08:00" or "17:30" (line 9:27)',
    ]);
    expect(mistakes(withPolicy('    min: 1\n    max: 5\n    offHours: { stop: true }\n'))).toEqual([`policies.yml: policies[0].offHours.stop: ${byMin} (line 7:23)`]);
  });

  it('accepts `offHours.stop` where capacity can reach 0: min 0 and off-hours 0, or a window asking 0', () => {
    const parse = (policy: string) => parsePolicyFile(withPolicy(policy), 'policies.yml').policies[0]?.offHours;
    expect(parse('    max: 5\n    offHours: { stop: true }\n')).toEqual({ capacity: 0, stop: true });
    expect(parse('    max: 5\n    offHours: { capacity: 2, stop: true }\n    windows: [{ name: weekend, days: [SAT, SUN], start: "00:00", end: "23:59", capacity: 0 }]\n')).toEqual({
      capacity: 2,
      stop: true,
    });
    expect(parse('    min: 3\n    max: 5\n    offHours: { capacity: 3 }\n')).toEqual({ capacity: 3, stop: false });
  });

  it('reports references to undefined calendars and duplicate names', () => {
    const text =
      'version: 1\ncalendars: { holidays: ["2026-12-24"] }\npolicies:\n' +
      '  - { name: a, max: 1, targets: [{ kind: pool, id: x }], calendars: [holidays, hollidays] }\n' +
      '  - { name: a, max: 1, targets: [{ kind: pool, id: y }], windows: [{ name: w, start: "08:00", end: "09:00", floor: 1 }, { name: w, start: "10:00", end: "11:00", floor: 1 }] }\n';
    expect(mistakes(text)).toEqual([
      'policies.yml: policies[0].calendars[1]: no calendar "hollidays" under `calendars`; define it or remove it here (line 4:80)',
      'policies.yml: policies[1].name: two policies are named "a" (line 5:13)',
      'policies.yml: policies[1].windows[1].name: two windows are named "w" (line 5:129)',
    ]);
  });

  it('lists every mistake of a file in one error, in the order of the file', () => {
    const error = (() => {
      try {
        parsePolicyFile(withPolicy('    max: -1\n    timeZone: Mars/Olympus\n    dryRun: maybe\n'), 'policies.yml');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PolicyFileError);
    const refused = error as PolicyFileError;
    expect(refused.issues.map((issue) => issue.path)).toEqual(['policies[0].max', 'policies[0].timeZone', 'policies[0].dryRun']);
    expect(refused.message).toMatch(/^policies\.yml has 3 mistakes:\npolicies\.yml: policies\[0\]\.max: /);
  });

  it('reports a file that cannot be read', () => {
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'policies-')), 'absent.yml');
    expect(() => loadPolicyFile(missing)).toThrow(`${missing}: (top level): cannot read the policy file: no such file`);
  });

  it('reads a file from disk under its own name', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'policies-')), 'bad.yml');
    writeFileSync(file, withPolicy('    max: x\n'));
    expect(() => loadPolicyFile(file)).toThrow(`${file}: policies[0].max: expected a number, got "x" (line 5:10)`);
  });
});
