import { describe, expect, it } from 'vitest';
import type { PolicyFile } from '#lib/policy/schema.ts';
import { scheduleChanges } from '#lib/schedule/changes.ts';
import { evaluateSchedule } from '#lib/schedule/evaluate.ts';
import { BERLIN, local, localInstant, policyWith } from './support.ts';

const policy = policyWith(
  [
    { name: 'business', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '18:00', capacity: 40, readyBy: { leadMinutes: 30 } },
    { name: 'month-end', monthDays: [-1], start: '18:00', end: '22:00', floor: 10 },
  ],
  { calendars: ['holidays'], offHours: { capacity: 2 } },
);
const calendars: PolicyFile['calendars'] = { holidays: [{ date: '2026-04-03', name: 'Good Friday' }, { date: '2026-04-06', name: 'Easter Monday' }] };

const line = (value: ReturnType<typeof evaluateSchedule>): string => {
  const source = value.source.kind === 'window' ? `${value.source.window}${value.source.readyBy ? ' (ready-by)' : ''}` : value.source.kind;
  return `${local(BERLIN, value.since)} ${source} ${value.mode} ${value.capacity}`;
};

describe('the changes over Easter week in Berlin', () => {
  const from = localInstant(BERLIN, '2026-03-30 12:00');
  const to = localInstant(BERLIN, '2026-04-06 12:00');
  const values = scheduleChanges(policy, calendars, BERLIN, from, to);

  it('start with the value in effect and list every change before the end, in order', () => {
    expect(values.map(line)).toEqual([
      '2026-03-30 08:00 +02:00 business exact 40',
      '2026-03-30 18:00 +02:00 off-hours floor 2',
      '2026-03-31 07:30 +02:00 business (ready-by) floor 40',
      '2026-03-31 08:00 +02:00 business exact 40',
      '2026-03-31 18:00 +02:00 month-end floor 10',
      '2026-03-31 22:00 +02:00 off-hours floor 2',
      '2026-04-01 07:30 +02:00 business (ready-by) floor 40',
      '2026-04-01 08:00 +02:00 business exact 40',
      '2026-04-01 18:00 +02:00 off-hours floor 2',
      '2026-04-02 07:30 +02:00 business (ready-by) floor 40',
      '2026-04-02 08:00 +02:00 business exact 40',
      '2026-04-02 18:00 +02:00 off-hours floor 2',
      '2026-04-03 00:00 +02:00 calendar floor 2',
      '2026-04-04 00:00 +02:00 off-hours floor 2',
      '2026-04-06 00:00 +02:00 calendar floor 2',
    ]);
  });

  it('join up: each value lasts until the next begins', () => {
    for (const [index, value] of values.slice(0, -1).entries()) expect(value.until).toBe(values[index + 1]?.since);
    expect(local(BERLIN, values.at(-1)!.until)).toBe('2026-04-07 00:00 +02:00');
  });

  it('are each what evaluateSchedule says at their start', () => {
    expect(values[0]).toEqual(evaluateSchedule(policy, calendars, BERLIN, from));
    for (const value of values.slice(1)) expect(value).toEqual(evaluateSchedule(policy, calendars, BERLIN, value.since));
  });
});

describe('the changes over a span', () => {
  it('are only the value in effect when nothing changes', () => {
    const values = scheduleChanges(policyWith([]), {}, BERLIN, 0, 7 * 86_400_000);
    expect(values).toHaveLength(1);
    expect(values[0]).toMatchObject({ source: { kind: 'off-hours' }, since: -Infinity, until: Infinity });
  });

  it('leave out a change exactly at the end of the span', () => {
    const values = scheduleChanges(policy, calendars, BERLIN, localInstant(BERLIN, '2026-03-30 09:00'), localInstant(BERLIN, '2026-03-30 18:00'));
    expect(values.map(line)).toEqual(['2026-03-30 08:00 +02:00 business exact 40']);
  });

  it('are none over an empty span', () => {
    expect(scheduleChanges(policy, calendars, BERLIN, 1000, 1000)).toEqual([]);
  });

  it('need a finite span', () => {
    expect(() => scheduleChanges(policy, calendars, BERLIN, 0, Infinity)).toThrow(RangeError);
  });
});
