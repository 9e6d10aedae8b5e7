import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { useAutopilotCli } from '#test/support/cli.ts';

/** `autopilot plan` in-process, from policy files alone (no cloud), as an operator runs it. */
describe('autopilot plan', () => {
  const autopilot = useAutopilotCli();
  const DEMO = path.join(PROJECT_ROOT, 'config/policies.yml');
  const DST = path.join(PROJECT_ROOT, 'test/fixtures/policies/dst-berlin.yml');
  const INVALID = path.join(PROJECT_ROOT, 'test/fixtures/policies/invalid.yml');

  /** The rows of one policy's table, each as its cells [local, UTC, capacity, cause, reason]. */
  function tableOf(stdout: string, policy: string): string[][] {
    const lines = stdout.split('\n');
    const title = lines.findIndex((line) => line.startsWith(`${policy} (`));
    expect(title, `a heading for ${policy}`).toBeGreaterThanOrEqual(0);
    const header = lines.findIndex((line, index) => index > title && line.startsWith('local ('));
    const end = lines.findIndex((line, index) => index > header && line === '');
    return lines.slice(header + 1, end === -1 ? undefined : end).map((line) => line.split(/\s{2,}/));
  }

  /** The first four cells (local, UTC, capacity, cause) of each row. */
  const changes = (rows: string[][]) => rows.map((row) => row.slice(0, 4).join(' | '));

  interface PlanLine {
    policy: string;
    timeZone: string;
    at: string;
    local: string;
    mode: 'exact' | 'floor';
    capacity: number;
    scheduled: number;
    limitedBy: 'min' | 'max' | null;
    stops: boolean;
    usageMayRaise: boolean;
    source: { kind: string; window?: string; readyBy?: boolean; calendar?: string; entry?: string };
    reason: string;
    since: string | null;
    until: string | null;
    targets: unknown[];
  }
  const jsonLines = (stdout: string): PlanLine[] =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as PlanLine);

  describe("the demo policies' week from Monday 2026-11-23", () => {
    const week = ['plan', '--policy-file', DEMO, '--from', '2026-11-23', '--days', '7'];

    it('has Berlin business hours as a floor of 30 from 06:30 local (the 30-minute ready-by lead), then the window proper at 07:00', async () => {
      const { code, stdout, stderr } = await autopilot(week);

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const monday = changes(tableOf(stdout, 'berlin-sales-desktops')).slice(0, 4);
      expect(monday).toEqual([
        'Mon 2026-11-23 00:00 CET | 2026-11-22 23:00 | at least 2 | off-hours',
        'Mon 2026-11-23 06:30 CET | 2026-11-23 05:30 | at least 30 | ready-by business-hours (30 min lead)',
        'Mon 2026-11-23 07:00 CET | 2026-11-23 06:00 | at least 30 | window business-hours',
        'Mon 2026-11-23 17:00 CET | 2026-11-23 16:00 | at least 2 | off-hours',
      ]);
      expect(tableOf(stdout, 'berlin-sales-desktops')[0]?.[4]).toBe('in force since Fri 2026-11-20 17:00 CET; off-hours: no window applies');
      expect(stdout).toContain('  targets: pool wspool-berlin001\n');
      expect(stdout).toContain('  from Mon 2026-11-23 00:00 CET to Mon 2026-11-30 00:00 CET\n');
      // Friday afternoon outranks business hours (priority 5).
      expect(changes(tableOf(stdout, 'berlin-sales-desktops'))).toContain('Fri 2026-11-27 14:00 CET | 2026-11-27 13:00 | at least 15 | window friday-afternoon');
    });

    it("has New York's Thanksgiving and the day after as calendar days with their names, and no business hours on them", async () => {
      const { stdout } = await autopilot(week);

      const rows = changes(tableOf(stdout, 'newyork-support-desktops'));
      expect(rows.slice(-4)).toEqual([
        'Wed 2026-11-25 22:00 EST | 2026-11-26 03:00 | at least 0 | off-hours',
        'Thu 2026-11-26 00:00 EST | 2026-11-26 05:00 | at least 0 | calendar us-holidays: Thanksgiving',
        'Fri 2026-11-27 00:00 EST | 2026-11-27 05:00 | at least 0 | calendar us-holidays: Day after Thanksgiving',
        'Sat 2026-11-28 00:00 EST | 2026-11-28 05:00 | at least 0 | off-hours',
      ]);
      expect(tableOf(stdout, 'newyork-support-desktops').find((row) => row[0]?.startsWith('Thu'))?.[4]).toBe(
        'calendar "us-holidays" (Thanksgiving, 2026-11-26): off-hours, no window applies',
      );
      // The stopped GPU fleet stays stopped over the holiday.
      expect(changes(tableOf(stdout, 'newyork-design-tools'))).toContain(
        'Thu 2026-11-26 00:00 EST | 2026-11-26 05:00 | at least 0, stops | calendar us-holidays: Thanksgiving',
      );
    });

    it("names each policy's selectors and says once that usage may raise capacity above floors", async () => {
      const { stdout } = await autopilot(week);

      expect(stdout).toContain('  targets: fleet tagged autopilot=managed, office=berlin\n');
      expect(stdout).toContain('  targets: fleet named newyork-design-*\n');
      expect(stdout.match(/usage may raise capacity above floors/g)).toHaveLength(1);
      expect(stdout).toContain(
        'Usage rules cannot be planned (they depend on load): usage may raise capacity above floors ("at least N") for berlin-sales-desktops, newyork-support-desktops, berlin-office-apps, newyork-design-tools.',
      );
    });
  });

  describe('Europe/Berlin DST days', () => {
    it('spring forward (2027-03-28, 02:00 → 03:00): the 02:30 window starts at 03:30 CEST, 01:30 UTC, once', async () => {
      const { code, stdout } = await autopilot(['plan', '--policy-file', DST, '--policy', 'night-batch', '--from', '2027-03-27', '--days', '3']);

      expect(code).toBe(0);
      expect(changes(tableOf(stdout, 'night-batch'))).toEqual([
        'Sat 2027-03-27 00:00 CET | 2027-03-26 23:00 | at least 0, stops | off-hours',
        'Sat 2027-03-27 02:30 CET | 2027-03-27 01:30 | exactly 5 | window batch',
        'Sat 2027-03-27 04:00 CET | 2027-03-27 03:00 | at least 0, stops | off-hours',
        'Sun 2027-03-28 03:30 CEST | 2027-03-28 01:30 | exactly 5 | window batch',
        'Sun 2027-03-28 04:00 CEST | 2027-03-28 02:00 | at least 0, stops | off-hours',
        'Mon 2027-03-29 02:30 CEST | 2027-03-29 00:30 | exactly 5 | window batch',
        'Mon 2027-03-29 04:00 CEST | 2027-03-29 02:00 | at least 0, stops | off-hours',
        'Mon 2027-03-29 07:30 CEST | 2027-03-29 05:30 | at least 10 | ready-by business-hours (30 min lead)',
        'Mon 2027-03-29 08:00 CEST | 2027-03-29 06:00 | at least 10 | window business-hours',
        'Mon 2027-03-29 18:00 CEST | 2027-03-29 16:00 | at least 0, stops | off-hours',
      ]);
      // The range is three calendar days: 71 hours, to local midnight.
      expect(stdout).toContain('  from Sat 2027-03-27 00:00 CET to Tue 2027-03-30 00:00 CEST\n');
    });

    it('fall back (2026-10-25, 03:00 → 02:00): the 02:30 window starts at its first 02:30 (CEST) and runs to 04:00 CET, 2.5 hours', async () => {
      const { code, stdout } = await autopilot(['plan', '--policy-file', DST, '--policy', 'night-batch', '--from', '2026-10-24', '--days', '3']);

      expect(code).toBe(0);
      expect(changes(tableOf(stdout, 'night-batch'))).toEqual([
        'Sat 2026-10-24 00:00 CEST | 2026-10-23 22:00 | at least 0, stops | off-hours',
        'Sat 2026-10-24 02:30 CEST | 2026-10-24 00:30 | exactly 5 | window batch',
        'Sat 2026-10-24 04:00 CEST | 2026-10-24 02:00 | at least 0, stops | off-hours',
        'Sun 2026-10-25 02:30 CEST | 2026-10-25 00:30 | exactly 5 | window batch',
        'Sun 2026-10-25 04:00 CET | 2026-10-25 03:00 | at least 0, stops | off-hours',
        'Mon 2026-10-26 02:30 CET | 2026-10-26 01:30 | exactly 5 | window batch',
        'Mon 2026-10-26 04:00 CET | 2026-10-26 03:00 | at least 0, stops | off-hours',
        'Mon 2026-10-26 07:30 CET | 2026-10-26 06:30 | at least 10 | ready-by business-hours (30 min lead)',
        'Mon 2026-10-26 08:00 CET | 2026-10-26 07:00 | at least 10 | window business-hours',
        'Mon 2026-10-26 18:00 CET | 2026-10-26 17:00 | at least 0, stops | off-hours',
      ]);
    });

    it.each([
      ['2027-03-27', 'spring forward'],
      ['2026-10-24', 'fall back'],
    ])('from %s (%s) every change is listed once, in order, each value lasting until the next', async (from) => {
      const { stdout } = await autopilot(['plan', '--policy-file', DST, '--policy', 'night-batch', '--from', from, '--days', '3', '--json']);

      const lines = jsonLines(stdout);
      const instants = lines.map((line) => Date.parse(line.at));
      expect(instants).toEqual([...instants].sort((a, b) => a - b));
      expect(new Set(instants).size).toBe(instants.length);
      lines.slice(1).forEach((line, index) => expect(lines[index]?.until).toBe(line.at));
    });
  });

  describe('--json', () => {
    it('prints one object per change point that matches the table row for row', async () => {
      const args = ['plan', '--policy-file', DEMO, '--from', '2026-11-23', '--days', '7'];
      const table = (await autopilot(args)).stdout;
      const { code, stdout } = await autopilot([...args, '--json']);

      expect(code).toBe(0);
      const lines = jsonLines(stdout);
      for (const policy of ['berlin-sales-desktops', 'newyork-support-desktops', 'berlin-office-apps', 'newyork-design-tools']) {
        const rows = tableOf(table, policy);
        const mine = lines.filter((line) => line.policy === policy);
        expect(mine).toHaveLength(rows.length);
        mine.forEach((line, index) => {
          const [local, utc, capacity, cause, reason] = rows[index] ?? [];
          const at = DateTime.fromISO(line.at, { zone: 'utc' });
          expect(DateTime.fromISO(line.local, { setZone: true }).toMillis()).toBe(at.toMillis());
          expect(local).toMatch(new RegExp(`^${DateTime.fromISO(line.local, { setZone: true }).setLocale('en-US').toFormat('ccc yyyy-MM-dd HH:mm')} (CET|EST)$`));
          expect(utc).toBe(at.toFormat('yyyy-MM-dd HH:mm'));
          expect(capacity).toBe(`${line.mode === 'exact' ? 'exactly' : 'at least'} ${line.capacity}${line.stops ? ', stops' : ''}`);
          expect(reason?.endsWith(line.reason)).toBe(true);
          if (line.source.kind === 'calendar') expect(cause).toBe(`calendar ${line.source.calendar}: ${line.source.entry}`);
          if (line.source.kind === 'window') expect(cause).toContain(line.source.window);
        });
      }
      const thanksgiving = lines.find((line) => line.source.entry === 'Thanksgiving' && line.policy === 'newyork-support-desktops');
      expect(thanksgiving).toMatchObject({
        timeZone: 'America/New_York',
        at: '2026-11-26T05:00:00.000Z',
        local: '2026-11-26T00:00:00-05:00',
        mode: 'floor',
        capacity: 0,
        source: { kind: 'calendar', calendar: 'us-holidays', entry: 'Thanksgiving' },
        targets: [{ kind: 'pool', id: 'wspool-newyork01' }],
      });
    });

    it('says which limit moved a value, and keeps the schedule’s own value', async () => {
      const { stdout } = await autopilot(['plan', '--policy-file', DST, '--policy', 'limited', '--from', '2027-03-22', '--days', '1', '--json']);

      expect(jsonLines(stdout).map(({ local, mode, capacity, scheduled, limitedBy, usageMayRaise }) => ({ local, mode, capacity, scheduled, limitedBy, usageMayRaise }))).toEqual([
        { local: '2027-03-22T00:00:00Z', mode: 'floor', capacity: 2, scheduled: 0, limitedBy: 'min', usageMayRaise: true },
        { local: '2027-03-22T09:00:00Z', mode: 'exact', capacity: 12, scheduled: 25, limitedBy: 'max', usageMayRaise: false },
        { local: '2027-03-22T17:00:00Z', mode: 'floor', capacity: 2, scheduled: 0, limitedBy: 'min', usageMayRaise: true },
      ]);
    });
  });

  describe('the table', () => {
    it('shows min and max limits in the value', async () => {
      const { stdout } = await autopilot(['plan', '--policy-file', DST, '--policy', 'limited', '--from', '2027-03-22', '--days', '1']);

      expect(changes(tableOf(stdout, 'limited'))).toEqual([
        'Mon 2027-03-22 00:00 UTC | 2027-03-22 00:00 | at least 2 (0, raised to min 2) | off-hours',
        'Mon 2027-03-22 09:00 UTC | 2027-03-22 09:00 | exactly 12 (25, capped at max 12) | window closing',
        'Mon 2027-03-22 17:00 UTC | 2027-03-22 17:00 | at least 2 (0, raised to min 2) | off-hours',
      ]);
    });

    it('starts at an instant given with --from, with the value in force then and since when', async () => {
      const { stdout } = await autopilot(['plan', '--policy-file', DEMO, '--policy', 'berlin-sales-desktops', '--from', '2026-11-23T06:45:00+01:00', '--days', '1']);

      const rows = tableOf(stdout, 'berlin-sales-desktops');
      expect(rows[0]?.slice(0, 3)).toEqual(['Mon 2026-11-23 06:45 CET', '2026-11-23 05:45', 'at least 30']);
      expect(rows[0]?.[4]).toMatch(/^in force since Mon 2026-11-23 06:30 CET; window "business-hours"/);
      // The range is [06:45, 06:45 the next day): the last change is Tuesday's ready-by.
      expect(rows.at(-1)?.slice(0, 4)).toEqual(['Tue 2026-11-24 06:30 CET', '2026-11-24 05:30', 'at least 30', 'ready-by business-hours (30 min lead)']);
    });

    it('starts now and lasts 7 days by default', async () => {
      vi.useFakeTimers({ toFake: ['Date'] }).setSystemTime(new Date('2026-11-23T10:00:00Z'));
      try {
        const { stdout } = await autopilot(['plan', '--policy-file', DEMO, '--policy', 'berlin-office-apps']);

        expect(stdout).toContain('  from Mon 2026-11-23 11:00 CET to Mon 2026-11-30 11:00 CET\n');
        expect(tableOf(stdout, 'berlin-office-apps')[0]?.slice(0, 2)).toEqual(['Mon 2026-11-23 11:00 CET', '2026-11-23 10:00']);
      } finally {
        vi.useRealTimers();
      }
    });

    it('is coloured on a terminal, not with NO_COLOR and not in a pipe; a pipe gets whole lines', async () => {
      const args = ['plan', '--policy-file', DEMO, '--from', '2026-11-23', '--days', '2'];
      const sgr = /\u001b\[/;

      const tty = await autopilot(args, { tty: true, columns: 90 });
      vi.stubEnv('NO_COLOR', '1');
      const noColor = await autopilot(args, { tty: true, columns: 90 });
      vi.stubEnv('NO_COLOR', undefined);
      const piped = await autopilot(args);

      expect(tty.stdout).toMatch(sgr);
      expect(noColor.stdout).not.toMatch(sgr);
      expect(piped.stdout).not.toMatch(sgr);
      // Fitted to 90 columns on a terminal (the reason cut with …), whole in a pipe.
      expect(Math.max(...noColor.stdout.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(90);
      expect(noColor.stdout).toContain('…');
      expect(piped.stdout).not.toContain('…');
      expect(piped.stdout).toContain('window "business-hours" (Mon–Fri 07:00–17:00 Europe/Berlin), ready by 07:00: started 30 min early');
    });
  });

  describe('mistakes', () => {
    it('a bad policy file is reported as validate reports it, with the path of each mistake, exit 1', async () => {
      const { code, stdout, stderr } = await autopilot(['plan', '--policy-file', INVALID]);

      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.split('\n')).toEqual([
        `${INVALID}: policies[0].windows[0].start: a time of day is HH:MM in 24-hour form, e.g. "08:00" or "17:30" (line 7:35)`,
        `${INVALID}: policies[0].timeZone: an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC" (line 8:15)`,
        `${INVALID}: 2 mistakes`,
        '',
      ]);
    });

    it('--policy keeps only the policies named, and an unknown name lists the known ones, exit 1', async () => {
      const only = await autopilot(['plan', '--policy-file', DEMO, '--policy', 'newyork-support-desktops', '--policy', 'berlin-office-apps', '--from', '2026-11-23', '--json']);
      const unknown = await autopilot(['plan', '--policy-file', DEMO, '--policy', 'berlin-sales']);

      expect(new Set(jsonLines(only.stdout).map((line) => line.policy))).toEqual(new Set(['newyork-support-desktops', 'berlin-office-apps']));
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(unknown.stderr).toBe(
        `autopilot: no policy "berlin-sales" in ${DEMO}; its policies are berlin-sales-desktops, newyork-support-desktops, berlin-office-apps, newyork-design-tools\n`,
      );
    });

    it.each([
      [['--days', '0'], "option '--days <n>' argument '0' is invalid. expected a whole number of days, 1 to 366."],
      [['--days', '367'], "option '--days <n>' argument '367' is invalid. expected a whole number of days, 1 to 366."],
      [['--from', 'monday'], "option '--from <date|time>' argument 'monday' is invalid. expected a date"],
      [['--from', '2026-02-30'], "option '--from <date|time>' argument '2026-02-30' is invalid. expected a date"],
    ])('%j is refused, naming the option and its forms, exit 1', async (options, message) => {
      const { code, stdout, stderr } = await autopilot(['plan', '--policy-file', DEMO, ...options]);

      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toContain(message);
    });
  });
});
