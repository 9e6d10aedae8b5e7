import { z } from 'zod';

/**
 * The policy file (`config/policies.yml`): which pools and fleets euc-autopilot manages and what
 * capacity each should have when, and how it deploys WorkSpaces applications (`applications:`).
 * One zod schema is the single source of truth: the loader validates with it, `autopilot
 * validate` reports its issues with the path of each mistake, and the JSON Schema editors
 * autocomplete with is generated from it (lib/policy/json-schema.ts).
 *
 * Semantics the schema alone cannot say are documented here and in docs/POLICIES.md:
 * - Times of day are local to the policy's `timeZone` (IANA). A window starting at a time that
 *   does not exist on a DST switch day (02:30 when clocks jump 02:00→03:00) starts at the same
 *   wall-clock distance after the gap (03:30); a time that exists twice (02:30 when clocks fall
 *   back) means its first occurrence.
 * - A window applies on the local dates any of its day selectors match (`days`, `monthDays`,
 *   `nthWeekdays`, `dates`, combined with OR); a window with none applies every day. `end` before
 *   `start` means the window runs past midnight into the next day.
 * - Precedence when windows overlap: higher `priority` first; then the more specific day selector
 *   (one-off `dates` > `nthWeekdays` > `monthDays` > `days` > every day); then the window that
 *   started later; then the one declared first.
 * - On a date of one of the policy's calendars (holidays, blackouts) no window applies: the
 *   target gets its off-hours value.
 * - `readyBy.leadMinutes` applies a window's value that much before `start`, but only to raise
 *   capacity: in the lead time the value is the larger of the window's and the one otherwise in
 *   force (the other one unchanged when it is at least as high), and a floor unless both are
 *   exact — the lead time has capacity ready, it never takes capacity away early
 *   (lib/schedule/evaluate.ts has the exact rules).
 * - `offHours.stop` acts only when the desired capacity is 0, so it is refused with `min` above
 *   0, and with `offHours.capacity` above 0 unless a window asks 0 (`capacity: 0` or `floor: 0`).
 */

const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof weekdays)[number];

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM in 24-hour form, e.g. "08:00" or "17:30"');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z
  .string()
  .regex(ISO_DATE, 'a date is YYYY-MM-DD, e.g. "2026-12-24"')
  // Only what has the form is checked against the calendar: "tomorrow" is one mistake, not two.
  .refine((value) => !ISO_DATE.test(value) || isCalendarDate(value), 'not a calendar date');

const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a yearly date is MM-DD, e.g. "12-25"');

const timeZone = z.string().refine(isTimeZone, {
  message: 'an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC"',
});

const count = z.number().int().nonnegative();

/** Policy and window names. `*`, not `+`: an empty name is refused by `min(1)` alone, one mistake. */
const NAME = /^[A-Za-z0-9_.-]*$/;

export const calendarEntrySchema = z.union([
  isoDate.describe('one date'),
  z.strictObject({ date: isoDate, name: z.string().optional() }),
  z
    .strictObject({ from: isoDate, to: isoDate, name: z.string().optional() })
    .refine((range) => range.from <= range.to, { message: '`from` must not be after `to`', path: ['to'] }),
  z.strictObject({ yearly: monthDay, name: z.string().optional() }),
]);

export const windowSchema = z
  .strictObject({
    name: z.string().min(1).regex(NAME, 'letters, digits, "_", "." and "-" only'),
    days: z.array(z.enum(weekdays)).min(1).optional().describe('weekdays, e.g. [MON, TUE, WED, THU, FRI]'),
    monthDays: z
      .array(z.number().int().min(-1).max(31).refine((day) => day !== 0, 'month days are 1–31, or -1 for the last day'))
      .min(1)
      .optional(),
    nthWeekdays: z
      .array(
        z.strictObject({
          weekday: z.enum(weekdays),
          nth: z.number().int().min(-1).max(5).refine((nth) => nth !== 0, 'nth is 1–5, or -1 for the last'),
        }),
      )
      .min(1)
      .optional(),
    dates: z.array(isoDate).min(1).optional().describe('one-off dates'),
    start: timeOfDay,
    end: timeOfDay,
    capacity: count.optional().describe('exact desired capacity during the window'),
    floor: count.optional().describe('at least this much during the window; usage may raise it'),
    priority: z.number().int().default(0),
    readyBy: z
      .strictObject({ leadMinutes: z.number().int().min(0).max(24 * 60) })
      .optional()
      .describe('have the capacity available at `start` by beginning the change this much earlier; it only ever raises capacity'),
  })
  .refine((window) => (window.capacity === undefined) !== (window.floor === undefined), {
    message: 'a window sets exactly one of `capacity` (exact) or `floor` (minimum)',
    path: ['capacity'],
    when: isObjectPayload,
  })
  .refine((window) => window.start !== window.end, {
    message: '`start` and `end` are the same; a window must last a while',
    path: ['end'],
    when: (payload) => isObjectPayload(payload) && typeof payload.value.start === 'string' && typeof payload.value.end === 'string',
  });

export const usageSchema = z.strictObject({
  targetUtilization: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe('sessions in use ÷ capacity to aim for, e.g. 0.8'),
  minFreeSessions: count.optional().describe('free sessions always kept on top of those in use'),
  scaleOut: z
    .strictObject({
      maxStep: z.number().int().positive().optional().describe('most sessions/instances added per tick'),
      cooldownMinutes: z.number().int().min(0).default(5).describe('after a usage scale-out, wait this long before the next'),
    })
    .default({ cooldownMinutes: 5 }),
  scaleIn: z
    .strictObject({
      stabilizationMinutes: z
        .number()
        .int()
        .min(0)
        .default(30)
        .describe('scale in only to the highest recommendation of this many past minutes'),
      maxStep: z.number().int().positive().optional().describe('most sessions/instances removed per tick'),
    })
    .default({ stabilizationMinutes: 30 }),
});

const selectorBase = { kind: z.enum(['pool', 'fleet']) };
export const targetSelectorSchema = z.union([
  z.strictObject({ ...selectorBase, id: z.string().min(1).describe('pool id (wspool-…) or fleet name') }),
  z.strictObject({ ...selectorBase, namePattern: z.string().min(1).describe('glob on the pool or fleet name: * and ?') }),
  z.strictObject({ ...selectorBase, tags: z.record(z.string(), z.string()).refine((tags) => Object.keys(tags).length > 0, 'name at least one tag') }),
]);

export const policySchema = z
  .strictObject({
    name: z.string().min(1).regex(NAME, 'letters, digits, "_", "." and "-" only'),
    targets: z.array(targetSelectorSchema).min(1),
    timeZone: timeZone.optional(),
    min: count.default(0),
    max: count,
    dryRun: z.boolean().optional(),
    calendars: z.array(z.string()).default([]),
    offHours: z
      .strictObject({
        capacity: count.default(0),
        stop: z.boolean().default(false).describe('stop the pool/fleet when at 0 with nobody connected; needs `min` 0, and `capacity` 0 unless a window asks 0'),
      })
      .default({ capacity: 0, stop: false }),
    windows: z.array(windowSchema).default([]),
    usage: usageSchema.optional(),
    // Someone else (a person in the console, a script) changed the capacity of a target this
    // policy manages: hold their value for a while and say when the policy resumes, or put the
    // policy's value back at the next tick. Either way it is audited and announced.
    onManualChange: z
      .strictObject({
        action: z
          .enum(['respect', 'enforce'])
          .default('respect')
          .describe('respect: hold the manual value for `holdHours`, then resume; enforce: restore the policy value at the next tick'),
        holdHours: z.number().min(0.25).max(168).default(4).describe('how long a respected manual value is held (0.25–168 hours)'),
      })
      .prefault({}),
  })
  .refine((policy) => policy.min <= policy.max, {
    message: '`min` must not be above `max`',
    path: ['min'],
    when: (payload) => isObjectPayload(payload) && Number.isInteger(payload.value.min) && Number.isInteger(payload.value.max) && (payload.value.min as number) >= 0 && (payload.value.max as number) >= 0,
  })
  // `offHours.stop` acts only when the desired capacity is 0; these say when it never can be.
  .refine((policy) => !(policy.offHours.stop && policy.min > 0), {
    message: '`offHours.stop` can never act: it stops only at capacity 0, and `min` above 0 rules that out; set `min: 0` or remove `stop`',
    path: ['offHours', 'stop'],
    when: (payload) => stopsOffHours(payload) && Number.isInteger(payload.value.min) && (payload.value.min as number) >= 0,
  })
  .refine((policy) => !(policy.offHours.stop && policy.offHours.capacity > 0 && !policy.windows.some(asksZero)), {
    message:
      '`offHours.stop` can never act: it stops only at capacity 0, and `offHours.capacity` is above 0 with no window asking 0; set `offHours.capacity: 0` or remove `stop`',
    path: ['offHours', 'stop'],
    when: (payload) =>
      stopsOffHours(payload) &&
      Number.isInteger(payload.value.offHours.capacity) &&
      (payload.value.offHours.capacity as number) >= 0 &&
      Array.isArray(payload.value.windows),
  });

/**
 * The `applications:` section: how euc-autopilot deploys WorkSpaces applications once they are
 * associated with a WorkSpace (the CloudTrail reactor acts on the association's event; the
 * deployment sweeper finds associations no event reported). Every member has a default, so the
 * section may be left out. The bounds refuse what can only be a slip (a workflow running for a
 * day, a look at the deployment every second — each look is billed Step Functions transitions).
 * docs/POLICIES.md ("Applications") has the behaviour.
 */
export const applicationSettingsSchema = z
  .strictObject({
    autoDeploy: z
      .boolean()
      .default(true)
      .describe('deploy associated applications automatically; false: the reactor and the sweeper start nothing'),
    stoppedWorkspaces: z
      .enum(['start', 'report'])
      .default('start')
      .describe('a STOPPED (AutoStop) WorkSpace with pending associations: start it to deploy, or only report it'),
    gracePeriodMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      // CloudTrail delivery is best effort and the reactor normally acts within minutes: the
      // sweeper waits this long so it does not race the reactor for the same association.
      .default(30)
      .describe('the sweeper acts only on associations pending for longer than this'),
    timeoutMinutes: z
      .number()
      .int()
      .min(5)
      .max(180)
      .default(60)
      .describe('a deployment workflow gives up after this long and reports the deployment as timed out'),
    maxForceRedeploys: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe('redeploys with Force=true per workflow for associations in ERROR with a retryable reason (DeploymentError.*); 0: never'),
    firstWaitSeconds: z
      .number()
      .int()
      .min(10)
      .max(600)
      .default(60)
      .describe('the first wait between looks at a deployment; the wait doubles up to `maxWaitSeconds`'),
    maxWaitSeconds: z
      .number()
      .int()
      .min(60)
      .max(3600)
      .default(600)
      .describe('no wait between looks at a deployment is longer; at least `firstWaitSeconds`'),
  })
  // Checked on the values in force, defaults included (`firstWaitSeconds: 300, maxWaitSeconds:
  // 120`), and only once both are within their own ranges: an out-of-range wait is one mistake,
  // reported once.
  .superRefine(
    (settings, ctx) => {
      if (settings.maxWaitSeconds >= settings.firstWaitSeconds) return;
      ctx.addIssue({
        code: 'custom',
        path: ['maxWaitSeconds'],
        input: settings.maxWaitSeconds,
        message:
          `\`maxWaitSeconds\` (${settings.maxWaitSeconds}) is below \`firstWaitSeconds\` (${settings.firstWaitSeconds}): ` +
          'the wait doubles from the first up to this cap, so the cap must be at least the first wait; raise `maxWaitSeconds` or lower `firstWaitSeconds`',
      });
    },
    {
      when: (payload) =>
        isObjectPayload(payload) &&
        Number.isInteger(payload.value.firstWaitSeconds) &&
        Number.isInteger(payload.value.maxWaitSeconds) &&
        !payload.issues.some((issue) => issue.path?.[0] === 'firstWaitSeconds' || issue.path?.[0] === 'maxWaitSeconds'),
    },
  );

export const policyFileSchema = z
  .strictObject({
    version: z.literal(1),
    defaults: z
      .strictObject({ timeZone: timeZone.default('UTC'), dryRun: z.boolean().default(false) })
      .default({ timeZone: 'UTC', dryRun: false }),
    calendars: z.record(z.string(), z.array(calendarEntrySchema)).default({}),
    // `prefault`: an absent section is parsed as `{}`, so every member gets its own default and
    // the loaded file always carries complete settings (the defaults live in one place).
    applications: applicationSettingsSchema.prefault({}),
    policies: z.array(policySchema).min(1),
  })
  .superRefine((file, ctx) => {
    // Runs even when other members have mistakes (see `when`), so it reads only what is well formed.
    const calendars = isRecord(file.calendars) ? file.calendars : {};
    const policies = (file.policies as unknown[]).filter(isRecord) as Array<Partial<Policy>>;
    policies.forEach((policy, index) => {
      (Array.isArray(policy.calendars) ? policy.calendars : []).forEach((name, at) => {
        // Own members only: `toString` or `constructor` are not calendars however `in` sees them.
        if (typeof name === 'string' && !Object.hasOwn(calendars, name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['policies', index, 'calendars', at],
            // zod drops a `__proto__` key (it would set the parsed object's prototype), so that
            // calendar is never defined, whatever the file says.
            message:
              name === '__proto__'
                ? '`__proto__` cannot name a calendar; rename it here and under `calendars`'
                : `no calendar "${name}" under \`calendars\`; define it or remove it here`,
          });
        }
      });
      const names = new Set<string>();
      (Array.isArray(policy.windows) ? policy.windows : []).forEach((window, at) => {
        if (!isRecord(window) || typeof window.name !== 'string') return;
        if (names.has(window.name))
          ctx.addIssue({ code: 'custom', path: ['policies', index, 'windows', at, 'name'], message: `two windows are named "${window.name}"` });
        names.add(window.name);
      });
    });
    const names = new Set<string>();
    policies.forEach((policy, index) => {
      if (typeof policy.name !== 'string') return;
      if (names.has(policy.name))
        ctx.addIssue({ code: 'custom', path: ['policies', index, 'name'], message: `two policies are named "${policy.name}"` });
      names.add(policy.name);
    });
  }, { when: (payload) => isObjectPayload(payload) && Array.isArray(payload.value.policies) });

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type Policy = z.infer<typeof policySchema>;
export type Window = z.infer<typeof windowSchema>;
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;
export type TargetSelector = z.infer<typeof targetSelectorSchema>;
export type UsageRules = z.infer<typeof usageSchema>;
/** The `applications:` section as loaded: every member present, defaults filled in. */
export type ApplicationSettings = z.infer<typeof applicationSettingsSchema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** For a refinement's `when`: the value is an object, whatever mistakes its members have. */
function isObjectPayload(payload: z.core.ParsePayload): payload is z.core.ParsePayload<Record<string, unknown>> {
  return isRecord(payload.value);
}

/** For a refinement's `when`: a policy object whose `offHours.stop` is `true`. */
function stopsOffHours(payload: z.core.ParsePayload): payload is z.core.ParsePayload<Record<string, unknown> & { offHours: Record<string, unknown> }> {
  return isObjectPayload(payload) && isRecord(payload.value.offHours) && payload.value.offHours.stop === true;
}

/** A window that can make the desired capacity 0 (exact 0, or a floor of 0), read defensively. */
function asksZero(window: unknown): boolean {
  return isRecord(window) && (window.capacity === 0 || window.floor === 0);
}

function isCalendarDate(value: string): boolean {
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(value);
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
